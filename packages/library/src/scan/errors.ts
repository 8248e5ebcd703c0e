/** Error codes of `src/scan`. Findings are never errors; these are for scans that cannot run. */
import { VouchError, type VouchErrorOptions } from '../core/errors.ts';

export type ScanErrorCode =
	/** The directory to scan does not exist. */
	| 'SCAN_TARGET_NOT_FOUND'
	/** The path exists but is not a directory (a plugin is always a directory). */
	| 'SCAN_TARGET_NOT_A_DIRECTORY'
	/** Reading the directory itself failed (permissions, I/O). */
	| 'SCAN_READ_ERROR'
	/** A grammar or the parser runtime could not be loaded: the installation is broken. */
	| 'SCAN_ENGINE_UNAVAILABLE'
	/** Scanning one file ended its worker thread (out of memory, a parser fault): no verdict. */
	| 'SCAN_FILE_FAILED'
	/** An option out of range: a negative limit, an unknown severity. */
	| 'SCAN_INVALID_OPTION';

export function scanError(
	code: ScanErrorCode,
	message: string,
	options?: VouchErrorOptions,
): VouchError<ScanErrorCode> {
	return new VouchError(code, message, options);
}
