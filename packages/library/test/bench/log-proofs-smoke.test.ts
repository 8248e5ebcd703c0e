/**
 * The log benchmark runs outside the suite; this runs it at a toy size so that a change that
 * breaks it is noticed. Its figures are ignored (no timing limits in tests), its checks are not.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { benchLogProofs } from '../../../../bench/log-proofs.ts';

it('runs the log benchmark at a toy size, with proofs of the expected sizes', async () => {
	const result = await benchLogProofs({ entries: 1000, appendsSingle: 3, appendsBatch: 300 });
	// A tree of 1000 leaves is 10 levels deep: at most 10 hashes to include, 11 for consistency.
	assert.ok(result.inclusionProofBytes <= 10 * 32 && result.inclusionProofBytes >= 9 * 32);
	assert.ok(result.consistencyProofBytes <= 11 * 32);
	assert.equal(result.figures.length, 4);
	assert.ok(result.figures.every((figure) => figure.ms > 0 && figure.baselineMs > 0));
});
