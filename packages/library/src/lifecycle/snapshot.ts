/**
 * What the lifecycle knows about the registry at the moment it acts: the index for trust and
 * redirects, the compiled blacklist, and how fresh that blacklist is. The gate below is D1:
 * installing, updating, switching or enabling a remote plugin needs a verified blacklist that
 * has not expired, or an explicit, loudly announced override.
 */
import {
	type BlacklistFreshness,
	type CompiledBlacklist,
	compileBlacklist,
} from '../blacklist/index.ts';
import type { CanonicalUrlContext } from '../core/canonical-url.ts';
import { sanitizeText } from '../core/sanitize.ts';
import { buildRegistryIndex, type RegistryIndex } from '../registry/index.ts';
import type { RegistryLoadResult } from '../registry/sources/index.ts';
import type { RegistryScanSummary } from '../tuf/client/scan-summary.ts';
import { lifecycleError } from './errors.ts';
import type { LifecycleReporter } from './prompter.ts';

export interface RegistrySnapshot {
	/** Undefined when no registry could be read (nor a cached one). */
	index?: RegistryIndex;
	blacklist?: CompiledBlacklist;
	freshness: BlacklistFreshness;
	signed: boolean;
	/** Where it came from, for messages. */
	source?: string;
	/** Read from a local file (an offline mirror), which may list local git paths (D11). */
	local?: boolean;
	/** Why no registry is available, when `index` is undefined. */
	problem?: string;
	/**
	 * The signed registry's scan report summary of one plugin's commit (D21), verified through
	 * TUF; undefined when it publishes none. Absent for an unsigned registry.
	 */
	registryScan?(id: string, commit: string): Promise<RegistryScanSummary | undefined>;
}

export interface BlacklistGateInput {
	snapshot: RegistrySnapshot;
	allowStaleBlacklist: boolean;
	/** What is being done, for the message: "install", "update"... */
	action: string;
	reporter: LifecycleReporter;
}

/** Throws BLACKLIST_STALE unless the blacklist may be relied on, or the user overrode it. */
export function assertBlacklistUsable(input: BlacklistGateInput): void {
	const { snapshot } = input;
	// D1: only an unexpired blacklist counts. A signed one is "stale" as soon as its verified
	// timestamp expires, and from then on it vouches for nothing new.
	if (snapshot.blacklist !== undefined && snapshot.freshness.state === 'fresh') return;
	const why =
		snapshot.blacklist === undefined
			? `no blacklist could be read${snapshot.problem === undefined ? '' : ` (${sanitizeText(snapshot.problem, { maxLength: 300 })})`}`
			: snapshot.freshness.state === 'stale'
				? 'the signed blacklist has expired (its verified timestamp is past) and no newer one could be verified'
				: `the blacklist is ${Math.floor(snapshot.freshness.ageDays ?? 0)} days old, past the profile's limit`;
	if (!input.allowStaleBlacklist) {
		throw lifecycleError(
			'BLACKLIST_STALE',
			`Cannot ${input.action}: ${why}, so Vouch cannot tell whether the plugin is known to be malicious.`,
			{
				hint: 'Run `vouch refresh`. Only if you accept the risk: --allow-stale-blacklist.',
			},
		);
	}
	input.reporter.warn(
		`DANGER: ${why}. Going on because of --allow-stale-blacklist: a plugin blocked since the last refresh would not be caught.`,
	);
}

/** What the lifecycle knows when no registry could be read: nothing, which D1 treats as unsafe. */
export function unavailableSnapshot(problem: string): RegistrySnapshot {
	return { freshness: { state: 'missing', blockUntrustedPlugins: true }, signed: false, problem };
}

/** The snapshot of a loaded registry: its index, its compiled blacklist and how fresh it is. */
export function snapshotOf(
	loaded: Pick<RegistryLoadResult, 'registry' | 'freshness' | 'signed' | 'source'> & {
		local?: boolean;
		/** Reused when the caller already built it. */
		index?: RegistryIndex;
	},
	/** How URLs are made canonical: cwd, home and the profile's case-insensitive hosts. */
	urlContext: CanonicalUrlContext,
): RegistrySnapshot {
	return {
		index: loaded.index ?? buildRegistryIndex(loaded.registry, urlContext),
		blacklist: compileBlacklist(loaded.registry.blacklist, urlContext),
		freshness: loaded.freshness,
		signed: loaded.signed,
		source: loaded.source,
		local: loaded.local === true,
	};
}
