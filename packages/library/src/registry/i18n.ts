/**
 * Localised names and descriptions (spec §2.5): the exact locale, then its language part,
 * then the base field. `de-DE` and `de_DE` are treated alike, since people type both.
 */
import type { RegistryPlugin } from './model.ts';

export function localisedName(plugin: RegistryPlugin, locale: string | undefined): string {
	return pickLocalised(plugin.nameI18n, locale) ?? plugin.name;
}

export function localisedDescription(plugin: RegistryPlugin, locale: string | undefined): string {
	return pickLocalised(plugin.descriptionI18n, locale) ?? plugin.description;
}

/** The value for `locale` in an i18n table, or undefined to fall back to the base field. */
export function pickLocalised(
	table: Readonly<Record<string, string>>,
	locale: string | undefined,
): string | undefined {
	if (locale === undefined) return undefined;
	const wanted = locale.trim();
	if (wanted.length === 0) return undefined;
	const underscored = wanted.replaceAll('-', '_');
	const language = underscored.split('_', 1)[0] ?? underscored;
	for (const key of [wanted, underscored, language]) {
		// Own keys only: a locale such as `constructor` must not reach Object.prototype.
		if (Object.hasOwn(table, key)) {
			const value = table[key];
			if (value !== undefined && value.trim().length > 0) return value;
		}
	}
	return undefined;
}
