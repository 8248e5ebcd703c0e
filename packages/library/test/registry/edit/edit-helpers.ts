/** A registry file and its edit context, as the maintainer's commands build them. */
import { readFileSync } from 'node:fs';
import type { RegistryFormat } from '../../../src/registry/decode.ts';
import type { RegistryFileText } from '../../../src/registry/edit/apply.ts';
import { type EditContext, editContext } from '../../../src/registry/edit/plan.ts';
import type { ManifestFacts } from '../../../src/registry/edit/plugin-entry.ts';
import { parseRegistryText } from '../../../src/registry/parse.ts';
import { FIXTURES } from '../helpers.ts';

export const EDIT_AT = '2026-11-28T12:00:00Z';

export const PICARD_TOML = readFileSync(new URL('picard-plugins.toml', FIXTURES), 'utf8');

export function fileOf(text: string, format: RegistryFormat = 'toml'): RegistryFileText {
	return { text, format, label: `plugins.${format}` };
}

export function contextOf(
	file: RegistryFileText,
	options: { actor?: string; registryIsLocal?: boolean } = {},
): EditContext {
	const registry = parseRegistryText(file.text, { label: file.label, format: file.format });
	return editContext(file, registry, {
		urlContext: { cwd: '/srv/registry', home: '/home/maintainer' },
		registryIsLocal: options.registryIsLocal ?? true,
		at: EDIT_AT,
		...(options.actor === undefined ? {} : { actor: options.actor }),
	});
}

export function manifestFacts(overrides: Partial<ManifestFacts> = {}): ManifestFacts {
	return {
		uuid: '5b8c2f4e-9d31-4a7b-b6e0-2c7f13a9d845',
		name: 'Example Plugin',
		description: 'Does one thing well',
		authors: ['Ann Author'],
		maintainers: [],
		categories: ['metadata'],
		nameI18n: {},
		descriptionI18n: {},
		...overrides,
	};
}

/** The text of the `[[plugins]]` block with this id: from its header to the next header of a block. */
export function pluginBlockRange(text: string, id: string): { start: number; end: number } {
	const headers = [...text.matchAll(/^\[\[(plugins|blacklist)\]\]$/gm)].map((m) => m.index);
	const idAt = text.indexOf(`\nid = "${id}"\n`);
	const start = Math.max(...headers.filter((at) => at < idAt));
	const end = headers.find((at) => at > idAt) ?? text.length;
	return { start, end };
}

/** Everything but the block of `id` is byte-identical. */
export function untouchedOutside(before: string, after: string, id: string): boolean {
	const { start, end } = pluginBlockRange(before, id);
	return after.startsWith(before.slice(0, start)) && after.endsWith(before.slice(end));
}

/** id → trust level, as Vouch's reader sees the text. */
export function trustLevels(text: string, format: RegistryFormat = 'toml'): Map<string, string> {
	const registry = parseRegistryText(text, { label: 'x', format });
	return new Map(registry.plugins.map((plugin) => [plugin.id, plugin.trustLevel]));
}
