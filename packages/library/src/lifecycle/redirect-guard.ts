/**
 * D27 in the lifecycle: an HTTP redirect of a plugin's repository is followed only when its
 * target passes the transport rule of the source it left (registry entry or user's address)
 * and the blacklist. `src/git` discovers the redirects and calls this guard for each hop
 * before anything is requested from the target; git itself never knows about the blacklist.
 *
 * The refusal names the new address, so a repository that moved legitimately has a clear
 * path: the user installs the new address if they trust it (or the registry updates its URL).
 */

import { sanitizeText } from '../core/sanitize.ts';
import { checkRedirectTarget, type TransportUse } from '../core/transport-policy.ts';
import { lifecycleError } from './errors.ts';
import type { RedirectHop } from './ports.ts';
import type { LifecycleReporter } from './prompter.ts';
import type { RegistrySnapshot } from './snapshot.ts';
import { blacklistVerdict } from './verdicts.ts';

export interface RedirectGuardInput {
	snapshot: RegistrySnapshot;
	/** The transport rule of the address being fetched (see `transportUse`). */
	use: TransportUse;
	/** UUID the registry expects at this source, so a `uuid` + `url` entry matches too. */
	uuid?: string;
	/** Told once per followed redirect; absent for quiet callers such as check-updates. */
	reporter?: Pick<LifecycleReporter, 'info'>;
}

/** A guard for `src/git`: throws to refuse a hop; returns to let git follow it. */
export function redirectGuard(input: RedirectGuardInput): (hop: RedirectHop) => void {
	const announced = new Set<string>();
	return (hop) => {
		const from = sanitizeText(hop.from, { maxLength: 200 });
		const to = sanitizeText(hop.to, { maxLength: 200 });
		const details = { from: hop.from, to: hop.to };
		const moved = `The repository at ${from} redirects to ${to}`;
		const decision = checkRedirectTarget(hop.to, input.use);
		if (!decision.allowed) {
			throw lifecycleError('REDIRECT_REFUSED', `${moved}, which Vouch may not fetch from.`, {
				hint: `If the repository has moved and you trust the new address, install ${to} directly.`,
				details,
			});
		}
		// Without a blacklist the target cannot be cleared; failing safe means not following.
		if (input.snapshot.blacklist === undefined) {
			throw lifecycleError(
				'REDIRECT_REFUSED',
				`${moved}, and no blacklist is available to check that address.`,
				{ hint: `Run \`vouch refresh\`, or install ${to} directly if you trust it.`, details },
			);
		}
		// Before the clone nobody knows the version: a `versions` entry is settled after it.
		const verdict = blacklistVerdict(
			input.snapshot,
			{ url: hop.to, ...(input.uuid === undefined ? {} : { uuid: input.uuid }) },
			'skip',
		);
		if (verdict.blocked) {
			throw lifecycleError('BLACKLISTED', `${moved}, which is blacklisted: ${verdict.reason}`, {
				hint: 'The registry blocks the repository this address leads to. Do not install it.',
				details: { ...details, entry: verdict.entry.index, severity: verdict.severity },
			});
		}
		if (!announced.has(hop.to)) {
			announced.add(hop.to);
			input.reporter?.info(`${moved}; fetching from there.`);
		}
	};
}
