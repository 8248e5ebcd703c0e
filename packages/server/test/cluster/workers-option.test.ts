import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asClusterMessage } from '../../src/cluster/messages.ts';
import { createRestartBudget } from '../../src/cluster/restart-budget.ts';
import { MAX_WORKERS, parseWorkers } from '../../src/cluster/workers-option.ts';
import { runServer } from '../cli/run-server-cli.ts';

describe('--workers', () => {
	it('takes a count or auto (one per core, within bounds), and refuses anything else', () => {
		assert.equal(parseWorkers('1'), 1);
		assert.equal(parseWorkers('8'), 8);
		assert.equal(
			parseWorkers('auto', () => 6),
			6,
		);
		assert.equal(
			parseWorkers('auto', () => 0),
			1,
		);
		assert.equal(
			parseWorkers('auto', () => 1000),
			MAX_WORKERS,
		);
		for (const bad of [
			'0',
			'-1',
			'1.5',
			'',
			' 2',
			'2x',
			'all',
			String(MAX_WORKERS + 1),
			'1e1',
			'0x2',
		]) {
			assert.throws(() => parseWorkers(bad), { code: 'INVALID_OPTIONS' }, bad);
		}
	});

	it('is refused when the command runs in-process rather than as the executable', async () => {
		const run = await runServer(
			['serve', '--data-dir', 'data', '--port', '0', '--workers', '2', '--json'],
			{
				cwd: '/nonexistent-vouch-test-dir',
			},
		);
		assert.notEqual(run.code, 0);
		assert.equal(JSON.parse(run.stdout).error.code, 'INVALID_OPTIONS');
		const bad = await runServer(['serve', '--data-dir', 'data', '--workers', 'lots', '--json'], {
			cwd: '/nonexistent-vouch-test-dir',
		});
		assert.equal(JSON.parse(bad.stdout).error.code, 'INVALID_OPTIONS');
	});
});

describe('the restart budget', () => {
	it('allows max replacements in any window, then refuses until the window moves on', () => {
		let now = 0;
		const budget = createRestartBudget({ max: 3, windowMs: 1000, now: () => now });
		const takeAt = (at: number) => {
			now = at;
			return budget.take();
		};
		assert.deepEqual([takeAt(0), takeAt(100), takeAt(200), takeAt(300)], [true, true, true, false]);
		assert.equal(takeAt(999), false);
		assert.equal(takeAt(1000), true, 'the one at 0 left the window');
		assert.equal(takeAt(1050), false);
		assert.equal(takeAt(1100), true, 'the one at 100 left the window');
		assert.deepEqual(
			[takeAt(9000), takeAt(9000), takeAt(9000), takeAt(9000)],
			[true, true, true, false],
		);
	});
});

describe('cluster messages', () => {
	it('keeps only the messages it knows, with sane fields', () => {
		assert.deepEqual(asClusterMessage({ type: 'vouch:processes', count: 3 }), {
			type: 'vouch:processes',
			count: 3,
		});
		assert.deepEqual(asClusterMessage({ type: 'vouch:stop', extra: 1 }), { type: 'vouch:stop' });
		for (const bad of [
			null,
			'vouch:stop',
			{ type: 'vouch:processes', count: -1 },
			{ type: 'vouch:processes', count: 1.5 },
			{ type: 'vouch:processes', count: '2' },
			{ type: 'other' },
			[],
		]) {
			assert.equal(asClusterMessage(bad), undefined);
		}
	});
});
