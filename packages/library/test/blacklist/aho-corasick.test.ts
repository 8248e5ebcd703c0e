import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { buildAhoCorasick } from '../../src/blacklist/aho-corasick.ts';

/** Every (id, end position) pair, found the slow way. */
function occurrences(patterns: readonly string[], text: string): string[] {
	const found: string[] = [];
	for (let end = 1; end <= text.length; end++) {
		for (const [id, pattern] of patterns.entries()) {
			if (
				pattern.length > 0 &&
				end >= pattern.length &&
				text.slice(end - pattern.length, end) === pattern
			) {
				found.push(`${id}@${end}`);
			}
		}
	}
	return found.sort();
}

function scanned(patterns: readonly string[], text: string): string[] {
	const found: string[] = [];
	let end = 0;
	const automaton = buildAhoCorasick(patterns);
	// Re-scan prefixes to learn where each match ends; the automaton reports in text order.
	for (end = 1; end <= text.length; end++) {
		const before = new Map<number, number>();
		automaton.scan(text.slice(0, end - 1), (id) => before.set(id, (before.get(id) ?? 0) + 1));
		const now = new Map<number, number>();
		automaton.scan(text.slice(0, end), (id) => now.set(id, (now.get(id) ?? 0) + 1));
		for (const [id, count] of now) {
			for (let k = before.get(id) ?? 0; k < count; k++) found.push(`${id}@${end}`);
		}
	}
	return found.sort();
}

describe('Aho–Corasick', () => {
	it('finds overlapping, nested and repeated literals', () => {
		const patterns = ['he', 'she', 'his', 'hers', 'he'];
		const ids: number[] = [];
		buildAhoCorasick(patterns).scan('ushershe', (id) => ids.push(id));
		assert.deepEqual(ids.sort(), [0, 0, 1, 1, 3, 4, 4]);
	});

	it('handles characters outside the BMP and empty patterns', () => {
		const ids: number[] = [];
		buildAhoCorasick(['😀x', '', 'x']).scan('a😀xb😀', (id) => ids.push(id));
		assert.deepEqual(ids.sort(), [0, 2]);
	});

	it('agrees with a brute-force search on random literals', () => {
		const alphabet = fc.constantFrom('a', 'b', 'c');
		fc.assert(
			fc.property(
				fc.array(fc.string({ unit: alphabet, maxLength: 4 }), { maxLength: 6 }),
				fc.string({ unit: alphabet, maxLength: 16 }),
				(patterns, text) => {
					assert.deepEqual(scanned(patterns, text), occurrences(patterns, text));
				},
			),
			{ numRuns: 300 },
		);
	});
});
