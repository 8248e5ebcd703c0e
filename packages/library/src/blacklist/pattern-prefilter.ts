/**
 * Chooses which `url_regex` patterns are worth running on a URL. Each pattern's required
 * literals go into one Aho–Corasick automaton; a pattern is a candidate for a text only when
 * the text contains all of them. Patterns without a certain literal are always candidates.
 * Exactly equivalent to running every pattern, because a match implies its literals occur.
 */
import { type AhoCorasick, buildAhoCorasick } from './aho-corasick.ts';
import { requiredLiterals } from './required-literals.ts';

export interface PatternPrefilter {
	/** Patterns needing a literal: for the benchmark and the tests. */
	readonly filteredCount: number;
	/** Patterns run on every URL. */
	readonly alwaysCount: number;
	/** Calls `visit(slot)` once for each pattern that could match at least one of the texts. */
	candidates(texts: readonly string[], visit: (slot: number) => void): void;
}

/** `slot` is the pattern's position in `patterns`. */
export function buildPatternPrefilter(patterns: readonly string[]): PatternPrefilter {
	const always: number[] = [];
	const literalIds = new Map<string, number>();
	// For each literal: the patterns needing it, and which of their bits it sets.
	const users: { slot: number; bit: number }[][] = [];
	const fullMask = new Uint8Array(patterns.length);
	for (const [slot, pattern] of patterns.entries()) {
		const literals = requiredLiterals(pattern);
		if (literals === undefined) {
			always.push(slot);
			continue;
		}
		for (const [position, literal] of literals.entries()) {
			let id = literalIds.get(literal);
			if (id === undefined) {
				id = users.length;
				literalIds.set(literal, id);
				users.push([]);
			}
			const bit = 1 << position;
			(users[id] as { slot: number; bit: number }[]).push({ slot, bit });
			fullMask[slot] = (fullMask[slot] as number) | bit;
		}
	}
	const automaton: AhoCorasick = buildAhoCorasick([...literalIds.keys()]);

	// Per-scan scratch space, reset by bumping a generation number instead of clearing.
	const seenIn = new Uint32Array(patterns.length);
	const found = new Uint8Array(patterns.length);
	const emittedIn = new Uint32Array(patterns.length);
	let generation = 0;
	/** Generations for one call and its scans; the arrays are cleared before the counter wraps. */
	const reserve = (count: number) => {
		if (generation > 0xffffffff - count) {
			seenIn.fill(0);
			emittedIn.fill(0);
			generation = 0;
		}
		const first = generation + 1;
		generation += count;
		return first;
	};

	return {
		filteredCount: patterns.length - always.length,
		alwaysCount: always.length,
		candidates(texts, visit) {
			const call = reserve(texts.length + 1);
			for (const slot of always) {
				emittedIn[slot] = call;
				visit(slot);
			}
			for (const [position, text] of texts.entries()) {
				const scan = call + 1 + position;
				automaton.scan(text, (id) => {
					for (const { slot, bit } of users[id] as { slot: number; bit: number }[]) {
						const mask = seenIn[slot] === scan ? (found[slot] as number) | bit : bit;
						seenIn[slot] = scan;
						found[slot] = mask;
						if (mask === fullMask[slot] && emittedIn[slot] !== call) {
							emittedIn[slot] = call;
							visit(slot);
						}
					}
				});
			}
		},
	};
}
