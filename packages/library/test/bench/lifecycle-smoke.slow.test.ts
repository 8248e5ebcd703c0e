/**
 * The lifecycle benchmark at toy sizes, against real repositories on a loopback server. The
 * figures are ignored (no timing limits in tests); what is checked is that each part measured
 * what it claims: the install really installed, the checks found every update, the startup
 * check re-hashed every trusted plugin and cleared them all, and nothing was left in tmp.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import { benchInstall, benchStartup, benchUpdateChecks } from '../../../../bench/lifecycle.ts';
import type { Figure } from '../../../../bench/measure.ts';

/** This benchmark's own temp directories; other benchmark tests may run at the same time. */
const PREFIXES = ['vouch-bench-install-', 'vouch-bench-checks-', 'vouch-bench-startup-'];

function benchDirs(): string[] {
	return readdirSync(tmpdir()).filter((name) => PREFIXES.some((prefix) => name.startsWith(prefix)));
}

function assertMeasured(figures: readonly Figure[]): void {
	assert.equal(figures.length, 1);
	for (const figure of figures) {
		assert.ok(figure.ms > 0 && figure.baselineMs > 0, figure.name);
		assert.ok(figure.targetMs !== undefined && figure.targetMs > 0, figure.name);
	}
}

describe('lifecycle benchmark', () => {
	it('installs a served plugin into a fresh profile each run, beside a plain clone', async () => {
		const before = benchDirs();
		// One counted run (after the uncounted warm one) takes every path that more runs take.
		const result = await benchInstall({ files: 10, runs: 1 });
		assert.equal(result.installed, 1);
		assert.equal(result.files, 10);
		const [figure, unscanned] = result.figures;
		assertMeasured(figure === undefined ? [] : [figure]);
		// The clone is the yardstick: 1.3 times it.
		assert.ok(figure !== undefined && figure.targetMs === figure.baselineMs * 1.3);
		// The scan's share is measured beside it, against the same clone.
		assert.ok(unscanned !== undefined && unscanned.ms > 0);
		assert.equal(unscanned.baselineMs, figure.baselineMs);
		// And the built command, run as a user runs it, installed the plugin (it throws if not).
		const process = result.figures.find((each) => each.name.includes('whole process'));
		assert.ok(process !== undefined && process.ms > 0);
		assert.deepEqual(benchDirs(), before, 'the temp directories are removed');
	});

	it('finds the newer commit of every installed plugin, at once and one at a time', async () => {
		const before = benchDirs();
		const result = await benchUpdateChecks({ plugins: 3, runs: 1, concurrency: 2 });
		assert.equal(result.available, 3);
		assert.equal(result.concurrency, 2);
		assertMeasured(result.figures);
		assert.deepEqual(benchDirs(), before, 'the temp directories are removed');
	});

	it('holds every answer back when asked to stand in for distant remotes', async () => {
		const result = await benchUpdateChecks({ plugins: 3, runs: 1, concurrency: 3, latencyMs: 40 });
		assert.equal(result.available, 3);
		assert.equal(result.latencyMs, 40);
		const [figure] = result.figures;
		// One at a time, each check waits at least one held-back answer: a floor, not a limit.
		assert.ok(figure !== undefined && figure.baselineMs >= 3 * 40, 'the delay was applied');
	});

	it('re-hashes every trusted plugin at startup and clears them all to load', async () => {
		const before = benchDirs();
		const result = await benchStartup({ plugins: 5, filesPerPlugin: 4, runs: 2 });
		assert.equal(result.loaded, 5);
		assert.equal(result.rehashed, 5, 'the real check hashes each plugin once per run');
		assertMeasured(result.figures);
		assert.deepEqual(benchDirs(), before, 'the temp directories are removed');
	});
});
