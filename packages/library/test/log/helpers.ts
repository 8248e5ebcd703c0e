/** Shared builders for the log tests: trees of generated leaves, keys, on-disk logs. */
import assert from 'node:assert/strict';
import { isVouchError } from '../../src/core/errors.ts';
import type { LogErrorCode } from '../../src/log/errors.ts';
import { MemoryTree } from '../../src/log/memory-tree.ts';

export function leafData(i: number): Uint8Array {
	return new TextEncoder().encode(`leaf ${i}`);
}

export function treeOf(size: number, data: (i: number) => Uint8Array = leafData): MemoryTree {
	const tree = new MemoryTree();
	for (let i = 0; i < size; i++) tree.append(data(i));
	return tree;
}

/** Runs `work` and asserts it throws a log error with `code`. */
export function assertLogError(work: () => unknown, code: LogErrorCode): void {
	assert.throws(work, (error: unknown) => {
		assert.ok(isVouchError(error), `expected a VouchError, got ${String(error)}`);
		assert.equal(error.code, code);
		return true;
	});
}

export async function assertLogRejects(
	work: () => Promise<unknown>,
	code: LogErrorCode,
): Promise<void> {
	await assert.rejects(work, (error: unknown) => {
		assert.ok(isVouchError(error), `expected a VouchError, got ${String(error)}`);
		assert.equal(error.code, code);
		return true;
	});
}

/** Copies of `proof` with one bit flipped, each bit of each hash. */
export function* bitFlips(proof: readonly Uint8Array[]): Generator<Uint8Array[]> {
	for (let h = 0; h < proof.length; h++) {
		for (let bit = 0; bit < 256; bit++) {
			const copy = proof.map((hash) => Uint8Array.from(hash));
			const hash = copy[h] as Uint8Array;
			hash[bit >> 3] = (hash[bit >> 3] as number) ^ (1 << (bit & 7));
			yield copy;
		}
	}
}

export function flipBit(hash: Uint8Array, bit: number): Uint8Array {
	const copy = Uint8Array.from(hash);
	copy[bit >> 3] = (copy[bit >> 3] as number) ^ (1 << (bit & 7));
	return copy;
}

export function hex(bytes: Uint8Array): string {
	return Buffer.from(bytes).toString('hex');
}
