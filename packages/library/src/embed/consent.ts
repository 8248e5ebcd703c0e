/**
 * Consent without anybody to ask. A host that passes no prompter runs unattended: nothing that
 * needs a person's agreement may go ahead silently (D12, D20, D21). The lifecycle already
 * refuses in that case; this module makes the refusal say which consent was missing and which
 * option gives it, in the host's words rather than the CLI's flags.
 */
import { isVouchError, VouchError } from '../core/errors.ts';

/** The agreements an operation may need from a person. */
export type MissingConsent =
	/** The trust warning of a community or unregistered plugin (D12): `yes`. */
	| 'trust-warning'
	/** High-severity scan findings (D21): `acceptFindings`. */
	| 'scan-findings'
	/** Capabilities a new version adds (D20): `grantCapabilities`. */
	| 'new-capabilities'
	/** Enabling a plugin the blacklist marks as not recommended: `yes`. */
	| 'soft-blacklisted'
	/** Discarding uncommitted changes in a plugin's working copy: `yes` on a reinstall. */
	| 'discard-local-changes'
	/**
	 * A possible impersonation of a registered plugin (D12): only a person at a prompter can
	 * agree to it. No option gives it, so a host running unattended never installs one.
	 */
	| 'impersonation';

const HINTS: Record<MissingConsent, string> = {
	'trust-warning':
		'Show the warning to the user, and pass `yes: true` only once they agreed, or give createVouch a prompter.',
	'scan-findings':
		'Show the findings to the user; only if they accept the risk, pass `acceptFindings: true` (`yes` does not cover it).',
	'new-capabilities':
		'The installed version stays. Pass `grantCapabilities: true` once the user accepted the new capabilities, or give createVouch a prompter.',
	'soft-blacklisted':
		'The plugin stays disabled. Pass `yes: true` once the user read the blacklist reason, or give createVouch a prompter.',
	'discard-local-changes':
		'Commit or copy the changes first; a reinstall with `yes: true` discards them.',
	impersonation:
		'Install the registered plugin instead. Only a person can accept a possible impersonation: give createVouch a prompter (`yes` does not cover it).',
};

/** The consent an error says was missing, when it is one of these refusals. */
export function missingConsent(error: unknown): MissingConsent | undefined {
	if (!isVouchError(error)) return undefined;
	const consent = error.details?.consent;
	return typeof consent === 'string' && consent in HINTS ? (consent as MissingConsent) : undefined;
}

/**
 * Rewrites a refusal raised with nobody to ask into one that names the missing consent (in
 * `details.consent`) and the option that gives it. `DECLINED` cannot mean a person said no
 * here, so it becomes `CONFIRMATION_REQUIRED`. Other errors pass through unchanged.
 */
export function explainUnattendedRefusal(
	error: unknown,
	operation: 'install' | 'update' | 'enable',
): unknown {
	if (!isVouchError(error)) return error;
	const consent = consentOf(error, operation);
	if (consent === undefined) return error;
	const code = error.code === 'DECLINED' ? 'CONFIRMATION_REQUIRED' : error.code;
	return new VouchError(code, error.message, {
		hint: HINTS[consent],
		cause: error,
		exitCode: code === 'CONFIRMATION_REQUIRED' ? 1 : error.exitCode,
		details: { ...error.details, consent },
	});
}

function consentOf(error: VouchError, operation: string): MissingConsent | undefined {
	switch (error.code) {
		case 'CONFIRMATION_REQUIRED':
			return 'trust-warning';
		case 'FINDINGS_NOT_ACCEPTED':
			return 'scan-findings';
		case 'LOCAL_CHANGES':
			return 'discard-local-changes';
		// Its own hint names a CLI flag the host API does not have.
		case 'IMPERSONATION_NOT_ACCEPTED':
			return 'impersonation';
		case 'DECLINED':
			if (error.details?.capabilities !== undefined) return 'new-capabilities';
			return operation === 'enable' ? 'soft-blacklisted' : undefined;
		default:
			return undefined;
	}
}
