/**
 * `scanPlugin(dir, options)`: the whole scan of one plugin directory. Lists its files within the
 * bounds, parses Python and JS/TS sources, judges every other file by type, reads the
 * manifest's capability declarations and compares them with what the code does. Plugin code is
 * only read, never imported or run.
 */
import { realpath, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isVouchError } from '../core/errors.ts';
import { sanitizeText } from '../core/sanitize.ts';
import { readManifest } from '../manifest/read.ts';
import { checkCapabilities, type DeclarationInput } from './capabilities.ts';
import { defaultScanEngine, type ScanEngine } from './engine/engine.ts';
import { scanError } from './errors.ts';
import { fileFinding } from './files/file-finding.ts';
import { type LoadingFile, scanLoadedFiles } from './files/loaded-pass.ts';
import { scanPlainText } from './files/plain-text-code.ts';
import { DISK_READER, type FileReader } from './files/read.ts';
import { type FileOutcome, scanOneFile } from './files/scan-file.ts';
import { SkipList, type WalkedFile, walkPlugin } from './files/walk.ts';
import { resolveLimits, type ScanLimits } from './limits.ts';
import type { HostScanTable } from './reach/host.ts';
import { sortFindings, summarise } from './report.ts';
import type { Finding, ScanReport, SourceLanguage } from './types.ts';

/** Changes when rules change, so a stored report says which rules produced it. */
export const SCANNER_VERSION = '0.2.0';

export interface ScanOptions {
	/** Overrides of the default bounds (see `DEFAULT_SCAN_LIMITS`). */
	limits?: Partial<ScanLimits>;
	/** A prepared engine; by default one shared engine per process. */
	engine?: ScanEngine;
	/**
	 * The capability declaration, when the caller already read (and validated) MANIFEST.toml
	 * in `dir`: it is then not read again. Otherwise it is read here.
	 */
	capabilities?: DeclarationInput;
	/** Milliseconds, for the per-file time bound. Default `performance.now`. */
	clock?: () => number;
	/** The host's web service, settings and plugin places (`PICARD_SCAN_TABLE` by default). */
	host?: HostScanTable;
	/**
	 * Where the files' contents come from: by default the disk. Install passes the bytes its
	 * tree digest read, so the scan judges exactly what was digested, read once.
	 */
	reader?: FileReader;
	/** Stops the scan between files (it then rejects with the signal's reason). */
	signal?: AbortSignal;
}

/**
 * Scanning is synchronous work; every this many milliseconds it lets the event loop run, so
 * that what runs beside it (install's digest and git checks) is not held up until it ends.
 */
const YIELD_EVERY_MS = 10;

function yieldToEventLoop(): Promise<void> {
	return new Promise((resolve) => setImmediate(resolve));
}

async function assertDirectory(dir: string): Promise<void> {
	let info: Awaited<ReturnType<typeof stat>>;
	try {
		info = await stat(dir);
	} catch (error) {
		const code = (error as { code?: string }).code;
		if (code === 'ENOENT' || code === 'ENOTDIR') {
			throw scanError('SCAN_TARGET_NOT_FOUND', `${sanitizeText(dir)} does not exist.`, {
				hint: 'Pass a plugin directory, an installed plugin or a git URL.',
			});
		}
		throw scanError(
			'SCAN_READ_ERROR',
			`Could not read ${sanitizeText(dir)} (${code ?? 'I/O error'}).`,
			{
				cause: error,
			},
		);
	}
	if (!info.isDirectory()) {
		throw scanError('SCAN_TARGET_NOT_A_DIRECTORY', `${sanitizeText(dir)} is not a directory.`, {
			hint: 'A plugin is a directory; pass the directory that holds MANIFEST.toml.',
		});
	}
}

async function readDeclaration(
	dir: string,
): Promise<{ declaration: DeclarationInput; manifest: ScanReport['manifest'] }> {
	try {
		const result = await readManifest(dir);
		if (result.manifest === undefined) {
			return {
				declaration: { status: 'no-manifest' },
				manifest: { status: 'invalid', file: 'MANIFEST.toml' },
			};
		}
		return {
			declaration: result.manifest.capabilities,
			manifest: { status: 'valid', file: 'MANIFEST.toml' },
		};
	} catch (error) {
		if (!isVouchError(error)) throw error;
		const missing = error.code === 'MANIFEST_NOT_FOUND';
		return {
			declaration: { status: 'no-manifest' },
			manifest: missing ? { status: 'missing' } : { status: 'invalid', file: 'MANIFEST.toml' },
		};
	}
}

