/** Error codes raised by the plugin lifecycle. Callers and tests branch on these, never on wording. */
import { ExitCode, VouchError, type VouchErrorOptions } from '../core/errors.ts';

export type LifecycleErrorCode =
	/** The blacklist matches the plugin (exit 3). */
	| 'BLACKLISTED'
	/** No verified, unexpired blacklist is held, so nothing remote may be installed (D1). */
	| 'BLACKLIST_STALE'
	/** `http://` or `git://` to a non-loopback host without `--allow-insecure-transport` (D11). */
	| 'INSECURE_TRANSPORT'
	/** A transport that is never allowed, or a registry URL that is not https (D11). */
	| 'TRANSPORT_REFUSED'
	/**
	 * The repository redirects to an address the transport rule refuses, or that cannot be
	 * checked against a blacklist (D27; exit 3). A blacklisted target is BLACKLISTED.
	 */
	| 'REDIRECT_REFUSED'
	/** The install target is neither a registry plugin, a URL nor an existing directory. */
	| 'SOURCE_NOT_FOUND'
	/** The user said no (exit 130). */
	| 'DECLINED'
	/** A prompt was due, but nothing can ask (no terminal, no prompter) and `--yes` was not given (D12). */
	| 'CONFIRMATION_REQUIRED'
	| 'ALREADY_INSTALLED'
	/** Another source already installed a plugin with this UUID (spec item 13). */
	| 'UUID_CONFLICT'
	| 'MANIFEST_INVALID'
	/** No ref of the plugin supports the host's API versions. */
	| 'INCOMPATIBLE_API'
	| 'NOT_INSTALLED'
	/** The plugin's working copy has uncommitted changes the user did not agree to discard. */
	| 'LOCAL_CHANGES'
	/** The operation does not apply to this kind of plugin (e.g. switch-ref on a local directory). */
	| 'NOT_SUPPORTED'
	/** The fetched plugin holds something no plugin may: a symlink leading outside it. */
	| 'UNSAFE_CONTENT'
	/** What was fetched is not a reviewed release the registry pinned (D19b; exit 3). */
	| 'PIN_MISMATCH'
	/** High-severity scan findings nobody accepted, with no terminal to ask on (D21). */
	| 'FINDINGS_NOT_ACCEPTED'
	/**
	 * The plugin may impersonate a registered one and nobody confirmed it at a terminal or
	 * with `--accept-impersonation` (`--yes` never does; D12).
	 */
	| 'IMPERSONATION_NOT_ACCEPTED'
	/** The registry lists author keys and the release tag is not signed by one of them (D19b; exit 3). */
	| 'AUTHOR_SIGNATURE_INVALID';

const EXIT_CODES: Partial<Record<LifecycleErrorCode, ExitCode>> = {
	BLACKLISTED: ExitCode.blocked,
	PIN_MISMATCH: ExitCode.blocked,
	REDIRECT_REFUSED: ExitCode.blocked,
	AUTHOR_SIGNATURE_INVALID: ExitCode.blocked,
	DECLINED: ExitCode.declined,
};

export function lifecycleError(
	code: LifecycleErrorCode,
	message: string,
	options: VouchErrorOptions = {},
): VouchError<LifecycleErrorCode> {
	const exitCode = options.exitCode ?? EXIT_CODES[code];
	return new VouchError(code, message, {
		...options,
		...(exitCode === undefined ? {} : { exitCode }),
	});
}
