/**
 * The code part of a review, ref by ref: clone the ref (through the git port, so through
 * `src/git`), read and check its manifest, scan it, check it against a reviewed-release pin
 * the entry holds for it, and store the scan report beside the registry. Nothing is imported
 * or run; each clone lives in its own private temporary directory, removed afterwards.
 */
import { join } from 'node:path';
import { isVouchError } from '../../core/errors.ts';
import { sanitizeText } from '../../core/sanitize.ts';
import type { ManifestResult } from '../../manifest/model.ts';
import type { RegistryPlugin } from '../../registry/model.ts';
import type { FindingSink } from '../../registry/review/findings.ts';
import type { RefReview } from '../../registry/review/verdict.ts';
import type { ScanReport } from '../../scan/types.ts';
import { refTypeOf } from '../checkout-choice.ts';
import type { GitPort, RefType, RemoteListing } from '../ports.ts';
import type { TreeDigest } from '../store/index.ts';
import { manifestFindings, scanFindings } from './code-findings.ts';
import { storeScanReport } from './scan-reports.ts';

export interface RefReviewDeps {
	git: Pick<GitPort, 'lsRemote' | 'clone'>;
	readManifest(dir: string): Promise<ManifestResult>;
	scan(dir: string): Promise<ScanReport>;
	digest(dir: string): Promise<TreeDigest>;
	/** A fresh private directory, and its removal. */
	makeTempDir(): Promise<string>;
	removeDir(path: string): Promise<void>;
}

export interface RefReviewOptions {
	/** Where scan reports are stored (`scan-reports/...` under it); none stored when absent. */
	reportsDir?: string;
}

/** The most refs one review fetches: every ref is a clone and a scan. */
export const MAX_REVIEWED_REFS = 20;

const FULL_COMMIT = /^[0-9a-f]{40}$/i;

function reasonOf(error: unknown): string {
	const text = error instanceof Error ? error.message : String(error);
	return sanitizeText(text, { maxLength: 300 });
}

/** Reviews each ref of `entry`; returns what each looked like, findings go to `sink`. */
export async function reviewRefs(
	entry: RegistryPlugin,
	refs: readonly string[],
	listing: RemoteListing,
	deps: RefReviewDeps,
	options: RefReviewOptions,
	sink: FindingSink,
): Promise<RefReview[]> {
	const reviewed: RefReview[] = [];
	for (const ref of refs.slice(0, MAX_REVIEWED_REFS)) {
		reviewed.push(await reviewOneRef(entry, ref, listing, deps, options, sink));
	}
	if (refs.length > MAX_REVIEWED_REFS) {
		sink.add(
			'FETCH_FAILED',
			'warning',
			`Only the first ${MAX_REVIEWED_REFS} of ${refs.length} refs were reviewed.`,
		);
	}
	return reviewed;
}

async function reviewOneRef(
	entry: RegistryPlugin,
	ref: string,
	listing: RemoteListing,
	deps: RefReviewDeps,
	options: RefReviewOptions,
	sink: FindingSink,
): Promise<RefReview> {
	const shown = sanitizeText(ref, { maxLength: 100 });
	const refType: RefType | undefined =
		refTypeOf(ref, listing) ?? (FULL_COMMIT.test(ref) ? 'commit' : undefined);
	if (refType === undefined) {
		sink.add('REF_NOT_FOUND', 'error', `The repository has no branch or tag ${shown}.`, ref);
		return { ref: shown, manifest: 'not-fetched' };
	}
	const parent = await deps.makeTempDir();
	try {
		const dir = join(parent, 'checkout');
		let commit: string;
		try {
			({ commit } = await deps.git.clone({ url: entry.gitUrl, ref, refType, dest: dir }));
		} catch (error) {
			if (!isVouchError(error)) throw error;
			sink.add('FETCH_FAILED', 'error', `Could not fetch ${shown}: ${reasonOf(error)}`, ref);
			return { ref: shown, manifest: 'not-fetched' };
		}
		const result: RefReview = { ref: shown, commit, manifest: 'missing' };
		result.manifest = await checkManifest(entry, ref, dir, deps, sink);
		await checkPin(entry, ref, commit, dir, deps, sink);
		let report: ScanReport;
		try {
			report = await deps.scan(dir);
		} catch (error) {
			// A plugin that breaks the scanner must not pass more easily than one it can read.
			sink.add('SCAN_FAILED', 'error', `The scan failed: ${reasonOf(error)}`, ref);
			return result;
		}
		scanFindings(report, ref, sink);
		result.scan = {
			high: report.summary.high,
			medium: report.summary.medium,
			low: report.summary.low,
			info: report.summary.info,
			declaration: report.capabilities.status,
			declared: [...report.capabilities.declared],
			inferred: [...report.capabilities.inferred],
			undeclared: [...report.capabilities.undeclared],
		};
		if (options.reportsDir !== undefined) {
			const name = await storeScanReport(options.reportsDir, entry.id, commit, report);
			if (name !== undefined) result.report = name;
		}
		return result;
	} finally {
		await deps.removeDir(parent);
	}
}

async function checkManifest(
	entry: RegistryPlugin,
	ref: string,
	dir: string,
	deps: RefReviewDeps,
	sink: FindingSink,
): Promise<RefReview['manifest']> {
	let result: ManifestResult;
	try {
		result = await deps.readManifest(dir);
	} catch (error) {
		if (!isVouchError(error)) throw error;
		const missing = error.code === 'MANIFEST_NOT_FOUND';
		sink.add(
			missing ? 'MANIFEST_MISSING' : 'MANIFEST_INVALID',
			'error',
			missing
				? 'The ref has no MANIFEST.toml.'
				: `MANIFEST.toml cannot be read: ${reasonOf(error)}`,
			ref,
		);
		return missing ? 'missing' : 'invalid';
	}
	manifestFindings(result, entry, ref, sink);
	return result.manifest === undefined ? 'invalid' : 'valid';
}

/** A reviewed-release pin for this ref must name exactly the commit and tree fetched (D19b). */
async function checkPin(
	entry: RegistryPlugin,
	ref: string,
	commit: string,
	dir: string,
	deps: RefReviewDeps,
	sink: FindingSink,
): Promise<void> {
	const pins = entry.releases.filter((pin) => pin.ref === ref);
	if (pins.length === 0) return;
	const { treeDigest } = await deps.digest(dir);
	if (pins.some((pin) => pin.commit === commit && pin.tree === treeDigest)) return;
	sink.add(
		'PIN_MISMATCH',
		'error',
		`The pin for ${sanitizeText(ref, { maxLength: 100 })} does not match the fetched release (commit ${commit}, tree ${treeDigest}).`,
		ref,
	);
}
