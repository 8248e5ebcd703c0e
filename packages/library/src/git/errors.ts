/**
 * Error codes raised by `src/git`. Callers branch on these, never on git's wording, which
 * changes between versions and locales.
 */
import { VouchError, type VouchErrorOptions } from '../core/errors.ts';

export type GitErrorCode =
	/** The git executable could not be started. */
	| 'GIT_NOT_INSTALLED'
	/** The server wanted credentials that were missing or wrong (or refused the ssh key). */
	| 'GIT_AUTH_FAILED'
	/** No repository at that address (or no access to it, for hosts that hide private ones). */
	| 'GIT_REPO_NOT_FOUND'
	/** The server could not be reached or the connection broke. */
	| 'GIT_NETWORK'
	/**
	 * The server speaks only git's old "dumb" HTTP protocol (static files), which cannot send
	 * the shallow copy Vouch asks for.
	 */
	| 'GIT_SHALLOW_UNSUPPORTED'
	/** git ran longer than its time limit and was stopped. */
	| 'GIT_TIMEOUT'
	/** The branch, tag or commit does not exist (or the server will not send it). */
	| 'GIT_REF_NOT_FOUND'
	/** A transport that is never used (ext::, fd::, ...) or an insecure one not allowed here. */
	| 'GIT_TRANSPORT_REFUSED'
	/**
	 * An HTTP redirect that was not followed (D27): its target failed the transport rule or the
	 * caller's check, or the server redirected git where the probe saw none.
	 */
	| 'GIT_REDIRECT_REFUSED'
	/** git printed more than the bound for this operation and was stopped. */
	| 'GIT_OUTPUT_TOO_LARGE'
	/** A ref, revision, path or option refused before git runs (malformed, too long, ...). */
	| 'GIT_INVALID_ARGUMENT'
	/** The tag is lightweight: a bare name for a commit, with nothing to carry a signature. */
	| 'GIT_TAG_NOT_ANNOTATED'
	/** The tag is annotated but carries no signature. */
	| 'GIT_TAG_UNSIGNED'
	/** The signature is sound, but made by a key that is not an allowed signer. */
	| 'GIT_SIGNER_NOT_ALLOWED'
	/** The signature does not verify, is not an SSH signature, or was made for another tag. */
	| 'GIT_SIGNATURE_INVALID'
	/** Any other failure. */
	| 'GIT_FAILED';

const HINTS: Readonly<Record<GitErrorCode, string>> = {
	GIT_NOT_INSTALLED: 'Install git (https://git-scm.com) and make sure it is on the PATH.',
	GIT_AUTH_FAILED:
		'Vouch never asks for passwords. For a private repository use an ssh URL with a loaded key, or configure a git credential helper; for ssh, check that the host key is known.',
	GIT_REPO_NOT_FOUND:
		'Check the address. If it came from the registry, the repository may have moved or gone: tell the registry maintainers. Private repositories also look missing without access.',
	GIT_NETWORK: 'Check the network connection and the address, then try again.',
	GIT_SHALLOW_UNSUPPORTED:
		'Nothing to fix on your side: whoever hosts the repository must serve it over smart HTTP (git http-backend, as every git host does), not as static files. Tell the registry maintainer (or the plugin author).',
	GIT_TIMEOUT: 'The server may be slow or unreachable; try again later.',
	GIT_REF_NOT_FOUND: 'Check the branch, tag or commit against those the repository offers.',
	GIT_TRANSPORT_REFUSED:
		'Use an https or ssh URL, or a local path. Plain http:// and git:// need --allow-insecure-transport.',
	GIT_REDIRECT_REFUSED:
		'The repository redirects elsewhere. If it has moved and you trust the new address, use that address.',
	GIT_OUTPUT_TOO_LARGE: 'The repository sent far more than a plugin should; it was not used.',
	GIT_INVALID_ARGUMENT: 'Check the ref, commit or path given.',
	GIT_TAG_NOT_ANNOTATED:
		'Do not install it. The registry requires signed releases for this plugin; tell its author, who must publish the tag signed (`git tag -s <name>`, with an SSH key the registry lists).',
	GIT_TAG_UNSIGNED:
		'Do not install it. The registry requires signed releases for this plugin; tell its author, who must publish the tag signed (`git tag -s <name>`, with an SSH key the registry lists).',
	GIT_SIGNER_NOT_ALLOWED:
		'The tag was signed with a key the registry does not list for this plugin. Do not install it; ask the authors.',
	GIT_SIGNATURE_INVALID:
		'The tag or its signature has been altered, or it belongs to another tag. Do not install it.',
	GIT_FAILED: 'The message above is what git reported.',
};

export function gitError(
	code: GitErrorCode,
	message: string,
	options: VouchErrorOptions = {},
): VouchError<GitErrorCode> {
	return new VouchError(code, message, { ...options, hint: options.hint ?? HINTS[code] });
}

export function isGitError(value: unknown): value is VouchError<GitErrorCode> {
	return value instanceof VouchError && typeof value.code === 'string' && value.code in HINTS;
}
