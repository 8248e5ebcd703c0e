/**
 * D21's scan, started as soon as fetched files are on disk so that it runs beside the digest
 * and the other checks instead of after them. Its outcome is still reviewed where it always
 * was (`vetRelease`: after pins and signatures, before consent). The scan and the digest share
 * one read of each file (`store/tree-files.ts`): the code the scanner judges is exactly the
 * code digested, pinned and installed.
 */
import type { PluginWorkDeps } from './deps.ts';
import type { FetchedPlugin } from './fetch-candidate.ts';
import { type ScanOutcome, scanFetched } from './scan-gate.ts';
import { createTreeFiles, type TreeFiles } from './store/index.ts';

export interface EarlyScan {
	/** The reads to hand the digest. */
	files: TreeFiles;
	/** Never rejects: a failed scan is an outcome the gate counts as high severity. */
	outcome: Promise<ScanOutcome>;
	/** Stops the scan if it still runs and waits for it: call before staging is removed. */
	settle(): Promise<void>;
}

export function startScan(
	fetched: Pick<FetchedPlugin, 'dir' | 'manifest'>,
	deps: Pick<PluginWorkDeps, 'scan' | 'reporter'>,
): EarlyScan {
	const files = createTreeFiles(fetched.dir);
	const stop = new AbortController();
	const outcome = scanFetched(fetched.dir, deps, {
		reader: files.scanReader(),
		capabilities: fetched.manifest.capabilities,
		signal: stop.signal,
	});
	return {
		files,
		outcome,
		async settle() {
			stop.abort();
			await outcome;
		},
	};
}
