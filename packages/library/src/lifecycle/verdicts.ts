/**
 * The blacklist and trust questions every lifecycle step asks, worded once. A blocked plugin
 * is an error (exit 3) unless the user forced an install, which is announced as a danger.
 */
import { type BlacklistVerdict, strictestOf } from '../blacklist/index.ts';
import { sanitizeText } from '../core/sanitize.ts';
import type { TrustResult } from '../registry/trust.ts';
import { allSoftReasons, blockDetails } from './blocked-notice.ts';
import { lifecycleError } from './errors.ts';
import type { LifecycleReporter } from './prompter.ts';
import type { RegistrySnapshot } from './snapshot.ts';
import type { InstalledPlugin } from './store/index.ts';

export interface PluginIdentityFacts {
	url?: string;
	uuid?: string;
	version?: string;
	/** The version the fetched or installed tag names; see `version-facts.ts`. */
	refVersion?: string;
	/** The fetched or installed commit; unknown before the clone. */
	commit?: string;
}

/**
 * `skip` for checks made before the plugin's version and commit can be known (pre-clone): an
 * entry with a `versions` or `commit` key is left to the check after the fetch.
 */
export function blacklistVerdict(
	snapshot: Pick<RegistrySnapshot, 'blacklist'>,
	identity: PluginIdentityFacts,
	unknownVersion: 'match' | 'skip' = 'match',
): BlacklistVerdict {
	if (snapshot.blacklist === undefined) return { blocked: false };
	return snapshot.blacklist.check(identity, { unknownVersion });
}

/**
 * The verdict over every address the plugin is known by: the one named and, when a redirect
 * was followed, the one git really fetched from (D27); for a local clone, its origins. Every
 * address is checked, and the strictest verdict over all of them wins (D4), so a soft entry
 * under one address never speaks for a plugin a hard entry blocks under another.
 */
export function blacklistVerdictAt(
	snapshot: Pick<RegistrySnapshot, 'blacklist'>,
	urls: readonly (string | undefined)[],
	identity: Omit<PluginIdentityFacts, 'url'>,
	unknownVersion: 'match' | 'skip' = 'match',
): BlacklistVerdict {
	const verdicts: BlacklistVerdict[] = [];
	for (const url of urls) {
		if (url === undefined) continue;
		verdicts.push(blacklistVerdict(snapshot, { ...identity, url }, unknownVersion));
	}
	// With no address at all, the UUID and version entries still apply: never an empty answer.
	if (verdicts.length === 0) verdicts.push(blacklistVerdict(snapshot, identity, unknownVersion));
	return strictestOf(verdicts);
}

/**
 * Every address an installed plugin answers for (D27): the one it was installed from, the one
 * git really fetched from after an HTTP redirect, and for a local clone the origin it was
 * cloned from. Each later check (startup, enable, release from quarantine, list) uses all of
 * them, so an entry the registry adds after install catches a copy as surely as the original.
 */
export function installedAddresses(
	plugin: Pick<InstalledPlugin, 'source' | 'originUrl' | 'originFetchUrl'>,
	url: string = plugin.source.url,
): (string | undefined)[] {
	return [url, plugin.source.fetchedUrl, plugin.originUrl, plugin.originFetchUrl];
}

export interface BlockInput {
	verdict: BlacklistVerdict;
	/** Sanitised by this module. */
	name: string;
	force: boolean;
	reporter: LifecycleReporter;
	/**
	 * The verdict of an earlier check of the same install: a forced install is checked before
	 * the clone and again after it, and the danger notice of an entry already shown is not
	 * repeated. A different entry (the UUID matched another one) still gets its own notice.
	 */
	shown?: BlacklistVerdict;
}

/** Throws BLACKLISTED for a blocked plugin, unless forced (install only, D10). */
export function refuseIfBlocked(input: BlockInput): void {
	const { verdict } = input;
	if (!verdict.blocked) return;
	const name = sanitizeText(input.name, { maxLength: 120 });
	// Every soft entry that matched is named (D4): refused on the first reason alone, a user who
	// sees it answered would fix or accept that one and meet the others unread.
	const details = blockDetails(verdict);
	const reasons = [details.reason, ...(details.alsoSoftReasons ?? [])];
	if (input.force) {
		const earlier = input.shown;
		if (earlier?.blocked === true && earlier.entry.index === verdict.entry.index) return;
		input.reporter.warn(
			`DANGER: ${name} is blacklisted (${allSoftReasons(details)}). Installing anyway because of --force-blacklisted. It may harm you or your data.`,
		);
		return;
	}
	throw lifecycleError('BLACKLISTED', `${name} is blacklisted: ${allSoftReasons(details)}`, {
		hint:
			verdict.severity === 'soft'
				? reasons.length > 1
					? `The registry advises against this plugin for ${reasons.length} reasons; see them above.`
					: 'The registry advises against this plugin; see the reason above.'
				: 'The registry blocks this plugin as harmful. Do not install it.',
		details: {
			entry: verdict.entry.index,
			severity: verdict.severity,
			matchedOn: verdict.matchedOn,
			reasons,
			...(verdict.alsoSoft === undefined || verdict.alsoSoft.length === 0
				? {}
				: { alsoSoftEntries: verdict.alsoSoft.map((other) => other.entry.index) }),
		},
	});
}

/** Lines to show the user about how trust was decided: impersonation, moves, UUID mismatch. */
export function trustNotices(trust: TrustResult): string[] {
	const notices: string[] = [];
	if (trust.impersonation !== undefined) {
		notices.push(`POSSIBLE IMPERSONATION: ${trust.impersonation.reason}`);
	}
	if (trust.uuidMismatch !== undefined) {
		notices.push(
			`This URL is registered for "${sanitizeText(trust.uuidMismatch.plugin.id)}", but the plugin found there has another UUID (${sanitizeText(trust.uuidMismatch.actualUuid)}), so the registry's trust does not apply.`,
		);
	}
	if (trust.redirectedFrom !== undefined) {
		notices.push(
			`This address is an old one of "${sanitizeText(trust.redirectedFrom.plugin.id)}", which now lives at ${sanitizeText(trust.redirectedFrom.plugin.gitUrl)}.`,
		);
	}
	return notices;
}
