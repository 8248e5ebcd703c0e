/**
 * `scanPlugin(dir, options)`: the whole scan of one plugin directory. Lists its files within the
 * bounds, parses Python and JS/TS sources, judges every other file by type, reads the
 * manifest's capability declarations and compares them with what the code does. Plugin code is
 * only read, never imported or run.
 */
import { setMaxListeners } from 'node:events';
import { realpath, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isVouchError } from '../core/errors.ts';
import { sanitizeText } from '../core/sanitize.ts';
import { readManifest } from '../manifest/read.ts';
import { checkCapabilities, type DeclarationInput } from './capabilities.ts';
import { defaultScanEngine, type ScanEngine } from './engine/engine.ts';
import { inThreadRunner, type SourceScanRunner } from './engine/source-runner.ts';
import { sharedScanPool } from './engine/worker-pool.ts';
import { scanError } from './errors.ts';
import { fileFinding } from './files/file-finding.ts';
import { type LoadingFile, scanLoadedFiles } from './files/loaded-pass.ts';
import { scanPlainText } from './files/plain-text-code.ts';
import { DISK_READER, type FileReader } from './files/read.ts';
import { type FileOutcome, prepareFile } from './files/scan-file.ts';
import { SkipList, type WalkedFile, walkPlugin } from './files/walk.ts';
import { resolveLimits, type ScanLimits } from './limits.ts';
import type { HostScanTable } from './reach/host.ts';
import { sortFindings, summarise } from './report.ts';
import type { Finding, ScanReport, SkippedFile, SourceLanguage } from './types.ts';

/** Changes when rules change, so a stored report says which rules produced it. */
export const SCANNER_VERSION = '0.2.0';

export interface ScanOptions {
	/** Overrides of the default bounds (see `DEFAULT_SCAN_LIMITS`). */
	limits?: Partial<ScanLimits>;
	/**
	 * A prepared engine, used in this thread. By default a large plugin is scanned on worker
	 * threads as well (`engine/worker-pool.ts`), and a small one on one shared engine.
	 */
	engine?: ScanEngine;
	/** Scan in this thread only, on the shared engine: no worker thread is started. */
	inThread?: boolean;
	/** Where source texts are scanned, when the caller keeps its own pool (`createScanWorkerPool`). */
	runner?: SourceScanRunner;
	/**
	 * The capability declaration, when the caller already read (and validated) MANIFEST.toml
	 * in `dir`: it is then not read again. Otherwise it is read here.
	 */
	capabilities?: DeclarationInput;
	/**
	 * Milliseconds, for the time bounds. Default `performance.now`. A clock of its own scans in
	 * this thread, since worker threads keep their own time.
	 */
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

/** Files read ahead of the oldest scan still running, per file scanned at once. */
const READ_AHEAD = 4;

type Counted =
	| { file: WalkedFile; outcome: FileOutcome }
	| { skipped: SkippedFile }
	| { error: unknown };

/**
 * This thread, with the engine given or the shared one, when the caller asks for it or times
 * the scan with a clock of its own; otherwise the shared pool, which starts its workers only
 * for a plugin large enough to gain from them.
 */
async function runnerFor(options: ScanOptions, clock: () => number): Promise<SourceScanRunner> {
	if (options.runner !== undefined) return options.runner;
	if (options.engine !== undefined) return inThreadRunner(options.engine, clock);
	if (options.clock !== undefined || options.inThread === true) {
		return inThreadRunner(await defaultScanEngine(), clock);
	}
	return sharedScanPool();
}

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
	// A scan that ends early (a file it could not judge, an abort) may have files still waiting
	// on a runner shared with other scans: they are dropped, not scanned for nobody while the
	// others wait behind them and the process is held open.
	const ended = new AbortController();
	try {
		return await scanUntil(dir, options, ended.signal);
	} finally {
		ended.abort(ended);
	}
}

async function scanUntil(
	dir: string,
	options: ScanOptions,
	ended: AbortSignal,
): Promise<ScanReport> {
	const root = resolve(dir);
	const limits = resolveLimits(options.limits);
	await assertDirectory(root);
	const clock = options.clock ?? (() => performance.now());
	const runner = await runnerFor(options, clock);
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
	const context = {
		runner,
		limits,
		clock,
		budget,
		reader: options.reader ?? DISK_READER,
		signal: options.signal === undefined ? ended : AbortSignal.any([options.signal, ended]),
	};
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
	// Files are read and judged in order; their texts' scans may run several at once, and
	// their outcomes are counted in file order, so the report is the same however they ran.
	const pending: Promise<Counted>[] = [];
	const ahead = runner.concurrency * READ_AHEAD;
	const countOldest = async () => {
		const next = await (pending.shift() as Promise<Counted>);
		if ('error' in next) throw next.error;
		if ('skipped' in next) {
			skips.add(next.skipped);
			return;
		}
		const { file, outcome } = next;
		count(outcome);
		if (outcome.language !== undefined) {
			scannedAs.add(`${outcome.language === 'python' ? 'python' : 'javascript'}:${file.path}`);
		}
		if (outcome.loads !== undefined && outcome.loads.length > 0 && outcome.language !== undefined) {
			loading.push({ file, language: outcome.language, loads: outcome.loads });
		}
		if (outcome.plainText === true) plainText.push(file);
	};
	const tooLate = (file: WalkedFile): Counted => ({
		skipped: {
			file: file.relative,
			reason: 'timeout',
			detail: `the whole scan's bound of ${Math.round(limits.maxScanMs / 1000)} s was reached first`,
		},
	});
	// A runner of several threads may hold files waiting their turn past the whole scan's
	// bound (one that never answers, up to its own bound and more): once the bound passes,
	// those are dropped and count as not scanned, as the files after them do. In this thread
	// every file is scanned when handed over, so there is nothing to drop.
	const late = new AbortController();
	const lateTimer =
		runner.concurrency > 1
			? setTimeout(() => late.abort(late), Math.max(0, scanDeadline - clock()))
			: undefined;
	lateTimer?.unref();
	const runSignal = AbortSignal.any([context.signal, late.signal]);
	// Each file waiting on the runner listens for the abort: up to `ahead` at once, by design,
	// which is no leak (Node would warn on the terminal past ten).
	setMaxListeners(ahead + 1, runSignal);
	let lastYield = performance.now();
	for (const file of files) {
		if (performance.now() - lastYield >= YIELD_EVERY_MS) {
			await yieldToEventLoop();
			lastYield = performance.now();
		}
		options.signal?.throwIfAborted();
		if (clock() >= scanDeadline) {
			pending.push(Promise.resolve(tooLate(file)));
		} else {
			const prepared = await prepareFile(file, context);
			pending.push(
				'outcome' in prepared
					? Promise.resolve({ file, outcome: prepared.outcome })
					: runner.run(prepared.request, runSignal).then(
							(result) => ({ file, outcome: prepared.finish(result) }),
							// Held until counted: a rejection nobody awaits yet would end the process.
							(error: unknown) => (error === late ? tooLate(file) : { error }),
						),
			);
		}
		while (pending.length >= ahead) await countOldest();
	}
	while (pending.length > 0) await countOldest();
	clearTimeout(lateTimer);
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
