/**
 * The CLI start-up benchmark at toy size: the compiled command really runs as whole processes,
 * and each run did what its figure claims (the version printed, the Picard registry checked,
 * every installed plugin cleared by `startup-check --json`). The figures themselves are not
 * judged: no timing limits in tests.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import { benchCliStartup } from '../../../../bench/cli-startup.ts';

function benchDirs(): string[] {
	return readdirSync(tmpdir()).filter((name) => name.startsWith('vouch-bench-cli-'));
}

describe('CLI start-up benchmark', () => {
	it('times the three commands beside node -e 0 and cleans up', async () => {
		const before = benchDirs();
		const result = await benchCliStartup({ runs: 1, plugins: 2 });
		assert.equal(result.startupLoaded, 2, 'startup-check saw both installed plugins');
		assert.deepEqual(
			result.commands.map((command) => command.argv[0]),
			['--version', 'check-blacklist', 'startup-check'],
		);
		assert.ok(result.baseline.medianMs > 0);
		for (const command of result.commands) {
			assert.ok(command.medianMs > 0 && command.p90Ms >= command.medianMs, command.name);
			assert.ok(Number.isFinite(command.ratio) && command.ratio > 0, command.name);
			assert.ok(command.targetRatio !== undefined, command.name);
		}
		assert.equal(result.figures.length, 3);
		assert.deepEqual(benchDirs(), before, 'the temp directories are removed');
	});
});
