/**
 * The integrity benchmark at toy sizes. Figures are ignored (no timing limits in tests); what
 * is checked is that each part measured what it claims: a no-change refresh really transferred
 * almost nothing while the baseline downloaded everything, and the startup check re-hashed and
 * cleared every plugin.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import { benchRefresh, benchRehash } from '../../../../bench/integrity.ts';

function benchDirs(): string[] {
	return readdirSync(tmpdir()).filter(
		(name) => name.startsWith('vouch-bench-integrity-') || name.startsWith('vouch-bench-rehash-'),
	);
}

describe('integrity benchmark', () => {
	it('compares an unchanged refresh with a full download, signed and unsigned', async () => {
		const before = benchDirs();
		const result = await benchRefresh({ plugins: 20, blacklist: 5, runs: 1 });
		assert.deepEqual(benchDirs(), before, 'the temp directories are removed');
		const { traffic } = result;
		assert.equal(traffic.unsignedUnchanged.bytes, 0, 'a 304 carries no body');
		assert.ok(traffic.unsignedFull.bytes > 1000);
		assert.ok(traffic.signedUnchanged.requests < traffic.signedFull.requests);
		assert.ok(traffic.signedUnchanged.bytes * 2 < traffic.signedFull.bytes);
		for (const figure of result.figures) assert.ok(figure.ms > 0 && figure.baselineMs > 0);
	});

	it('re-hashes every installed plugin and measures sha256sum over the same bytes', async () => {
		const before = benchDirs();
		const result = await benchRehash({ plugins: 3, filesPerPlugin: 2, fileBytes: 4096, runs: 1 });
		assert.deepEqual(benchDirs(), before, 'the temp directories are removed');
		assert.equal(result.loaded, 3);
		assert.equal(result.files, 6);
		assert.equal(result.bytes, 3 * 2 * 4096);
		assert.ok(result.vouchMBps > 0 && result.sha256sumMBps > 0);
	});
});
