/**
 * tuf-js refusals to Vouch codes, one per attack, so callers and tests can tell a rollback
 * from a frozen mirror or a forged signature. The decision to refuse is always tuf-js's; this
 * only names it. Anything not recognised stays a refusal (TUF_VERIFICATION_FAILED).
 *
 * tuf-js 4.1 rethrows snapshot and targets failures as a bare RuntimeError that keeps only the
 * inner message, so besides error classes the inner messages of the pinned version are read,
 * together with what the fetcher last delivered (which file was being checked). The tests pin
 * every mapping, so a tuf-js upgrade that changes the wording is noticed.
 */
import type { Metadata, Root } from '@tufjs/models';
import { LengthOrHashMismatchError, UnsignedMetadataError } from '@tufjs/models/dist/error.js';
import {
	BadVersionError,
	DownloadHTTPError,
	DownloadLengthMismatchError,
	ExpiredMetadataError,
	RuntimeError,
} from 'tuf-js/dist/error.js';
import { isVouchError, type VouchError } from '../../core/errors.ts';
import { describeNetworkFailure } from '../../core/network-failure.ts';
import { redactUrlCredentials, sanitizeText } from '../../core/sanitize.ts';
import { type TufClientErrorCode, tufError } from '../errors.ts';
import { decodeMetadata, type RoleName } from '../metadata.ts';
import type { FetchRecord, TufFetcher } from './fetcher.ts';
import { withoutFinalPeriod } from './trusted-state.ts';
import type { RepositoryUrls } from './url-policy.ts';

export interface ClassifyContext {
	fetcher: TufFetcher;
	urls: RepositoryUrls;
	/** The root trusted when the refresh failed (tuf-js stores each root it accepts). */
	trustedRoot: Metadata<Root> | undefined;
}

type FileKind = RoleName | 'target';

export function classifyRefreshError(error: unknown, context: ClassifyContext): VouchError {
	if (isVouchError(error)) return error;
	const { fetcher } = context;
	let cause = error;
	let record: FetchRecord | undefined = fetcher.lastDelivered;
	const failure = fetcher.lastFailure;
	if (failure !== undefined && (failure.error === error || isWrapper(error))) {
		// The download itself failed: that failure is the real cause.
		cause = failure.error;
		record = failure;
	}
	if (isVouchError(cause)) return cause;
	const kind = fileKind(record?.url, context.urls);
	// tuf-js messages are short; the bound keeps the patterns below cheap whatever they quote.
	const message = (cause instanceof Error ? cause.message : String(cause)).slice(0, 2000);
	const facts = { url: record?.url, kind, message };

	if (cause instanceof DownloadHTTPError) {
		return cause.statusCode === 404 || cause.statusCode === 403
			? refusal('TUF_NOT_FOUND', facts)
			: refusal(
					'TUF_FETCH_FAILED',
					facts,
					{ status: cause.statusCode },
					describeNetworkFailure(undefined, {
						url: facts.url ?? '',
						status: cause.statusCode,
						what: 'the TUF repository',
					}).hint,
				);
	}
	if (cause instanceof DownloadLengthMismatchError || message.includes('Max length reached')) {
		if (kind === 'target') return refusal('TUF_TARGET_HASH_MISMATCH', facts);
		return refusal(
			kind === 'snapshot' || kind === 'targets' ? 'TUF_MIX_AND_MATCH' : 'TUF_TOO_LARGE',
			facts,
		);
	}
	if (cause instanceof ExpiredMetadataError || /\bis expired\b/.test(message)) {
		return refusal('TUF_METADATA_EXPIRED', facts);
	}
	if (/is less than current version|Missing file .* in new snapshot/.test(message)) {
		return refusal('TUF_ROLLBACK', facts);
	}
	if (/Snapshot version doesn't match timestamp|does not match snapshot version/.test(message)) {
		return refusal('TUF_MIX_AND_MATCH', facts);
	}
	const rootVersion = /Expected version (\d+), got (\d+)/.exec(message);
	if (rootVersion !== null) {
		const older = Number(rootVersion[2]) < Number(rootVersion[1]);
		return refusal(older ? 'TUF_ROLLBACK' : 'TUF_VERIFICATION_FAILED', facts);
	}
	if (cause instanceof BadVersionError) return refusal('TUF_ROLLBACK', facts);
	if (cause instanceof LengthOrHashMismatchError || /Expected (hash|length)/.test(message)) {
		return refusal(kind === 'target' ? 'TUF_TARGET_HASH_MISMATCH' : 'TUF_MIX_AND_MATCH', facts);
	}
	if (cause instanceof UnsignedMetadataError || /was signed by \d+\/\d+ keys/.test(message)) {
		const code = diagnoseSignatures(kind, record?.bytes, context.trustedRoot);
		return refusal(code, facts);
	}
	return refusal('TUF_VERIFICATION_FAILED', facts);
}

function isWrapper(error: unknown): boolean {
	return error instanceof RuntimeError && error.message.startsWith('Unable to load');
}

