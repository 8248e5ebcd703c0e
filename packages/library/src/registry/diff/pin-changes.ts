/**
 * Pin changes of one plugin entry (D19b). An unpin lowers security: a pin removed, or pins
 * that are no longer enforced because the entry's trust changed. Who is held to pins is the
 * release policy's to say (`release-policy.ts`), not this file's.
 */
import { sanitizeText } from '../../core/sanitize.ts';
import type { RegistryPlugin, ReleasePin } from '../model.ts';
import { releasePolicy } from '../release-policy.ts';
import type { DiffChange } from './changes.ts';

/** A change before the plugin ids are filled in. */
export type Draft = Omit<DiffChange, 'plugin' | 'oldPlugin'>;

const s = (text: string) => sanitizeText(text, { maxLength: 300 });

function pinText(pin: ReleasePin): string {
	return `${s(pin.ref)} @ ${s(pin.commit)} (${s(pin.tree)})`;
}

export function pinChanges(before: RegistryPlugin, after: RegistryPlugin): Draft[] {
	const drafts: Draft[] = [];
	const oldByRef = new Map(before.releases.map((pin) => [pin.ref, pin]));
	const newByRef = new Map(after.releases.map((pin) => [pin.ref, pin]));
	for (const pin of after.releases) {
		const old = oldByRef.get(pin.ref);
		if (old === undefined) {
			drafts.push({
				kind: 'pin-added',
				after: pinText(pin),
				lowersSecurity: false,
				message: `Pin added: ${pinText(pin)}.`,
			});
		} else if (old.commit.toLowerCase() !== pin.commit.toLowerCase() || old.tree !== pin.tree) {
			drafts.push({
				kind: 'pin-moved',
				before: pinText(old),
				after: pinText(pin),
				lowersSecurity: false,
				message: `Pin of ${s(pin.ref)} moved: ${pinText(old)} → ${pinText(pin)}.`,
			});
		}
	}
	for (const pin of before.releases) {
		if (newByRef.has(pin.ref)) continue;
		drafts.push({
			kind: 'pin-removed',
			before: pinText(pin),
			lowersSecurity: true,
			why: 'unpinned: a release no longer held to its reviewed commit',
			message: `Pin removed: ${pinText(pin)}.`,
		});
	}
	// The release policy is the one home of "who is held to pins": a trust change can unpin too
	// (a pinned trusted plugin lowered to community is held to nothing any more).
	const wasHeld = releasePolicy(before.trustLevel, before).kind === 'pinned';
	const isHeld = releasePolicy(after.trustLevel, after).kind === 'pinned';
	if (wasHeld && !isHeld && after.releases.length > 0) {
		drafts.push({
			kind: 'pin-removed',
			before: `${before.releases.length} pin(s) enforced`,
			after: 'pins no longer enforced',
			lowersSecurity: true,
			why: `unpinned: a ${after.trustLevel} plugin is not held to its pins`,
			message: `Its pins are no longer enforced (${before.trustLevel} → ${after.trustLevel}).`,
		});
	}
	return drafts;
}
