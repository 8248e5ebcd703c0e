/**
 * The channel end to end, with a real plugin process: long lines of multi-byte text cross the
 * pipe in many chunks both ways, answers to calls made together come back to the right call,
 * and pings, one after another or many at once, are each answered once.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FORK_PLUGIN, startIsolatedPlugin } from '../src/isolated-plugin.ts';
import { planPlugin } from '../src/plugin-plan.ts';
import type { RunningPlugin } from '../src/running-plugin.ts';
import { SYSTEM_TIMERS } from '../src/timers.ts';
import { tempDir, writePlugin } from './helpers/plugins.ts';

const PLUGIN = `
export async function enable(api) {
	// About 400 KB of UTF-8 in one message: many pipe chunks, characters cut between them.
	const text = '€😀x'.repeat(50000);
	const back = await api.echo(text);
	await api.report('long', back === text, back.length);
	const sizes = Array.from({ length: 32 }, (_, i) => i * 997);
	const answers = await Promise.all(sizes.map((n) => api.echo('é'.repeat(n))));
	await api.report('together', answers.every((a, i) => a === 'é'.repeat(sizes[i])), answers.length);
}
`;

describe('the plugin channel, end to end', () => {
	const reports: [string, boolean, number][] = [];
	let plugin: RunningPlugin;

	before(async () => {
		const base = tempDir();
		const { dir, uuid } = writePlugin(join(base, 'plugins'), { name: 'talker', code: PLUGIN });
		const plan = await planPlugin({ uuid, name: 'talker', path: dir }, join(base, 'data'), {
			checkSymlinks: true,
		});
		plugin = startIsolatedPlugin({
			plan,
			api: {
				echo: (text: string) => text,
				report: (what: string, ok: boolean, count: number) => {
					reports.push([what, ok, count]);
				},
			},
			fetch,
			timers: SYSTEM_TIMERS,
			readGrants: [],
			consented: [],
			heapMb: 64,
			fork: FORK_PLUGIN,
			onOutput: () => {},
		});
		// A limit the test cannot reach on a busy machine: it is about what arrives, not when.
		await plugin.enable(600_000);
	});
	after(() => plugin.kill());

	it('long multi-byte messages and calls made together arrive whole, each answer to its call', () => {
		assert.deepEqual(reports, [
			['long', true, 200000],
			['together', true, 32],
		]);
	});

	it('pings one after another, and many at once, are each answered', async () => {
		for (let i = 0; i < 200; i++) await plugin.ping(600_000);
		const many = await Promise.allSettled(Array.from({ length: 100 }, () => plugin.ping(600_000)));
		assert.deepEqual(
			many.map((outcome) => outcome.status),
			Array(100).fill('fulfilled'),
		);
	});
});
