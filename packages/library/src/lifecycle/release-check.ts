/**
 * D19b: reviewed releases, checked against what was fetched. Which entries are held to pins is
 * `registry/release-policy.ts`; this module compares. From a signed registry the pins are
 * signed too, so:
 * - an official plugin installs or updates only to a commit AND tree matching one of its pins
 *   (an official entry without pins installs nothing; `registry publish` refuses such entries);
 * - a trusted plugin that has pins is held to them the same way;
 * - a mismatch is a refusal with exit code 3, like a blacklist hit.
 * An unsigned registry offers nothing to verify a pin against: its official and pinned plugins
 * still install, but are marked "unsigned registry: release not verified" wherever they are
 * shown. Pins it carries are compared all the same, since a mismatch there is still a warning
 * sign worth refusing on.
 */
import { ExitCode } from '../core/errors.ts';
import { sanitizeText } from '../core/sanitize.ts';
import type { ReleasePin } from '../registry/model.ts';
import { releasePolicy } from '../registry/release-policy.ts';
import type { TrustResult } from '../registry/trust.ts';
import { lifecycleError } from './errors.ts';

/** What was verified about the installed release; kept with the plugin and shown to users. */
export type ReleaseCheck =
	/** The commit and tree match a pin of a signed registry. */
	| { state: 'verified'; ref: string }
	/** Pins would apply, but the registry is unsigned: nothing could be verified. */
	| { state: 'unsigned-registry' }
	/** Neither official nor pinned: no release check applies. */
	| { state: 'not-required' };

/** The words every view uses for a release an unsigned registry could not vouch for. */
export const UNSIGNED_RELEASE_LABEL = 'unsigned registry: release not verified';

export interface ReleaseCheckInput {
	trust: TrustResult;
	/** Whether the registry the trust came from was verified (TUF). */
	signedRegistry: boolean;
	/** What was fetched: the commit git checked out and the tree digest of the checkout. */
	commit: string;
	tree: string;
}

export function checkRelease(input: ReleaseCheckInput): ReleaseCheck {
	const entry = input.trust.plugin;
	const policy = releasePolicy(input.trust.level, entry);
	if (entry === undefined || policy.kind === 'free') return { state: 'not-required' };
	if (policy.kind === 'unpinned-official') {
		if (!input.signedRegistry) return { state: 'unsigned-registry' };
		throw pinError(
			`Official plugin ${sanitizeText(entry.id)} has no reviewed releases in the signed registry, so there is nothing it may install.`,
			'The registry must pin a release (`vouch registry pin`) before this plugin can be installed.',
		);
	}
	const commit = input.commit.toLowerCase();
	const pin = entry.releases.find((release) => release.commit.toLowerCase() === commit);
	if (pin === undefined) {
		throw pinError(
			`Commit ${sanitizeText(input.commit.slice(0, 12))} of ${sanitizeText(entry.id)} is not one of its reviewed releases (${describePins(entry.releases)}).`,
			'Install or update without --ref to get a reviewed release, or report this to the registry maintainers.',
		);
	}
	if (pin.tree !== input.tree) {
		throw pinError(
			`The files of ${sanitizeText(entry.id)} at ${sanitizeText(pin.ref)} do not match the reviewed release: tree ${sanitizeText(input.tree)}, pinned ${sanitizeText(pin.tree)}. The git server may be serving altered code under the reviewed commit.`,
			'Do not install it. Report this to the registry maintainers.',
		);
	}
	return input.signedRegistry
		? { state: 'verified', ref: pin.ref }
		: { state: 'unsigned-registry' };
}

function describePins(pins: readonly ReleasePin[]): string {
	const shown = pins.slice(0, 5).map((pin) => sanitizeText(pin.ref));
	return pins.length > shown.length ? `${shown.join(', ')}, ...` : shown.join(', ');
}

function pinError(message: string, hint: string) {
	return lifecycleError('PIN_MISMATCH', message, { hint, exitCode: ExitCode.blocked });
}
