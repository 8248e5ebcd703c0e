/**
 * Where a source text is parsed and judged: in this thread by an engine, or by a pool of
 * worker threads (`worker-pool.ts`). The file passes read and decide in file order; only this
 * step may run several files at once, so what a scan reports does not depend on which runs.
 */
import type { SourceLanguage } from '../types.ts';
import type { ScanEngine } from './engine.ts';
import type { SourceScanResult } from './scan-source.ts';

/** One source text to parse and judge. */
export interface SourceScanRequest {
	/** Relative to the plugin root, `/`-separated: how findings name the file. */
	path: string;
	language: SourceLanguage;
	text: string;
	/** The file's own time bound, counted from when its scan starts. */
	timeoutMs: number;
	maxNestingDepth: number;
}

/** Parses and judges source texts for `scanPlugin`: in this thread, or on worker threads. */
export interface SourceScanRunner {
	/** How many files it scans at once: 1 in this thread. */
	readonly concurrency: number;
	/**
	 * Rejects only when the text could not be judged at all (`SCAN_FILE_FAILED`), or with the
	 * signal's reason once `signal` aborts: the scan that asked has ended, so a text still
	 * waiting its turn is dropped instead of scanned for nobody.
	 */
	run(request: SourceScanRequest, signal?: AbortSignal): Promise<SourceScanResult>;
}

/** Scans in this thread, one file at a time, timed by `clock` (a test may pass its own). */
export function inThreadRunner(engine: ScanEngine, clock: () => number): SourceScanRunner {
	return {
		concurrency: 1,
		async run(request, signal) {
			// Synchronous, so nothing waits here to be dropped: an aborted scan asks no more.
			signal?.throwIfAborted();
			// The language's rules are compiled (once) before this file's clock starts.
			engine.prepare?.(request.language);
			return engine.scan(request.path, request.language, request.text, {
				deadline: clock() + request.timeoutMs,
				clock,
				maxNestingDepth: request.maxNestingDepth,
			});
		},
	};
}
