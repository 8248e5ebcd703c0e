/**
 * Naming installed plugins: the one place that decides which words address an installed
 * plugin (its UUID, registry id, name, directory or source URL), which word `list` shows for
 * it, and what to suggest when a word matches nothing. Every command and host resolves
 * through here, so a name that works for one command works for all of them.
 *
 * An ambiguous word is an error listing the candidates, never a guess.
 */
import { type CanonicalUrlContext, sourceKind, tryCanonicalUrl } from '../core/canonical-url.ts';
import { sanitizeText } from '../core/sanitize.ts';
import { closestNames, didYouMean } from '../core/suggest.ts';
import { isUuidVariant, parseUuidArgument } from '../core/uuid.ts';
import type { RegistryIndex } from '../registry/index.ts';
import type { RegistryPlugin } from '../registry/model.ts';
import { lifecycleError } from './errors.ts';
import type { InstalledPlugin, StoreState } from './store/index.ts';

export interface FindContext extends CanonicalUrlContext {
	cwd: string;
	home: string;
	/**
	 * The registry, when loaded: local copies installed before their registry id was recorded
	 * are then addressed by it too. Commands that work offline pass none.
	 */
	index?: RegistryIndex | undefined;
}

/**
 * The registry entry a local copy (a clone on disk, or a plain directory) is a copy of: the
 * entry owning its UUID, now or before a UUID change. When the clone's `origin` is known it
 * must be that same entry's address, current or old (canonical URL rule, D2): a clone of one
 * plugin's repository that carries another plugin's UUID is named by neither. This is only a
 * name for the plugin; trust is decided elsewhere and never follows it (D6).
 */
export function entryOfLocalCopy(
	copy: { uuid: string; origin?: string | undefined },
	index: RegistryIndex,
): RegistryPlugin | undefined {
	const entry = index.byUuid(copy.uuid) ?? index.byRedirectUuid(copy.uuid);
	if (entry === undefined || copy.origin === undefined) return entry;
	const atOrigin = index.byUrl(copy.origin) ?? index.byRedirectUrl(copy.origin);
	return atOrigin === entry ? entry : undefined;
}

/**
 * The registry id of an installed plugin: the one recorded at install, else (for a local copy
 * installed before ids were recorded for them) the one the registry gives its copy.
 */
export function registryIdOf(
	plugin: InstalledPlugin,
	index: RegistryIndex | undefined,
): string | undefined {
	if (plugin.registryId !== undefined) return plugin.registryId;
	if (index === undefined || sourceKind(plugin.source.url) !== 'local') return undefined;
	return entryOfLocalCopy({ uuid: plugin.uuid, origin: plugin.originUrl }, index)?.id;
}

export function findInstalled(
	state: StoreState,
	text: string,
	context: FindContext,
): InstalledPlugin {
	return installedNames(state, context).find(text);
}

/** What `list` shows a plugin as: a word that addresses exactly this plugin. */
export function addressOf(
	plugin: InstalledPlugin,
	state: StoreState,
	context: FindContext,
): string {
	return installedNames(state, context).addressOf(plugin);
}

export interface InstalledNames {
	/** The one plugin `text` names; NOT_INSTALLED (with suggestions) or ambiguous otherwise. */
	find(text: string): InstalledPlugin;
	/** The word `list` shows: the registry id, else a name that works, else the UUID. */
	addressOf(plugin: InstalledPlugin): string;
}

/**
 * The keys of every installed plugin, worked out once: `list` names each plugin by checking
 * that its word finds it and nothing else, which must not canonicalise every URL each time.
 */
export function installedNames(state: StoreState, context: FindContext): InstalledNames {
	const keyed = Object.values(state.plugins).map((plugin) => ({
		plugin,
		registryId: registryIdOf(plugin, context.index),
		// The stored form is canonicalised again: one recorded before a change of D2 still matches.
		url: tryCanonicalUrl(plugin.source.canonicalUrl, context),
		name: plugin.name.toLowerCase(),
	}));

	/** Exact keys first (UUID, registry id, directory, source URL); a name only when none match. */
	const matchesOf = (query: string): InstalledPlugin[] => {
		const lower = query.toLowerCase();
		const canonical = tryCanonicalUrl(query, context);
		const url = canonical === undefined ? undefined : tryCanonicalUrl(canonical, context);
		const exact = keyed.filter(
			(entry) =>
				entry.plugin.uuid === lower ||
				entry.plugin.directory === query ||
				entry.registryId === lower ||
				(url !== undefined && entry.url === url),
		);
		const chosen = exact.length > 0 ? exact : keyed.filter((entry) => entry.name === lower);
		return chosen.map((entry) => entry.plugin);
	};

	const suggestionsFor = (query: string): string[] =>
		closestNames(
			query,
			keyed.flatMap((entry) =>
				entry.registryId === undefined
					? [entry.plugin.name]
					: [entry.registryId, entry.plugin.name],
			),
		);

	return {
		find(text) {
			const query = text.trim();
			// `{uuid}` or `urn:uuid:...` would match nothing and read as "not installed": refused.
			if (isUuidVariant(query)) parseUuidArgument(query);
			const matches = matchesOf(query);
			if (matches.length === 1) return matches[0] as InstalledPlugin;
			if (matches.length === 0) throw notInstalled(query, suggestionsFor(query));
			const listed = matches
				.slice(0, 10)
				.map((plugin) => `${sanitizeText(plugin.name)} (${plugin.uuid})`)
				.join(', ');
			throw lifecycleError(
				'NOT_INSTALLED',
				`${sanitizeText(query)} matches several plugins: ${listed}.`,
				{
					hint: 'Name the plugin by its UUID.',
					details: { query, candidates: matches.map((plugin) => plugin.uuid) },
				},
			);
		},
		addressOf(plugin) {
			for (const word of [registryIdOf(plugin, context.index), plugin.name]) {
				if (word === undefined || !TYPABLE.test(word)) continue;
				const matches = matchesOf(word);
				if (matches.length === 1 && matches[0]?.uuid === plugin.uuid) return word;
			}
			return plugin.uuid;
		},
	};
}

/** Words a person can type without quoting them for the shell. */
const TYPABLE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

function notInstalled(query: string, suggestions: string[]): Error {
	const suggestion = didYouMean(suggestions);
	return lifecycleError('NOT_INSTALLED', `No installed plugin matches ${sanitizeText(query)}.`, {
		hint:
			suggestion === undefined
				? 'See the installed plugins with `vouch list`.'
				: `${suggestion} See the installed plugins with \`vouch list\`.`,
		details: { query, suggestions },
	});
}
