/**
 * RFC 6962 / 9162 hashing and proofs: known answers, then properties over random trees.
 * Every valid proof verifies; every mutation of it (a flipped bit, a wrong size or index, a
 * hash dropped or added, proofs swapped between sizes) is refused.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
	completeSubtrees,
	emptyTreeHash,
	leafHash,
	nodeHash,
	treeHashOfLeafHashes,
} from '../../src/log/merkle.ts';
import { consistencyProofRanges, inclusionProofRanges } from '../../src/log/proof-plan.ts';
import { verifyConsistency, verifyInclusion } from '../../src/log/proof-verify.ts';
import { assertLogError, bitFlips, flipBit, hex, leafData, treeOf } from './helpers.ts';

// The leaves of the Certificate Transparency reference test vectors, and their tree hashes.
const CT_LEAVES = [
	'',
	'00',
	'10',
	'2021',
	'3031',
	'40414243',
	'5051525354555657',
	'606162636465666768696a6b6c6d6e6f',
].map((h) => Buffer.from(h, 'hex'));
const CT_ROOTS = [
	'6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
	'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
	'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
	'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
	'4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
	'76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
	'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
	'5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

describe('Merkle hashing (RFC 6962)', () => {
	it('hashes leaves and nodes with distinct prefixes', () => {
		const data = Buffer.from('x');
		assert.equal(
			hex(leafHash(data)),
			createHash('sha256')
				.update(Buffer.from([0, 0x78]))
				.digest('hex'),
		);
		const a = leafHash(Buffer.from('a'));
		const b = leafHash(Buffer.from('b'));
		const expected = createHash('sha256')
			.update(Buffer.from([1]))
			.update(a)
			.update(b)
			.digest('hex');
		assert.equal(hex(nodeHash(a, b)), expected);
		assert.notEqual(hex(leafHash(Buffer.concat([a, b]))), expected);
		assert.equal(
			hex(emptyTreeHash()),
			'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
		);
	});

	it('gives the reference tree hashes for every prefix of the test vectors', () => {
		const tree = treeOf(CT_LEAVES.length, (i) => CT_LEAVES[i] as Uint8Array);
		for (let size = 1; size <= CT_LEAVES.length; size++) {
			assert.equal(hex(tree.root(size)), CT_ROOTS[size - 1], `size ${size}`);
		}
	});

	it('agrees with the recursive definition for every size up to 300', () => {
		const tree = treeOf(300);
		const leaves = Array.from({ length: 300 }, (_, i) => leafHash(leafData(i)));
		for (let size = 0; size <= 300; size++) {
			assert.equal(hex(tree.root(size)), hex(treeHashOfLeafHashes(leaves.slice(0, size))));
		}
	});

	it('splits a range into complete subtrees, largest first, exactly covering it', () => {
		assert.deepEqual(completeSubtrees(0, 13), [
			{ level: 3, index: 0 },
			{ level: 2, index: 2 },
			{ level: 0, index: 12 },
		]);
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 2 ** 40 }), (size) => {
				let at = 0;
				let previous = Number.POSITIVE_INFINITY;
				for (const { level, index } of completeSubtrees(0, size)) {
					assert.equal(index * 2 ** level, at);
					assert.ok(level < previous);
					previous = level;
					at += 2 ** level;
				}
				assert.equal(at, size);
			}),
		);
	});

	it('plans proofs for sizes past 2^32 without 32-bit overflow', () => {
		const size = 2 ** 40 + 12345;
		for (const index of [0, 2 ** 32 + 1, 2 ** 40 - 1, 2 ** 40, size - 1]) {
			// The audit path's ranges and the leaf itself tile the whole tree exactly once.
			const ranges = inclusionProofRanges(index, size);
			const pieces = [...ranges, { start: index, end: index + 1 }].sort(
				(a, b) => a.start - b.start,
			);
			let at = 0;
			for (const piece of pieces) {
				assert.equal(piece.start, at);
				at = piece.end;
			}
			assert.equal(at, size);
		}
		assert.equal(inclusionProofRanges(0, 2 ** 40).length, 40);
		const ranges = consistencyProofRanges(2 ** 33 + 7, size);
		assert.ok(ranges.every((r) => r.start < r.end && r.end <= size));
		assert.deepEqual(ranges.at(-1), { start: 2 ** 40, end: size });
	});
});

const sizes = fc.integer({ min: 1, max: 200 }).chain((n) =>
	fc.record({
		n: fc.constant(n),
		m: fc.integer({ min: 0, max: n }),
		i: fc.integer({ min: 0, max: n - 1 }),
	}),
);
const BIG = treeOf(200);

describe('inclusion proofs', () => {
	it('verify for every leaf of every tree size up to 64', () => {
		for (let size = 1; size <= 64; size++) {
			for (let i = 0; i < size; i++) {
				verifyInclusion(
					leafHash(leafData(i)),
					i,
					size,
					BIG.inclusionProof(i, size),
					BIG.root(size),
				);
			}
		}
	});

	it('are refused after any single-bit flip, in the proof, the leaf or the root', () => {
		fc.assert(
			fc.property(sizes, ({ n, i }) => {
				const proof = BIG.inclusionProof(i, n);
				const leaf = leafHash(leafData(i));
				const root = BIG.root(n);
				for (const flipped of bitFlips(proof)) {
					assertLogError(() => verifyInclusion(leaf, i, n, flipped, root), 'LOG_BAD_PROOF');
				}
				for (let bit = 0; bit < 256; bit += 7) {
					assertLogError(
						() => verifyInclusion(flipBit(leaf, bit), i, n, proof, root),
						'LOG_BAD_PROOF',
					);
					assertLogError(
						() => verifyInclusion(leaf, i, n, proof, flipBit(root, bit)),
						'LOG_BAD_PROOF',
					);
				}
			}),
			{ numRuns: 20 },
		);
	});

	it('are refused for a wrong index, a wrong size, or a truncated or extended path', () => {
		fc.assert(
			fc.property(
				sizes,
				fc.integer({ min: 0, max: 200 }),
				fc.integer({ min: 1, max: 200 }),
				({ n, i }, j, n2) => {
					const proof = BIG.inclusionProof(i, n);
					const leaf = leafHash(leafData(i));
					const root = BIG.root(n);
					verifyInclusion(leaf, i, n, proof, root);
					if (j !== i)
						assertLogError(() => verifyInclusion(leaf, j, n, proof, root), 'LOG_BAD_PROOF');
					// The size is bound to its root by the signed checkpoint; a proof must not verify
					// for another size with that size's root.
					if (n2 !== n && i < n2) {
						assertLogError(
							() => verifyInclusion(leaf, i, n2, proof, BIG.root(n2)),
							'LOG_BAD_PROOF',
						);
					}
					if (proof.length > 0) {
						assertLogError(
							() => verifyInclusion(leaf, i, n, proof.slice(0, -1), root),
							'LOG_BAD_PROOF',
						);
						assertLogError(
							() => verifyInclusion(leaf, i, n, proof.slice(1), root),
							'LOG_BAD_PROOF',
						);
					}
					assertLogError(
						() => verifyInclusion(leaf, i, n, [...proof, root], root),
						'LOG_BAD_PROOF',
					);
					assertLogError(
						() => verifyInclusion(leaf, i, n, [root, ...proof], root),
						'LOG_BAD_PROOF',
					);
				},
			),
			{ numRuns: 300 },
		);
	});

	it('are refused for an index at or past the size, and for malformed hashes', () => {
		const root = BIG.root(10);
		const leaf = leafHash(leafData(3));
		const proof = BIG.inclusionProof(3, 10);
		assertLogError(() => verifyInclusion(leaf, 10, 10, proof, root), 'LOG_BAD_PROOF');
		assertLogError(() => verifyInclusion(leaf, -1, 10, proof, root), 'LOG_BAD_PROOF');
		assertLogError(() => verifyInclusion(leaf, 0, 0, [], root), 'LOG_BAD_PROOF');
		assertLogError(() => verifyInclusion(leaf, 1.5, 10, proof, root), 'LOG_BAD_PROOF');
		assertLogError(
			() => verifyInclusion(leaf, 3, 10, [...proof.slice(0, -1), new Uint8Array(31)], root),
			'LOG_BAD_PROOF',
		);
		assertLogError(() => verifyInclusion(leaf.subarray(1), 3, 10, proof, root), 'LOG_BAD_PROOF');
		assertLogError(() => verifyInclusion(leaf, 3, 10, Array(65).fill(root), root), 'LOG_BAD_PROOF');
		assertLogError(() => verifyInclusion(leaf, 3, 2 ** 60, proof, root), 'LOG_INVALID_ARGUMENT');
	});

	it('cannot pass an interior node off as a leaf', () => {
		// Leaves 0 and 1 hash into a node; that node is not leaf 0 of a tree of 2 with that root.
		const node = nodeHash(leafHash(leafData(0)), leafHash(leafData(1)));
		for (let size = 1; size <= 8; size++) {
			for (let i = 0; i < size; i++) {
				assertLogError(
					() => verifyInclusion(node, i, size, BIG.inclusionProof(i, size), BIG.root(size)),
					'LOG_BAD_PROOF',
				);
			}
		}
	});
});

describe('consistency proofs', () => {
	it('verify for every pair m <= n up to 64', () => {
		for (let n = 1; n <= 64; n++) {
			for (let m = 0; m <= n; m++) {
				verifyConsistency(m, n, BIG.consistencyProof(m, n), BIG.root(m), BIG.root(n));
			}
		}
	});

	it('are refused after any single-bit flip, in the proof or either root', () => {
		fc.assert(
			fc.property(sizes, ({ n, m }) => {
				const proof = BIG.consistencyProof(m, n);
				const first = BIG.root(m);
				const second = BIG.root(n);
				for (const flipped of bitFlips(proof)) {
					assertLogError(() => verifyConsistency(m, n, flipped, first, second), 'LOG_BAD_PROOF');
				}
				if (m === 0) return;
				for (let bit = 0; bit < 256; bit += 5) {
					assertLogError(
						() => verifyConsistency(m, n, proof, flipBit(first, bit), second),
						'LOG_BAD_PROOF',
					);
					assertLogError(
						() => verifyConsistency(m, n, proof, first, flipBit(second, bit)),
						'LOG_BAD_PROOF',
					);
				}
			}),
			{ numRuns: 20 },
		);
	});

	it('made for (m, n) fail as (m, n′) or (m′, n) with the roots of those trees', () => {
		fc.assert(
			fc.property(
				sizes,
				fc.integer({ min: 0, max: 200 }),
				fc.integer({ min: 1, max: 200 }),
				({ n, m }, m2, n2) => {
					const proof = BIG.consistencyProof(m, n);
					verifyConsistency(m, n, proof, BIG.root(m), BIG.root(n));
					if (proof.length === 0) return;
					if (n2 !== n && m <= n2) {
						assertLogError(
							() => verifyConsistency(m, n2, proof, BIG.root(m), BIG.root(n2)),
							'LOG_BAD_PROOF',
						);
					}
					if (m2 !== m && m2 <= n) {
						assertLogError(
							() => verifyConsistency(m2, n, proof, BIG.root(m2), BIG.root(n)),
							'LOG_BAD_PROOF',
						);
					}
				},
			),
			{ numRuns: 500 },
		);
	});

	it('are refused truncated, extended, reordered, or for m > n', () => {
		fc.assert(
			fc.property(sizes, ({ n, m }) => {
				const proof = BIG.consistencyProof(m, n);
				const first = BIG.root(m);
				const second = BIG.root(n);
				if (proof.length > 0) {
					assertLogError(
						() => verifyConsistency(m, n, proof.slice(0, -1), first, second),
						'LOG_BAD_PROOF',
					);
					assertLogError(
						() => verifyConsistency(m, n, proof.slice(1), first, second),
						'LOG_BAD_PROOF',
					);
				}
				assertLogError(
					() => verifyConsistency(m, n, [...proof, second], first, second),
					'LOG_BAD_PROOF',
				);
				assertLogError(
					() => verifyConsistency(m, n, [first, ...proof], first, second),
					'LOG_BAD_PROOF',
				);
				if (proof.length > 1 && hex(proof[0] as Uint8Array) !== hex(proof[1] as Uint8Array)) {
					const swapped = [proof[1], proof[0], ...proof.slice(2)] as Uint8Array[];
					assertLogError(() => verifyConsistency(m, n, swapped, first, second), 'LOG_BAD_PROOF');
				}
				if (m < n)
					assertLogError(() => verifyConsistency(n, m, proof, second, first), 'LOG_BAD_PROOF');
			}),
			{ numRuns: 300 },
		);
	});

	it('refuse the degenerate cases: empty old tree with a proof, equal sizes with a proof or other root', () => {
		const root = BIG.root(7);
		assertLogError(() => verifyConsistency(0, 7, [root], BIG.root(0), root), 'LOG_BAD_PROOF');
		verifyConsistency(0, 7, [], BIG.root(0), root);
		verifyConsistency(7, 7, [], root, root);
		assertLogError(() => verifyConsistency(7, 7, [root], root, root), 'LOG_BAD_PROOF');
		assertLogError(() => verifyConsistency(7, 7, [], root, BIG.root(6)), 'LOG_BAD_PROOF');
		assertLogError(() => verifyConsistency(3, 7, [], BIG.root(3), root), 'LOG_BAD_PROOF');
		assertLogError(() => verifyConsistency(4, 7, [], BIG.root(4), root), 'LOG_BAD_PROOF');
	});

	it('link a tree only to its own prefixes: a forked history is refused', () => {
		const fork = treeOf(60, (i) => (i === 17 ? new Uint8Array([1, 2, 3]) : leafData(i)));
		for (const m of [18, 20, 32, 33, 59]) {
			const proof = fork.consistencyProof(m, 60);
			verifyConsistency(m, 60, proof, fork.root(m), fork.root(60));
			assertLogError(
				() => verifyConsistency(m, 60, proof, BIG.root(m), fork.root(60)),
				'LOG_BAD_PROOF',
			);
			assertLogError(
				() => verifyConsistency(m, 60, BIG.consistencyProof(m, 60), BIG.root(m), fork.root(60)),
				'LOG_BAD_PROOF',
			);
		}
	});
});
