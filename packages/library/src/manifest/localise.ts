/** Translated manifest texts, looked up the way the reference host does (spec §2.5). */
import type { Manifest } from './model.ts';

export type LocalisedField = 'name' | 'description' | 'longDescription';

const TABLES = {
	name: 'nameI18n',
	description: 'descriptionI18n',
	longDescription: 'longDescriptionI18n',
} as const satisfies Record<LocalisedField, keyof Manifest>;

/**
 * The text of `field` for `locale`: the exact locale (`de_DE`), then its language part (`de`),
 * then the base field. A missing `longDescription` falls back to `description`, as documented.
 */
export function localisedField(manifest: Manifest, field: LocalisedField, locale: string): string {
	const table = manifest[TABLES[field]];
	const language = locale.split(/[_-]/, 1)[0] ?? locale;
	for (const key of [locale, language]) {
		// Own keys only: `toString` and friends are not translations.
		if (key !== '' && Object.hasOwn(table, key)) return table[key] as string;
	}
	if (field === 'longDescription') return manifest.longDescription ?? manifest.description;
	return manifest[field];
}
