/**
 * A scan worker thread: one engine (grammars and compiled rules) of its own, scanning the
 * source texts its pool sends, one at a time. Plugin code is only parsed here, as in the main
 * thread; the thread exists so that several files are parsed at once, and so that a file that
 * exhausts memory or never lets go ends this thread instead of the program.
 */
import { parentPort } from 'node:worker_threads';
import type { SourceLanguage } from '../types.ts';
import { createScanEngine, type ScanEngine } from './engine.ts';
import type { SourceScanResult } from './scan-source.ts';
import type { SourceScanRequest } from './source-runner.ts';

/** From the pool: compile these languages' rules now, or scan one text. */
export type WorkerTask =
	| { kind: 'prepare'; languages: SourceLanguage[] }
	| { kind: 'scan'; id: number; request: SourceScanRequest };

/** To the pool: the engine is loaded (or could not be), or one text's result. */
export type WorkerReply =
	| { kind: 'ready' }
	| { kind: 'unavailable'; message: string }
	| { kind: 'result'; id: number; result: SourceScanResult }
	| { kind: 'failed'; id: number; message: string; code?: string };

function serve(port: NonNullable<typeof parentPort>): void {
	// What a worker writes would land in the program's own output (a `--json` report among
	// it): the engine has nothing to say, so nothing is let through. Piping it to the pool
	// instead would keep the process alive while the worker idles.
	process.stdout.write = () => true;
	process.stderr.write = () => true;
	const post = (reply: WorkerReply) => port.postMessage(reply);
	const engine: Promise<ScanEngine> = createScanEngine();
	engine.then(
		(loaded) => {
			// Plugins are Python first: its rules compile before the first file arrives.
			loaded.prepare?.('python');
			post({ kind: 'ready' });
		},
		(error: unknown) => post({ kind: 'unavailable', message: messageOf(error) }),
	);
	port.on('message', async (task: WorkerTask) => {
		let loaded: ScanEngine;
		try {
			loaded = await engine;
		} catch {
			return; // Already said: `unavailable`.
		}
		if (task.kind === 'prepare') {
			for (const language of task.languages) loaded.prepare?.(language);
			return;
		}
		const { request } = task;
		try {
			// The rules are compiled (once) before this file's clock starts, as in one thread.
			loaded.prepare?.(request.language);
			const clock = () => performance.now();
			const result = loaded.scan(request.path, request.language, request.text, {
				deadline: clock() + request.timeoutMs,
				clock,
				maxNestingDepth: request.maxNestingDepth,
			});
			post({ kind: 'result', id: task.id, result });
		} catch (error) {
			const code = (error as { code?: unknown }).code;
			post({
				kind: 'failed',
				id: task.id,
				message: messageOf(error),
				...(typeof code === 'string' ? { code } : {}),
			});
		}
	});
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

if (parentPort !== null) serve(parentPort);
