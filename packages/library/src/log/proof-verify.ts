/**
 * RFC 9162 proof verification (§2.1.3.2 inclusion, §2.1.4.2 consistency), followed step by
 * step. Every size is checked before any hashing: an index outside the tree, a first size
 * above the second, a proof of the wrong length. The final `sn == 0` checks are what make a
 * proof valid for exactly the sizes it was made for; a verifier without them accepts a proof
 * for the wrong tree size, a known bug class in log clients.
 */
import { logError } from './errors.ts';
import { MAX_PROOF_HASHES } from './limits.ts';
import { assertTreeSize, equalBytes, isHash, isPowerOfTwo, leafHash, nodeHash } from './merkle.ts';

function badProof(message: string): Error {
	return logError('LOG_BAD_PROOF', message);
}

function assertProofShape(proof: readonly Uint8Array[]): void {
	if (!Array.isArray(proof) || proof.length > MAX_PROOF_HASHES) {
		throw badProof('The proof has too many hashes.');
	}
	if (!proof.every(isHash)) throw badProof('A proof hash is not 32 bytes.');
}

/** Checks that `leafHashValue` is leaf `index` of the tree of `size` leaves whose hash is `root`. */
export function verifyInclusion(
	leafHashValue: Uint8Array,
	index: number,
	size: number,
	proof: readonly Uint8Array[],
	root: Uint8Array,
): void {
	assertTreeSize(size);
	assertProofShape(proof);
	if (!isHash(leafHashValue) || !isHash(root)) throw badProof('A hash is not 32 bytes.');
	if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
		throw badProof(`Leaf ${String(index)} is not in a tree of ${size}.`);
	}
	let fn = index;
	let sn = size - 1;
	let r = leafHashValue;
	for (const p of proof) {
		if (sn === 0) throw badProof('The inclusion proof is too long.');
		if (fn % 2 === 1 || fn === sn) {
			r = nodeHash(p, r);
			while (fn % 2 === 0 && fn !== 0) {
				fn = Math.floor(fn / 2);
				sn = Math.floor(sn / 2);
			}
		} else {
			r = nodeHash(r, p);
		}
		fn = Math.floor(fn / 2);
		sn = Math.floor(sn / 2);
	}
	if (sn !== 0) throw badProof('The inclusion proof is too short.');
	if (!equalBytes(r, root)) throw badProof('The inclusion proof does not lead to the root.');
}

/** Checks that leaf data (not yet hashed) is leaf `index`. */
export function verifyLeafInclusion(
	leaf: Uint8Array,
	index: number,
	size: number,
	proof: readonly Uint8Array[],
	root: Uint8Array,
): void {
	verifyInclusion(leafHash(leaf), index, size, proof, root);
}

/** Checks that the tree (`first`, `firstRoot`) is a prefix of (`second`, `secondRoot`). */
export function verifyConsistency(
	first: number,
	second: number,
	proof: readonly Uint8Array[],
	firstRoot: Uint8Array,
	secondRoot: Uint8Array,
): void {
	assertTreeSize(first, 'first tree size');
	assertTreeSize(second, 'second tree size');
	assertProofShape(proof);
	if (!isHash(firstRoot) || !isHash(secondRoot)) throw badProof('A root is not 32 bytes.');
	if (first > second) throw badProof(`A tree of ${first} cannot precede one of ${second}.`);
	if (first === second) {
		if (proof.length !== 0) throw badProof('A proof between equal sizes must be empty.');
		if (!equalBytes(firstRoot, secondRoot)) throw badProof('Equal sizes with different roots.');
		return;
	}
	if (first === 0) {
		// Every tree extends the empty one; a proof here is padding an attacker chose.
		if (proof.length !== 0) throw badProof('A proof from the empty tree must be empty.');
		return;
	}
	if (proof.length === 0) throw badProof('The consistency proof is empty.');
	const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
	let fn = first - 1;
	let sn = second - 1;
	while (fn % 2 === 1) {
		fn = Math.floor(fn / 2);
		sn = Math.floor(sn / 2);
	}
	let fr = path[0] as Uint8Array;
	let sr = path[0] as Uint8Array;
	for (const c of path.slice(1)) {
		if (sn === 0) throw badProof('The consistency proof is too long.');
		if (fn % 2 === 1 || fn === sn) {
			fr = nodeHash(c, fr);
			sr = nodeHash(c, sr);
			while (fn % 2 === 0 && fn !== 0) {
				fn = Math.floor(fn / 2);
				sn = Math.floor(sn / 2);
			}
		} else {
			sr = nodeHash(sr, c);
		}
		fn = Math.floor(fn / 2);
		sn = Math.floor(sn / 2);
	}
	if (sn !== 0) throw badProof('The consistency proof is too short.');
	if (!equalBytes(fr, firstRoot)) throw badProof('The proof does not lead to the first root.');
	if (!equalBytes(sr, secondRoot)) throw badProof('The proof does not lead to the second root.');
}
