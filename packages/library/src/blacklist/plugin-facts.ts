/**
 * A plugin's identity in the forms the compiled matcher compares: lowercase UUID, canonical
 * URL and its transport-independent location, and the texts patterns run on. Anything odd
 * (not a string, empty, not a URL) becomes "unknown" here, so `check` never throws.
 */
import {
	blacklistLocations,
	type CanonicalUrlContext,
	foldsPathCase,
	patternTextsOf,
	tryCanonicalForms,
} from '../core/canonical-url.ts';
import { normaliseCommit } from '../core/commit-hash.ts';
import { normaliseUuid } from '../core/uuid.ts';
import { pluginVersionToSemver } from '../core/versions.ts';
import type { PluginIdentity } from './types.ts';

export interface PluginFacts {
	uuid: string | undefined;
	/**
	 * `blacklistLocations` of the URL: its location key first, then the one with encoded
	 * slashes decoded; empty when the URL is unknown or unusable.
	 */
	locations: readonly string[];
	/** What `url_regex` runs on: `urlPatternTexts` (D3), raw, case-kept and canonical. */
	patternTexts: string[];
	/**
	 * The host ignores path case (D2), so a pattern with capitals is also searched without
	 * case (see `pattern-case.ts`).
	 */
	foldsCase: boolean;
	/** Lowercase full commit id, or undefined when unknown or not a full id. */
	commit: string | undefined;
	/**
	 * The plugin's known versions as coerced semver (manifest version, then the ref's), computed
	 * on first use; empty when neither is known or parsable.
	 */
	versions(): readonly string[];
}

export function knownText(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

export function pluginFacts(plugin: PluginIdentity, context: CanonicalUrlContext): PluginFacts {
	const uuidText = knownText(plugin.uuid);
	const raw = knownText(plugin.url);
	const forms = raw === undefined ? undefined : tryCanonicalForms(raw, context);
	const patternTexts = raw === undefined ? [] : patternTextsOf(raw, forms);
	let versions: string[] | undefined;
	return {
		uuid: uuidText === undefined ? undefined : normaliseUuid(uuidText),
		locations: forms === undefined ? [] : blacklistLocations(forms),
		foldsCase: forms !== undefined && foldsPathCase(forms.canonical, context),
		patternTexts,
		commit: normaliseCommit(plugin.commit),
		versions() {
			versions ??= knownVersions(plugin);
			return versions;
		},
	};
}

/** The readable versions among the manifest's and the ref's, as semver, without repeats. */
export function knownVersions(plugin: PluginIdentity): string[] {
	const found: string[] = [];
	for (const value of [plugin.version, plugin.refVersion]) {
		const text = knownText(value);
		const parsed = text === undefined ? undefined : pluginVersionToSemver(text);
		if (parsed !== undefined && !found.includes(parsed)) found.push(parsed);
	}
	return found;
}
