/**
 * The registry's scan report of one commit (D21), fetched and verified like every other target:
 * its length and SHA-256 come from the targets metadata the client last verified and stored,
 * the download is bounded by that length (and by the report size limit before it starts), and
 * the bytes are checked against both before anything reads them. Only the summary is kept, for
 * the one line the consent screen shows.
 *
 * No report is not an error: most registries publish none yet. A report that is listed but
 * fails verification is an error (TUF_TARGET_HASH_MISMATCH): someone tampered with it.
 */
import type { TargetFile } from '@tufjs/models';
import { sanitizeText } from '../../core/sanitize.ts';
import { MAX_SCAN_REPORT_BYTES, scanReportName } from '../../registry/review/report-name.ts';
import { tufError } from '../errors.ts';
import { hashedTargetName, sha256Hex } from '../metadata.ts';
import type { RegistryScanSummary } from './scan-summary.ts';
import { loadTrustedState, type ShippedRoot } from './trusted-state.ts';
import type { RepositoryUrls } from './url-policy.ts';

export interface ScanReportFetchOptions {
	shipped: ShippedRoot;
	metadataDir: string;
	urls: RepositoryUrls;
	fetch: typeof fetch;
	timeoutMs: number;
}

/** The summary of the published report of `id` at `commit`, or undefined when none is listed. */
export async function fetchRegistryScanSummary(
	options: ScanReportFetchOptions,
	id: string,
	commit: string,
): Promise<RegistryScanSummary | undefined> {
	const name = scanReportName(id, commit);
	if (name === undefined) return undefined;
	const state = await loadTrustedState(options.metadataDir, options.shipped);
	const info = state.top?.targets.metadata.signed.targets[name];
	if (info === undefined) return undefined;
	const sha256 = checkReportTarget(info);
	// The fetcher extends tuf-js's: loaded only when a report is actually downloaded.
	const { TufFetcher } = await import('./fetcher.ts');
	const fetcher = new TufFetcher({ fetch: options.fetch, timeoutMs: options.timeoutMs });
	const bytes = await fetcher.downloadBytes(
		new URL(hashedTargetName(name, sha256), options.urls.targets).href,
		info.length,
	);
	if (bytes.byteLength !== info.length || sha256Hex(bytes) !== sha256) {
		throw tufError(
			'TUF_TARGET_HASH_MISMATCH',
			`The registry's scan report ${sanitizeText(name)} does not match its signed hash.`,
			{ hint: 'The repository or the connection altered it; tell the registry maintainers.' },
		);
	}
	return summaryOf(bytes, commit, name);
}

function checkReportTarget(info: TargetFile): string {
	const sha256 = info.hashes.sha256;
	if (sha256 === undefined || !/^[0-9a-f]{64}$/.test(sha256)) {
		throw tufError(
			'TUF_TARGET_INVALID',
			`The signed record of ${sanitizeText(info.path)} has no SHA-256.`,
		);
	}
	if (info.length > MAX_SCAN_REPORT_BYTES) {
		throw tufError(
			'TUF_TARGET_INVALID',
			`The signed ${sanitizeText(info.path)} is ${info.length} bytes; at most ${MAX_SCAN_REPORT_BYTES} are accepted.`,
		);
	}
	return sha256;
}

const count = (value: unknown): number =>
	typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0;

/** The summary, read defensively: a signed report is still data from the registry. */
function summaryOf(bytes: Buffer, commit: string, name: string): RegistryScanSummary {
	let report: {
		scanner?: { version?: unknown };
		summary?: Record<string, unknown>;
		capabilities?: { undeclared?: unknown };
	};
	try {
		report = JSON.parse(bytes.toString('utf8'));
	} catch (error) {
		throw tufError(
			'TUF_TARGET_INVALID',
			`The registry's scan report ${sanitizeText(name)} is not JSON.`,
			{
				cause: error,
			},
		);
	}
	const summary = report.summary ?? {};
	const undeclared = Array.isArray(report.capabilities?.undeclared)
		? report.capabilities.undeclared
				.filter((item): item is string => typeof item === 'string')
				.slice(0, 16)
				.map((item) => sanitizeText(item, { maxLength: 40 }))
		: [];
	return {
		commit,
		scannerVersion: sanitizeText(report.scanner?.version ?? 'unknown', { maxLength: 20 }),
		high: count(summary.high),
		medium: count(summary.medium),
		low: count(summary.low),
		info: count(summary.info),
		undeclared,
	};
}