function fileKind(url: string | undefined, urls: RepositoryUrls): FileKind | undefined {
	if (url === undefined) return undefined;
	if (url.startsWith(urls.targets)) return 'target';
	const name = url.startsWith(urls.metadata) ? url.slice(urls.metadata.length) : '';
	const match = /^(?:\d+\.)?(root|timestamp|snapshot|targets)\.json$/.exec(name);
	return match === null ? undefined : (match[1] as RoleName);
}

/**
 * A threshold failure is either a forged or damaged signature (some authorised key's signature
 * is present and does not verify) or too few signatures. For a new root both the trusted root
 * and the new root's own keys are asked, as tuf-js asks both.
 */
function diagnoseSignatures(
	kind: FileKind | undefined,
	bytes: Buffer | undefined,
	trusted: Metadata<Root> | undefined,
): TufClientErrorCode {
	if (kind === undefined || kind === 'target' || bytes === undefined || trusted === undefined) {
		return 'TUF_BAD_SIGNATURE';
	}
	let signed: Metadata<Root>;
	try {
		signed = decodeMetadata(kind, bytes) as unknown as Metadata<Root>;
	} catch {
		return 'TUF_BAD_SIGNATURE';
	}
	const authorities = kind === 'root' ? [trusted, signed] : [trusted];
	for (const authority of authorities) {
		for (const keyId of authority.signed.roles[kind]?.keyIDs ?? []) {
			const key = authority.signed.keys[keyId];
			if (key === undefined || signed.signatures[keyId] === undefined) continue;
			try {
				key.verifySignature(signed);
			} catch {
				return 'TUF_BAD_SIGNATURE';
			}
		}
	}
	return 'TUF_BELOW_THRESHOLD';
}

interface Facts {
	url: string | undefined;
	kind: FileKind | undefined;
	message: string;
}

const WORDING: Record<string, { what: string; hint: string }> = {
	TUF_ROLLBACK: {
		what: 'served metadata older than what this client already trusts (rollback)',
		hint: 'The repository or a mirror is serving old files. The last verified registry is kept; tell the registry maintainers.',
	},
	TUF_METADATA_EXPIRED: {
		what: 'served expired metadata (a frozen or unmaintained repository)',
		hint: "Check the computer's clock. If it is right, the repository has not been re-signed: tell the registry maintainers.",
	},
	TUF_MIX_AND_MATCH: {
		what: 'served metadata that is not the version the newer metadata vouches for (mix-and-match)',
		hint: 'A mirror may be mid-update; try again later. If it persists, tell the registry maintainers.',
	},
	TUF_TARGET_HASH_MISMATCH: {
		what: 'served a file whose length or SHA-256 does not match its signed metadata',
		hint: 'The file was altered on the server or on the way. Nothing was accepted; tell the registry maintainers.',
	},
	TUF_BAD_SIGNATURE: {
		what: 'served metadata with a signature that does not verify',
		hint: 'The metadata was altered or forged. Nothing was accepted; tell the registry maintainers.',
	},
	TUF_BELOW_THRESHOLD: {
		what: 'served metadata without enough valid signatures from the keys it needs',
		hint: 'The metadata is not signed by enough trusted keys. Nothing was accepted; tell the registry maintainers.',
	},
	TUF_NOT_FOUND: {
		what: 'does not have a file it must have',
		hint: 'Check that the URL is the base of a TUF repository (with metadata/ and targets/).',
	},
	TUF_FETCH_FAILED: {
		what: 'could not be read',
		hint: 'Check the network and the repository URL.',
	},
	TUF_TOO_LARGE: {
		what: 'served metadata larger than a client accepts',
		hint: 'Tell the registry maintainers.',
	},
	TUF_VERIFICATION_FAILED: {
		what: 'was refused by TUF verification',
		hint: 'Nothing was accepted; tell the registry maintainers.',
	},
};

function refusal(
	code: TufClientErrorCode,
	facts: Facts,
	extra: Record<string, unknown> = {},
	hint?: string,
): VouchError {
	const wording =
		WORDING[code] ?? (WORDING.TUF_VERIFICATION_FAILED as { what: string; hint: string });
	const where =
		facts.url === undefined
			? 'The TUF repository'
			: sanitizeText(redactUrlCredentials(facts.url), { maxLength: 300 });
	// tuf-js's wrapper adds nothing a reader needs: "Unable to load snapshot metadata error Error: ".
	const wrapper = /^Unable to load [a-z ]{1,40} error (?:[A-Za-z]{0,40}Error: )?/.exec(
		facts.message,
	);
	const inner = withoutFinalPeriod(facts.message.slice(wrapper?.[0].length ?? 0));
	const detail = sanitizeText(inner, { maxLength: 300 });
	return tufError(code, `${where} ${wording.what}: ${detail}.`, {
		hint: hint ?? wording.hint,
		details: {
			...(facts.url === undefined ? {} : { url: sanitizeText(redactUrlCredentials(facts.url)) }),
			...(facts.kind === undefined ? {} : { file: facts.kind }),
			detail,
			...extra,
		},
	});
}
