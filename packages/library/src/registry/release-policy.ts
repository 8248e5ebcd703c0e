/**
 * The "official needs a pin" rule (D19b), in one place. A registry entry may pin reviewed
 * releases `{ref, commit, tree}`; which entries are held to them, and what an official entry
 * without any pin means, is decided here and nowhere else. The ref choice of install and
 * update, the release check, `registry lint` and `registry publish` all ask this module: when
 * they each kept a copy, the ref choice already disagreed with the release check.
 *
 * - official: held to its pins. With none, a signed registry offers nothing it may install
 *   (publish refuses such an entry, lint warns); an unsigned registry cannot vouch for any
 *   release, so it installs, shown as "release not verified".
 * - trusted with pins: held to them the same way.
 * - trusted without pins, community, unregistered: no release check.
 */
import type { ReleasePin, TrustLevel } from './model.ts';

export type ReleasePolicy =
	/** No release check: install and update choose freely. */
	| { kind: 'free' }
	/** Only a commit and tree matching one of these pins may be installed. */
	| { kind: 'pinned'; pins: readonly ReleasePin[] }
	/** An official entry without pins: nothing is installable from a signed registry. */
	| { kind: 'unpinned-official' };

/** The part of a registry entry the rule reads. */
export interface PinnedEntry {
	releases: readonly ReleasePin[];
}

/**
 * The policy for a plugin at `level` whose registry entry is `entry`. `level` is the trust the
 * plugin gets from that entry (D6), or the entry's own level before the plugin is fetched.
 */
export function releasePolicy(level: TrustLevel, entry: PinnedEntry | undefined): ReleasePolicy {
	if (entry === undefined) return { kind: 'free' };
	if (level === 'official') {
		return entry.releases.length === 0
			? { kind: 'unpinned-official' }
			: { kind: 'pinned', pins: entry.releases };
	}
	if (level === 'trusted' && entry.releases.length > 0) {
		return { kind: 'pinned', pins: entry.releases };
	}
	return { kind: 'free' };
}

/** Whether a release check applies at all (pinned, or official without pins). */
export function releaseCheckApplies(level: TrustLevel, entry: PinnedEntry | undefined): boolean {
	return releasePolicy(level, entry).kind !== 'free';
}

/** An official entry a signed registry could never install: lint warns, publish refuses. */
export function isUnpinnedOfficial(entry: PinnedEntry & { trustLevel: TrustLevel }): boolean {
	return releasePolicy(entry.trustLevel, entry).kind === 'unpinned-official';
}

/**
 * What a registry entry promises about its releases, for listings: `signed-pins` when a signed
 * registry holds it to pins, `unsigned-registry` when a check would apply but nothing can
 * verify it, `not-required` otherwise.
 */
export function releaseStatusOf(
	entry: PinnedEntry & { trustLevel: TrustLevel },
	signedRegistry: boolean,
): 'signed-pins' | 'unsigned-registry' | 'not-required' {
	if (!releaseCheckApplies(entry.trustLevel, entry)) return 'not-required';
	return signedRegistry ? 'signed-pins' : 'unsigned-registry';
}
