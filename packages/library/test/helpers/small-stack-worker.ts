/**
 * Runs a test module again as a worker thread whose stack is deliberately small. A test that
 * must show some code does not need stack in proportion to its input can then use an input far
 * smaller (and quicker) than one that would overflow a normal stack. The module is its own
 * worker entry: it checks `workerData` for its task and posts one answer.
 */
import { Worker } from 'node:worker_threads';
import { entryOf } from '../../src/scan/engine/worker-pool.ts';

/** The worker's stack: far below Node's default, enough to load and run the code under test. */
export const SMALL_STACK_MB = 0.5;

export function runWithSmallStack<Answer>(module: URL, task: unknown): Promise<Answer> {
	const worker = new Worker(entryOf(module), {
		workerData: task,
		resourceLimits: { stackSizeMb: SMALL_STACK_MB },
	});
	return new Promise((resolve, reject) => {
		worker.once('message', resolve);
		worker.once('error', reject);
		worker.once('exit', (code) =>
			reject(new Error(`the worker exited (${code}) without an answer`)),
		);
	});
}
