/**
 * Finding an installed plugin from what a user types: its UUID, registry id, name, directory
 * or source URL. An ambiguous name is an error listing the candidates, never a guess.
 */
import { type CanonicalUrlContext, sameUrl, tryCanonicalUrl } from '../core/canonical-url.ts';
import { sanitizeText } from '../core/sanitize.ts';
import { isUuidVariant, parseUuidArgument } from '../core/uuid.ts';
import { lifecycleError } from './errors.ts';
import type { InstalledPlugin, StoreState } from './store/index.ts';

export function findInstalled(
	state: StoreState,
	text: string,
	context: CanonicalUrlContext & { cwd: string; home: string },
): InstalledPlugin {
	const query = text.trim();
	// `{uuid}` or `urn:uuid:...` would match nothing and read as "not installed": refused instead.
	if (isUuidVariant(query)) parseUuidArgument(query);
	const lower = query.toLowerCase();
	const plugins = Object.values(state.plugins);
	const canonical = tryCanonicalUrl(query, context);
	const exact = plugins.filter(
		(plugin) =>
			plugin.uuid === lower ||
			plugin.directory === query ||
			plugin.registryId === lower ||
			// The stored form is canonicalised again: one recorded before a change of D2 still matches.
			(canonical !== undefined && sameUrl(plugin.source.canonicalUrl, canonical, context)),
	);
	const matches =
		exact.length > 0 ? exact : plugins.filter((plugin) => plugin.name.toLowerCase() === lower);
	if (matches.length === 1) return matches[0] as InstalledPlugin;
	if (matches.length === 0) {
		throw lifecycleError('NOT_INSTALLED', `No installed plugin matches ${sanitizeText(query)}.`, {
			hint: 'See the installed plugins with `vouch list`.',
		});
	}
	const listed = matches
		.slice(0, 10)
		.map((plugin) => `${sanitizeText(plugin.name)} (${plugin.uuid})`)
		.join(', ');
	throw lifecycleError(
		'NOT_INSTALLED',
		`${sanitizeText(query)} matches several plugins: ${listed}.`,
		{
			hint: 'Name the plugin by its UUID.',
		},
	);
}
