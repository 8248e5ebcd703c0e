/**
 * File-level failures of `src/manifest`: the manifest could not be read or parsed at all.
 * Problems with individual fields are never thrown; they are collected as `ManifestIssue`s
 * (see `issues.ts`) so a plugin author sees every one of them at once.
 */
import { VouchError, type VouchErrorOptions } from '../core/errors.ts';

export type ManifestErrorCode =
	/** There is no MANIFEST.toml at the given path, or in the given directory. */
	| 'MANIFEST_NOT_FOUND'
	/** The path exists but is not a regular file (a directory, FIFO, device...). */
	| 'MANIFEST_NOT_A_FILE'
	/** MANIFEST.toml is a symlink that leads outside the plugin directory. */
	| 'MANIFEST_SYMLINK_ESCAPE'
	/** Over the size bound; refused before parsing. */
	| 'MANIFEST_TOO_LARGE'
	/** Tables or arrays nested deeper than any manifest needs. */
	| 'MANIFEST_TOO_DEEP'
	/** Not UTF-8, not TOML, or TOML that Python's TOML 1.0 reader would refuse. */
	| 'MANIFEST_PARSE_ERROR'
	/** The file exists but reading it failed (permissions, I/O). */
	| 'MANIFEST_READ_ERROR';

export function manifestError(
	code: ManifestErrorCode,
	message: string,
	options?: VouchErrorOptions,
): VouchError<ManifestErrorCode> {
	return new VouchError(code, message, options);
}
