/**
 * Bounds on what one scan reads. A plugin is untrusted input: without them a repository of a
 * million files, one 2 GB file or a pathological expression could hang the scan that was
 * meant to protect the user. Whatever a bound stops is listed in the report and raised as an
 * `unscanned-file` finding, so hiding code behind a bound is itself visible.
 */
import { scanError } from './errors.ts';

export interface ScanLimits {
	/** Most files (code or not) and directories looked at. The walk stops there, and says so. */
	maxFiles: number;
	/** A code file larger than this is not parsed. */
	maxFileBytes: number;
	/** Once this many bytes of code were read, the remaining code files are skipped. */
	maxTotalBytes: number;
	/** Parse, query and rule time allowed for one file before it is abandoned. */
	fileTimeoutMs: number;
	/** Time for the whole scan; files not reached by then are skipped, and listed. */
	maxScanMs: number;
	/** Bracket nesting beyond this makes a file skipped: no real code nests that deep. */
	maxNestingDepth: number;
	/** Directory levels walked below the plugin root. */
	maxDirectoryDepth: number;
}

/**
 * Real plugins are a handful of files under 100 KB. The defaults leave room for vendored
 * libraries while keeping a hostile repository to seconds. CPython refuses more than 200
 * nested brackets, so deeper nesting is never working Python.
 */
export const DEFAULT_SCAN_LIMITS: Readonly<ScanLimits> = {
	maxFiles: 5000,
	maxFileBytes: 2 * 1024 * 1024,
	maxTotalBytes: 64 * 1024 * 1024,
	fileTimeoutMs: 10_000,
	// Many files that each stay just under the per-file bound must not add up to hours.
	maxScanMs: 120_000,
	maxNestingDepth: 200,
	maxDirectoryDepth: 32,
};

export function resolveLimits(overrides: Partial<ScanLimits> = {}): ScanLimits {
	const limits = { ...DEFAULT_SCAN_LIMITS, ...overrides };
	for (const [name, value] of Object.entries(limits)) {
		if (!Number.isFinite(value) || value <= 0) {
			throw scanError('SCAN_INVALID_OPTION', `Scan limit ${name} must be a positive number.`);
		}
	}
	return limits;
}