export async function scanPlugin(dir: string, options: ScanOptions = {}): Promise<ScanReport> {
	const root = resolve(dir);
	const limits = resolveLimits(options.limits);
	await assertDirectory(root);
	const engine = options.engine ?? (await defaultScanEngine());
	const clock = options.clock ?? (() => performance.now());
	const { declaration, manifest } =
		options.capabilities === undefined
			? await readDeclaration(root)
			: {
					declaration: options.capabilities,
					manifest: { status: 'valid' as const, file: 'MANIFEST.toml' },
				};

	const skips = new SkipList();
	let files: Awaited<ReturnType<typeof walkPlugin>>;
	try {
		files = await walkPlugin(root, limits, skips);
	} catch (error) {
		throw scanError('SCAN_READ_ERROR', `Could not list ${sanitizeText(root)}.`, { cause: error });
	}

	const findings: Finding[] = [];
	const stats = { scanned: 0, other: 0, bytes: 0, lines: 0 };
	const byLanguage: Partial<Record<SourceLanguage, number>> = {};
	const budget = { remaining: limits.maxTotalBytes };
	const scanDeadline = clock() + limits.maxScanMs;
	const context = { engine, limits, clock, budget, reader: options.reader ?? DISK_READER };
	const count = (outcome: FileOutcome) => {
		// One by one: a spread of a very long list overflows the call stack.
		for (const finding of outcome.findings) findings.push(finding);
		if (outcome.skipped !== undefined) skips.add(outcome.skipped);
		if (outcome.language === undefined) {
			stats.other++;
		} else if (outcome.scanned) {
			stats.scanned++;
			stats.bytes += outcome.bytes;
			stats.lines += outcome.lines;
			byLanguage[outcome.language] = (byLanguage[outcome.language] ?? 0) + 1;
		}
	};
	// What the runtime can execute is scanned as code, whatever its name (D21): files listed
	// through a link are scanned under the link's name, files the code loads in the loading
	// language, and text that parses as code as that code.
	const loading: LoadingFile[] = [];
	const plainText: WalkedFile[] = [];
	const scannedAs = new Set<string>();
	let lastYield = performance.now();
	for (const file of files) {
		if (performance.now() - lastYield >= YIELD_EVERY_MS) {
			await yieldToEventLoop();
			lastYield = performance.now();
		}
		options.signal?.throwIfAborted();
		if (clock() >= scanDeadline) {
			skips.add({
				file: file.relative,
				reason: 'timeout',
				detail: `the whole scan's bound of ${Math.round(limits.maxScanMs / 1000)} s was reached first`,
			});
			continue;
		}
		const outcome = await scanOneFile(file, context);
		count(outcome);
		if (outcome.language !== undefined) {
			scannedAs.add(`${outcome.language === 'python' ? 'python' : 'javascript'}:${file.path}`);
		}
		if (outcome.loads !== undefined && outcome.loads.length > 0 && outcome.language !== undefined) {
			loading.push({ file, language: outcome.language, loads: outcome.loads });
		}
		if (outcome.plainText === true) plainText.push(file);
	}
	const loaded = await scanLoadedFiles(loading, root, await realpath(root), context, scanDeadline);
	for (const outcome of loaded.outcomes) count(outcome);
	for (const finding of loaded.findings) findings.push(finding);
	for (const key of loaded.scannedAs) scannedAs.add(key);
	const parsed = await scanPlainText(plainText, context, scannedAs, scanDeadline);
	for (const outcome of parsed.outcomes) count(outcome);
	for (const finding of parsed.findings) findings.push(finding);
	// Whatever a bound kept out is a finding too: hiding code behind a bound must show. A link
	// leading out of the plugin is worse than unscanned: the host would load what it points at.
	for (const skipped of skips.listed) {
		findings.push(
			skipped.reason === 'symlink'
				? fileFinding('link-outside-plugin', skipped.file, skipped.detail)
				: fileFinding('unscanned-file', skipped.file, `not scanned: ${skipped.detail}`),
		);
	}
	if (skips.notListed > 0) {
		findings.push(
			fileFinding(
				'unscanned-file',
				'.',
				`${skips.notListed} more files were not scanned (not listed)`,
			),
		);
	}

	const capabilities = checkCapabilities(findings, declaration, options.host);
	findings.push(...capabilities.findings);
	sortFindings(findings);
	return {
		reportVersion: 1,
		scanner: { name: 'vouch-scan', version: SCANNER_VERSION },
		root,
		manifest,
		findings,
		summary: summarise(findings),
		capabilities: capabilities.report,
		files: { ...stats, byLanguage },
		skipped: skips.listed,
		skippedNotListed: skips.notListed,
		limits,
	};
}
