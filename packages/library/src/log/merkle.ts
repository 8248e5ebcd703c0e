/**
 * RFC 6962 / RFC 9162 Merkle tree hashing. Leaves and interior nodes are hashed with distinct
 * one-byte prefixes (0x00, 0x01), so a leaf can never be passed off as a node (second-preimage
 * attacks on the tree). A tree of any size is the recursive split at the largest power of two
 * below its size; every range of it is therefore a run of *complete* subtrees, which is how
 * proofs are read from stored hashes and tiles.
 */
import { createHash } from 'node:crypto';
import { logError } from './errors.ts';
import { HASH_BYTES, MAX_TREE_SIZE } from './limits.ts';

const LEAF_PREFIX = new Uint8Array([0x00]);
const NODE_PREFIX = new Uint8Array([0x01]);

export function leafHash(data: Uint8Array): Uint8Array {
	return createHash('sha256').update(LEAF_PREFIX).update(data).digest();
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
	return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** RFC 6962: the hash of the empty tree is the hash of the empty string. */
export function emptyTreeHash(): Uint8Array {
	return createHash('sha256').digest();
}

/**
 * The largest power of two strictly below `n` (n >= 2). Arithmetic, not bit operators: those
 * work on 32 bits in JavaScript and would break trees past 2^31 leaves.
 */
export function largestPowerOfTwoBelow(n: number): number {
	let k = 1;
	while (k * 2 < n) k *= 2;
	return k;
}

export function isPowerOfTwo(n: number): boolean {
	if (n < 1) return false;
	let k = 1;
	while (k < n) k *= 2;
	return k === n;
}

/** A complete subtree: the 2^level leaves starting at `index * 2^level`. */
export interface SubtreeId {
	level: number;
	index: number;
}

/**
 * The complete subtrees that make up leaves [start, end), largest first, as RFC 6962 splits
 * them. `start` must be a multiple of the largest one, which holds for every range a proof
 * needs (they come from the recursive split).
 */
export function completeSubtrees(start: number, end: number): SubtreeId[] {
	const subtrees: SubtreeId[] = [];
	let at = start;
	while (at < end) {
		const size = end - at === 1 ? 1 : largestPowerOfTwoAtMost(end - at);
		let level = 0;
		for (let s = size; s > 1; s /= 2) level++;
		subtrees.push({ level, index: at / size });
		at += size;
	}
	return subtrees;
}

function largestPowerOfTwoAtMost(n: number): number {
	let k = 1;
	while (k * 2 <= n) k *= 2;
	return k;
}

/**
 * Folds the hashes of consecutive complete subtrees (largest first) into the hash of their
 * range: the RFC split puts the largest on the left and recurses on the rest.
 */
export function foldSubtreeHashes(hashes: readonly Uint8Array[]): Uint8Array {
	if (hashes.length === 0) return emptyTreeHash();
	let hash = hashes[hashes.length - 1] as Uint8Array;
	for (let i = hashes.length - 2; i >= 0; i--) hash = nodeHash(hashes[i] as Uint8Array, hash);
	return hash;
}

/** The tree hash of a list of leaf hashes, straight from the definition (for small trees). */
export function treeHashOfLeafHashes(leaves: readonly Uint8Array[]): Uint8Array {
	if (leaves.length === 0) return emptyTreeHash();
	return rangeHash(leaves, 0, leaves.length);
}

function rangeHash(leaves: readonly Uint8Array[], start: number, end: number): Uint8Array {
	if (end - start === 1) return leaves[start] as Uint8Array;
	const k = largestPowerOfTwoBelow(end - start);
	return nodeHash(rangeHash(leaves, start, start + k), rangeHash(leaves, start + k, end));
}

export function assertTreeSize(size: number, what = 'tree size'): void {
	if (!Number.isSafeInteger(size) || size < 0 || size > MAX_TREE_SIZE) {
		throw logError('LOG_INVALID_ARGUMENT', `The ${what} ${String(size)} is out of range.`);
	}
}

export function isHash(value: unknown): value is Uint8Array {
	return value instanceof Uint8Array && value.length === HASH_BYTES;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
	if (a.length !== b.length) return false;
	let diff = 0;
	for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
	return diff === 0;
}
