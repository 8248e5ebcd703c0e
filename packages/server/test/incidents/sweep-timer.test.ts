/** The service's sweep timer: it runs the sweep, survives a failed round, and stops cleanly. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { startSweeping } from '../../src/incidents/sweep-timer.ts';

it('runs the sweep on its timer, logs a failure and keeps going, and stops', async () => {
	// The sweep timer is unref'd (it never holds a process open): the test holds it open.
	const keepAlive = setInterval(() => {}, 500);
	const lines: string[] = [];
	let calls = 0;
	let reachedTwo: () => void = () => {};
	const two = new Promise<void>((resolve) => {
		reachedTwo = resolve;
	});
	const timer = startSweeping(
		{
			async sweep() {
				calls++;
				if (calls === 1) throw new Error('database away');
				if (calls === 2) reachedTwo();
				return { expired: 0 };
			},
		},
		{ intervalMs: 1000, log: (line) => lines.push(line) },
	);
	await two;
	await timer.stop();
	const after = calls;
	assert.ok(lines.some((line) => line.includes('database away')));
	await new Promise((resolve) => setTimeout(resolve, 1100));
	assert.equal(calls, after, 'no round after stop');
	clearInterval(keepAlive);
});
