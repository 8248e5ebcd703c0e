/**
 * A Merkle tree held in memory: the hash of every complete subtree, level by level, so that the
 * root of any prefix and any proof cost O(log n) lookups. The log writer builds on stored
 * hashes the same way; tests and benchmarks use this one directly.
 */
import { logError } from './errors.ts';
import { HASH_BYTES } from './limits.ts';
import {
	assertTreeSize,
	completeSubtrees,
	foldSubtreeHashes,
	leafHash,
	nodeHash,
	type SubtreeId,
} from './merkle.ts';
import { consistencyProofRanges, inclusionProofRanges, type LeafRange } from './proof-plan.ts';

/** Resolves a proof plan with a synchronous hash lookup. */
export function resolveRanges(
	ranges: readonly LeafRange[],
	hashAt: (id: SubtreeId) => Uint8Array,
): Uint8Array[] {
	return ranges.map((range) =>
		foldSubtreeHashes(completeSubtrees(range.start, range.end).map(hashAt)),
	);
}

/** One level's hashes, back to back in one growing buffer: a million leaves are 64 MB, not 2M objects. */
class HashColumn {
	private bytes = new Uint8Array(HASH_BYTES * 1024);
	length = 0;

	push(hash: Uint8Array): void {
		if ((this.length + 1) * HASH_BYTES > this.bytes.length) {
			const grown = new Uint8Array(this.bytes.length * 2);
			grown.set(this.bytes);
			this.bytes = grown;
		}
		this.bytes.set(hash, this.length * HASH_BYTES);
		this.length++;
	}

	at(index: number): Uint8Array | undefined {
		if (!Number.isSafeInteger(index) || index < 0 || index >= this.length) return undefined;
		return this.bytes.subarray(index * HASH_BYTES, (index + 1) * HASH_BYTES);
	}
}

export class MemoryTree {
	/** levels[l][i]: the hash of leaves [i * 2^l, (i + 1) * 2^l). */
	private readonly levels: HashColumn[] = [new HashColumn()];

	get size(): number {
		return (this.levels[0] as HashColumn).length;
	}

	append(data: Uint8Array): number {
		return this.appendLeafHash(leafHash(data));
	}

	/** Adds a leaf by its hash, completing every subtree it closes; returns its index. */
	appendLeafHash(hash: Uint8Array): number {
		const index = this.size;
		let level = 0;
		let at = index;
		let current = hash;
		(this.levels[0] as HashColumn).push(current);
		while (at % 2 === 1) {
			const left = (this.levels[level] as HashColumn).at(at - 1) as Uint8Array;
			current = nodeHash(left, current);
			level++;
			at = (at - 1) / 2;
			if (this.levels[level] === undefined) this.levels[level] = new HashColumn();
			(this.levels[level] as HashColumn).push(current);
		}
		return index;
	}

	hashAt = (id: SubtreeId): Uint8Array => {
		const hash = this.levels[id.level]?.at(id.index);
		if (hash === undefined) {
			throw logError('LOG_INVALID_ARGUMENT', `No subtree ${id.level}/${id.index} in this tree.`);
		}
		return hash;
	};

	/** The root of the first `size` leaves (default: all of them). */
	root(size = this.size): Uint8Array {
		this.assertWithin(size);
		return foldSubtreeHashes(completeSubtrees(0, size).map(this.hashAt));
	}

	inclusionProof(index: number, size = this.size): Uint8Array[] {
		this.assertWithin(size);
		return resolveRanges(inclusionProofRanges(index, size), this.hashAt);
	}

	consistencyProof(first: number, second = this.size): Uint8Array[] {
		this.assertWithin(second);
		return resolveRanges(consistencyProofRanges(first, second), this.hashAt);
	}

	private assertWithin(size: number): void {
		assertTreeSize(size);
		if (size > this.size) {
			throw logError('LOG_INVALID_ARGUMENT', `The tree has ${this.size} leaves, not ${size}.`);
		}
	}
}
