/**
 * Where a source text is parsed and judged: in this thread by an engine, or by a pool of
 * worker threads (`worker-pool.ts`). The file passes read and decide in file order; only this
 * step may run several files at once, so what a scan reports does not depend on which runs.
 */
import type { SourceLanguage } from '../types.ts';
import type { ScanEngine } from './engine.ts';
import type { SourceScanResult } from './scan-source.ts';

export interface SourceScanRequest {
	/** Relative to the plugin root, `/`-separated: how findings name the file. */
	path: string;
	language: SourceLanguage;
	text: string;
	/** The file's own time bound, counted from when its scan starts. */
	timeoutMs: number;
	maxNestingDepth: number;
}

export interface SourceScanRunner {
	/** How many files it scans at once: 1 in this thread. */
	readonly concurrency: number;
	run(request: SourceScanRequest): Promise<SourceScanResult>;
}

/** Scans in this thread, one file at a time, timed by `clock` (a test may pass its own). */
export function inThreadRunner(engine: ScanEngine, clock: () => number): SourceScanRunner {
	return {
		concurrency: 1,
		async run(request) {
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
