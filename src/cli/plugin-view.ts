/** How registry plugins look in the terminal and in `--json` output. */
import type { BlacklistVerdict } from '../blacklist/index.ts';
import { localisedDescription, localisedName } from '../registry/i18n.ts';
import type { RegistryPlugin, TrustLevel } from '../registry/model.ts';
import { trustBadge } from '../registry/trust-display.ts';
import type { Style } from './style.ts';
import { safe } from './style.ts';

export function trustText(level: TrustLevel, style: Style): string {
	const label = `${trustBadge(level)} ${level}`;
	switch (level) {
		case 'official':
			return style.green(label);
		case 'trusted':
			return style.cyan(label);
		case 'community':
			return style.yellow(label);
		default:
			return style.red(label);
	}
}

export function pluginRow(
	plugin: RegistryPlugin,
	verdict: BlacklistVerdict,
	style: Style,
	locale: string,
): string[] {
	const name = safe(localisedName(plugin, locale), { maxLength: 80 });
	const description = safe(localisedDescription(plugin, locale), { maxLength: 160 });
	const blocked = verdict.blocked
		? ` ${style.red(`BLACKLISTED: ${safe(verdict.reason, { maxLength: 120 })}`)}`
		: '';
	return [
		`${trustText(plugin.trustLevel, style)}  ${style.bold(safe(plugin.id))}  ${name}${blocked}`,
		`    ${style.dim(description)}`,
	];
}

/** The JSON form: the registry fields plus the verdict, all strings as data (not sanitised). */
export function pluginJson(
	plugin: RegistryPlugin,
	verdict: BlacklistVerdict,
): Record<string, unknown> {
	return {
		id: plugin.id,
		uuid: plugin.uuid,
		name: plugin.name,
		description: plugin.description,
		trustLevel: plugin.trustLevel,
		...(plugin.declaredTrustLevel === undefined
			? {}
			: { declaredTrustLevel: plugin.declaredTrustLevel }),
		gitUrl: plugin.gitUrl,
		categories: plugin.categories,
		blacklisted: verdict.blocked
			? { reason: verdict.reason, severity: verdict.severity, entry: verdict.entry.index }
			: false,
	};
}
