/**
 * "Did you mean": the few known names closest to one a person mistyped (a plugin id, a trust
 * level). Close means a small edit distance, with swapped neighbours counting as one edit, or
 * containing what was typed. Suggestions are names Vouch already knows, but they may come
 * from a registry: `didYouMean` sanitises them for a terminal; `--json` carries them as data.
 */
import { sanitizeText } from './sanitize.ts';

/** At most this many suggestions: more is a list to read, not a correction. */
export const MAX_SUGGESTIONS = 3;

/** Typed text longer than this is not a typo of a short name; nothing is compared. */
const MAX_COMPARED_LENGTH = 200;

export interface SuggestOptions {
	max?: number;
}

/**
 * The candidates closest to `typed`, best first, without duplicates. Case is ignored. An
 * exact match is not a suggestion: the caller would have found it.
 */
export function closestNames(
	typed: string,
	candidates: Iterable<string>,
	options: SuggestOptions = {},
): string[] {
	const needle = typed.trim().toLowerCase();
	if (needle.length === 0 || needle.length > MAX_COMPARED_LENGTH) return [];
	const limit = allowedDistance(needle);
	const scored: Array<{ name: string; score: number }> = [];
	const seen = new Set<string>();
	for (const name of candidates) {
		const key = name.toLowerCase();
		if (seen.has(key) || key === needle || key.length > MAX_COMPARED_LENGTH) continue;
		seen.add(key);
		const distance = editDistance(needle, key, limit);
		if (distance <= limit) {
			scored.push({ name, score: distance });
		} else if (needle.length >= 3 && key.includes(needle)) {
			// "tagger" for "tagger-tools": a fragment of the name, ranked after real typos.
			scored.push({ name, score: limit + 1 + (key.length - needle.length) / 1000 });
		}
	}
	scored.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
	return scored.slice(0, options.max ?? MAX_SUGGESTIONS).map((entry) => entry.name);
}

/** One edit per four characters, at least one and at most three. */
function allowedDistance(text: string): number {
	return Math.min(3, Math.max(1, Math.floor(text.length / 4)));
}

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions), giving up
 * early: anything above `limit` is reported as `limit + 1`.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
	if (Math.abs(a.length - b.length) > limit) return limit + 1;
	let before: number[] = [];
	let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		let rowMin = i;
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			let value = Math.min(
				(previous[j] as number) + 1,
				(current[j - 1] as number) + 1,
				(previous[j - 1] as number) + cost,
			);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
				value = Math.min(value, (before[j - 2] as number) + 1);
			}
			current.push(value);
			rowMin = Math.min(rowMin, value);
		}
		if (rowMin > limit) return limit + 1;
		before = previous;
		previous = current;
	}
	return Math.min(previous[b.length] as number, limit + 1);
}

/** The sentence a hint ends with, sanitised, or undefined when there is nothing to suggest. */
export function didYouMean(suggestions: readonly string[]): string | undefined {
	if (suggestions.length === 0) return undefined;
	return `Did you mean ${suggestions.map((name) => sanitizeText(name, { maxLength: 80 })).join(', ')}?`;
}
