/**
 * Look-alikes of registered plugins: a new id, name or address that a reader would take for an
 * existing one. Two strengths:
 * - confusable: the same on screen (same skeleton, `core/confusables.ts`), written
 *   differently. Nobody picks `Аdd to Collection` with a Cyrillic А by chance: an error.
 * - look-alike: a small edit away (`add-to-colection`). Honest plugins can have close names,
 *   so a person decides: a warning.
 * This is the one implementation; any other check that needs it (an install gate) calls it.
 */
import { domainToUnicode } from 'node:url';
import { confusableSkeleton, looksConfusable } from '../../core/confusables.ts';
import { editDistance } from '../../core/suggest.ts';
import type { RegistryPlugin } from '../model.ts';

export type LookalikeField = 'id' | 'name' | 'url';

export interface Lookalike {
	field: LookalikeField;
	strength: 'confusable' | 'close';
	/** The registered plugin it resembles. */
	plugin: RegistryPlugin;
	/** The registered value resembled (id, name or git_url), raw: sanitise before display. */
	resembles: string;
	/** Edits between the two skeletons (0 for confusable). */
	distance: number;
}

export interface LookalikeSubject {
	id: string;
	name: string;
	/** Canonical (D2). */
	canonicalGitUrl: string;
}

/**
 * Edits that still make a look-alike, by skeleton length: none under 5 characters (short names
 * are close to each other by nature), one up to 11, two from 12.
 */
export function closeDistanceFor(length: number): number {
	if (length < 5) return 0;
	return length < 12 ? 1 : 2;
}

/** The look-alikes of `subject` among `others` (which must not include the subject itself). */
export function findLookalikes(
	subject: LookalikeSubject,
	others: readonly RegistryPlugin[],
): Lookalike[] {
	const found: Lookalike[] = [];
	const fields: Array<[LookalikeField, string, (plugin: RegistryPlugin) => string]> = [
		['id', subject.id, (plugin) => plugin.id],
		['name', subject.name, (plugin) => plugin.name],
		['url', urlFace(subject.canonicalGitUrl), (plugin) => urlFace(plugin.canonicalGitUrl)],
	];
	for (const plugin of others) {
		for (const [field, mine, theirsOf] of fields) {
			const theirs = theirsOf(plugin);
			const resembles = field === 'id' ? plugin.id : field === 'name' ? plugin.name : plugin.gitUrl;
			const match = compare(mine, theirs, field);
			if (match !== undefined) found.push({ field, plugin, resembles, ...match });
		}
	}
	return found;
}

function compare(
	mine: string,
	theirs: string,
	field: LookalikeField,
): Pick<Lookalike, 'strength' | 'distance'> | undefined {
	const a = mine.normalize('NFC');
	const b = theirs.normalize('NFC');
	// The same text is a duplicate (lint) or a taken name (any case), not a look-alike.
	if (a === b) return undefined;
	if (a.toLowerCase() === b.toLowerCase()) {
		// Canonical addresses differ in case only where the host serves paths case-sensitively
		// (D2 folds the others): two repositories a reader cannot tell apart, and no lint sees.
		return field === 'url' ? { strength: 'confusable', distance: 0 } : undefined;
	}
	if (looksConfusable(mine, theirs)) return { strength: 'confusable', distance: 0 };
	const skeletonA = confusableSkeleton(mine);
	const skeletonB = confusableSkeleton(theirs);
	const limit = closeDistanceFor(Math.min(skeletonA.length, skeletonB.length));
	if (limit === 0) return undefined;
	const distance = editDistance(skeletonA, skeletonB, limit);
	return distance <= limit ? { strength: 'close', distance } : undefined;
}

/**
 * An address as a reader sees it: host (in Unicode, as a browser shows an IDN) and path,
 * without scheme. A canonical URL holds punycode, which hides a Cyrillic host from a skeleton.
 */
function urlFace(canonical: string): string {
	const match = /^[a-z][a-z0-9+.-]*:\/\/([^/]*)(.*)$/i.exec(canonical);
	if (match === null) return canonical;
	const host = domainToUnicode(match[1] as string) || (match[1] as string);
	return `${host}${match[2] as string}`;
}
