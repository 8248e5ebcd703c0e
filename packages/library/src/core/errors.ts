/**
 * The one error type of Vouch. Every module declares its own closed union of codes,
 * so callers and tests branch on `code`, never on wording.
 */

/** Process exit codes (D16). Only `src/cli/bin.ts` turns them into an exit. */
export const ExitCode = {
	ok: 0,
	error: 1,
	usage: 2,
	blocked: 3,
	declined: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface VouchErrorOptions {
	/** What the user can do about it, shown under the message. */
	hint?: string;
	cause?: unknown;
	/** How the CLI should exit when this error ends a command. Defaults to 1. */
	exitCode?: ExitCode;
	/** Extra structured facts for `--json` output (never shown raw to a terminal). */
	details?: Record<string, unknown>;
}

export class VouchError<C extends string = string> extends Error {
	readonly code: C;
	readonly hint: string | undefined;
	readonly exitCode: ExitCode;
	readonly details: Record<string, unknown> | undefined;

	constructor(code: C, message: string, options: VouchErrorOptions = {}) {
		super(message, options.cause === undefined ? undefined : { cause: options.cause });
		this.name = new.target.name;
		this.code = code;
		this.hint = options.hint;
		this.exitCode = options.exitCode ?? ExitCode.error;
		this.details = options.details;
	}
}

export function isVouchError(value: unknown): value is VouchError {
	return value instanceof VouchError;
}

/** Codes raised by `src/core` itself. */
export type CoreErrorCode =
	| 'INVALID_URL'
	/** A URL host that cannot be made canonical (D2): refused, never compared. */
	| 'INVALID_HOST'
	| 'INVALID_UUID'
	| 'INVALID_VERSION'
	/** A `versioning_scheme` that is not `semver`, `calver` or a compilable `regex:`. */
	| 'INVALID_VERSION_SCHEME'
	| 'INVALID_REGEX'
	| 'INVALID_PROFILE'
	| 'FILE_NOT_FOUND'
	| 'FILE_TOO_LARGE'
	| 'IO_ERROR'
	/** No usable (absolute) home directory, and no XDG variable to stand in for it. */
	| 'NO_HOME_DIRECTORY'
	/** `vouch config` was given a key outside its closed set. */
	| 'UNKNOWN_SETTING'
	/** A stored or given setting value that cannot be used, or a settings file that cannot be read. */
	| 'INVALID_SETTING'
	| 'USAGE';

export function coreError(
	code: CoreErrorCode,
	message: string,
	options?: VouchErrorOptions,
): VouchError<CoreErrorCode> {
	return new VouchError(code, message, options);
}
