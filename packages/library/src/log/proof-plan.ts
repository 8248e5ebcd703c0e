/**
 * Which subtree hashes make up an inclusion or a consistency proof (RFC 9162 §2.1.3.1 and
 * §2.1.4.1), as ranges of leaves, in proof order. Planning is separate from reading hashes so
 * that the same plan serves an in-memory tree and a tile reader, and a tile reader can fetch
 * every tile a proof needs before hashing.
 */
import { logError } from './errors.ts';
import {
	assertTreeSize,
	completeSubtrees,
	largestPowerOfTwoBelow,
	type SubtreeId,
} from './merkle.ts';

/** Leaves [start, end): one element of a proof is the tree hash of one such range. */
export interface LeafRange {
	start: number;
	end: number;
}

/** RFC 9162 PATH(m, D[n]): the audit path of leaf `index` in a tree of `size` leaves. */
export function inclusionProofRanges(index: number, size: number): LeafRange[] {
	assertTreeSize(size);
	if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
		throw logError('LOG_INVALID_ARGUMENT', `Leaf ${String(index)} is not in a tree of ${size}.`);
	}
	const ranges: LeafRange[] = [];
	let start = 0;
	let end = size;
	// Walk down from the root; each step's sibling joins the proof, deepest sibling first.
	while (end - start > 1) {
		const k = largestPowerOfTwoBelow(end - start);
		if (index < start + k) {
			ranges.push({ start: start + k, end });
			end = start + k;
		} else {
			ranges.push({ start, end: start + k });
			start += k;
		}
	}
	return ranges.reverse();
}

/**
 * RFC 9162 PROOF(m, D[n]) = SUBPROOF(m, D[n], true): the hashes that link a tree of `first`
 * leaves to a tree of `second`. Empty when first is 0 or equal to second.
 */
export function consistencyProofRanges(first: number, second: number): LeafRange[] {
	assertTreeSize(first, 'first tree size');
	assertTreeSize(second, 'second tree size');
	if (first > second) {
		throw logError('LOG_INVALID_ARGUMENT', `A tree of ${first} cannot precede one of ${second}.`);
	}
	if (first === 0 || first === second) return [];
	const ranges: LeafRange[] = [];
	let start = 0;
	let end = second;
	let m = first;
	let wholeOldTree = true;
	while (m !== end - start) {
		const k = largestPowerOfTwoBelow(end - start);
		if (m <= k) {
			ranges.push({ start: start + k, end });
			end = start + k;
		} else {
			ranges.push({ start, end: start + k });
			start += k;
			m -= k;
			wholeOldTree = false;
		}
	}
	// SUBPROOF(m, D[m], b): nothing when the old tree is the whole subtree (the verifier knows
	// its hash), else the subtree's own hash.
	if (!wholeOldTree) ranges.push({ start, end });
	return ranges.reverse();
}

/** The complete subtrees each range of a plan is made of. */
export function subtreesOf(ranges: readonly LeafRange[]): SubtreeId[][] {
	return ranges.map((range) => completeSubtrees(range.start, range.end));
}
