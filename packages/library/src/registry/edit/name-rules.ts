/**
 * The name a registry edit copies from a MANIFEST.toml, checked against the other plugins. The
 * manifest is the plugin author's, and `plugin update` copies it without a person reading it:
 * a name that is already another plugin's, or that looks the same on screen (a Cyrillic А, a
 * Hangul filler), would list an impersonator under the name users know. Look-alikes are judged
 * by their one home (`review/lookalikes.ts`); only the confusable strength refuses here, since
 * honestly close names exist.
 */
import { sanitizeText } from '../../core/sanitize.ts';
import { registryError } from '../errors.ts';
import { findLookalikes } from '../review/lookalikes.ts';
import type { EditContext } from './plan.ts';

/** Refuses `name` for plugin `id` when another plugin has it, or one that reads the same. */
export function assertNameFree(context: EditContext, id: string, name: string): void {
	const others = context.registry.plugins.filter((plugin) => plugin.id !== id);
	const key = name.normalize('NFC').trim().toLowerCase();
	const taken = others.find((plugin) => plugin.name.normalize('NFC').trim().toLowerCase() === key);
	const confusable =
		taken ??
		findLookalikes({ id, name, canonicalGitUrl: '' }, others).find(
			(match) => match.field === 'name' && match.strength === 'confusable',
		)?.plugin;
	if (confusable === undefined) return;
	throw registryError(
		'INVALID_EDIT',
		`The manifest's name "${sanitizeText(name, { maxLength: 120 })}" ${taken === undefined ? 'looks the same as' : 'is'} the name of ${sanitizeText(confusable.id)} ("${sanitizeText(confusable.name, { maxLength: 120 })}").`,
		{
			hint: "A plugin may not take or imitate another plugin's name; ask its author to rename it upstream.",
		},
	);
}
