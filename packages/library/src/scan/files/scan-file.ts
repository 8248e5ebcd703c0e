/**
 * One file of a plugin: source code is read within the size bounds and scanned; anything else
 * is judged by type (native binaries, compiled bytecode, unknown binary blobs).
 */
import type { SourceScanResult } from '../engine/scan-source.ts';
import type { SourceScanRequest, SourceScanRunner } from '../engine/source-runner.ts';
import type { ScanLimits } from '../limits.ts';
import type { RuleId } from '../rules/catalog.ts';
import type { Finding, SkippedFile, SourceLanguage } from '../types.ts';
import { checkArchive, isTar, MAX_ARCHIVE_BYTES } from './archive-members.ts';
import { isText, languageOf, languageOfShebang, SNIFF_BYTES, sniff } from './classify.ts';
import { fileFinding } from './file-finding.ts';
import { type CodeLoad, findCodeLoads } from './loaded-code.ts';
import { MAX_PACKAGE_JSON, packageScriptFindings } from './package-scripts.ts';
import { decodeSource, type FileReader } from './read.ts';
import type { WalkedFile } from './walk.ts';

export interface FileScanContext {
	/** Parses and judges source texts: in this thread, or on worker threads. */
	runner: SourceScanRunner;
	limits: ScanLimits;
	clock: () => number;
	/** Bytes of source still allowed by `maxTotalBytes`; shared by the files of one scan. */
	budget: { remaining: number };
	/** Every read of a plugin file goes through here. */
	reader: FileReader;
	/** The scan's own: once aborted, texts still waiting for the runner are dropped. */
	signal?: AbortSignal | undefined;
}

export interface FileOutcome {
	findings: Finding[];
	skipped?: SkippedFile;
	/** Set for source files (scanned or skipped). */
	language?: SourceLanguage;
	scanned: boolean;
	bytes: number;
	lines: number;
	/** What a scanned source file loads as code (`loaded-code.ts`). */
	loads?: CodeLoad[];
	/** Text that is not code by its name: it may still parse as code (`loaded-pass.ts`). */
	plainText?: boolean;
}

function mib(bytes: number): string {
	return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

const NOTHING = { findings: [], scanned: false, bytes: 0, lines: 0 } as const;

async function judgeData(
	file: WalkedFile,
	head: Uint8Array,
	context: FileScanContext,
): Promise<FileOutcome> {
	const kind = sniff(file.name, head);
	const members = await archiveFindings(file, head, context);
	if (kind.kind === 'data' && !isTar(head)) {
		return { ...NOTHING, findings: members, plainText: isText(head) };
	}
	const rule: RuleId =
		kind.kind === 'native'
			? 'native-binary'
			: kind.kind === 'bytecode'
				? isSourceCheckedCache(file.relative, head)
					? 'bytecode-cache'
					: 'bytecode-file'
				: 'binary-file';
	const format = kind.kind === 'data' ? 'tar archive' : kind.format;
	return {
		...NOTHING,
		findings: [
			fileFinding(kind.kind === 'data' ? 'binary-file' : rule, file.relative, format),
			...members,
		],
	};
}

/** Zip, tar or gzip magic: an archive whose member names may lead out when extracted. */
function looksLikeArchive(head: Uint8Array): boolean {
	return (
		(head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) ||
		(head[0] === 0x1f && head[1] === 0x8b) ||
		isTar(head)
	);
}

/** `archive-escape` for each shipped archive member that leads out of where it is extracted. */
async function archiveFindings(
	file: WalkedFile,
	head: Uint8Array,
	context: FileScanContext,
): Promise<Finding[]> {
	if (!looksLikeArchive(head)) return [];
	const read = await context.reader.bounded(file.path, MAX_ARCHIVE_BYTES);
	const unchecked = (why: string) => [
		fileFinding('unscanned-file', file.relative, `archive members not checked: ${why}`),
	];
	if (read.status === 'too-large') {
		return unchecked(`${mib(read.size)}, over the ${mib(MAX_ARCHIVE_BYTES)} bound for archives`);
	}
	if (read.status !== 'ok') return unchecked('it could not be read');
	const check = checkArchive(read.bytes);
	if (check.status === 'unchecked') return unchecked(check.reason);
	if (check.status === 'not-an-archive') return [];
	return check.escapes.map((leak) => fileFinding('archive-escape', file.relative, leak));
}

/** A `package.json`: data, but npm runs its install hooks (`package-scripts.ts`). */
async function judgePackage(file: WalkedFile, context: FileScanContext): Promise<FileOutcome> {
	const read = await context.reader.bounded(file.path, MAX_PACKAGE_JSON);
	if (read.status !== 'ok') {
		const detail =
			read.status === 'too-large'
				? `${mib(read.size)}, over the ${mib(MAX_PACKAGE_JSON)} bound for package.json`
				: 'could not be read for its install scripts';
		return {
			...NOTHING,
			findings: [],
			skipped: {
				file: file.relative,
				reason: read.status === 'too-large' ? 'too-large' : 'unreadable',
				detail,
			},
		};
	}
	const text = Buffer.from(read.bytes).toString('utf8');
	return { ...NOTHING, findings: packageScriptFindings(file.relative, text), plainText: false };
}

/**
 * A `.pyc` in `__pycache__` that Python uses only while it matches its source: the cache
 * Python writes itself when the host runs a plugin. Python never imports such a file without
 * the `.py` beside its directory, and checks it against that source (its modification time
 * and size, or its hash). The exception is an "unchecked" hash-based file (PEP 552, flags 0b01),
 * which Python runs without looking at the source: that one stays `bytecode-file`.
 */
function isSourceCheckedCache(relative: string, head: Uint8Array): boolean {
	if (!/(^|\/)__pycache__\/[^/]+\.pyc$/.test(relative) || head.length < 8) return false;
	const flags = Buffer.from(head.buffer, head.byteOffset, head.byteLength).readUInt32LE(4);
	const hashBased = (flags & 0b01) !== 0;
	const checkSource = (flags & 0b10) !== 0;
	return (flags & ~0b11) === 0 && (!hashBased || checkSource);
}

/**
 * A file made ready to scan: read, bounded and decoded in file order. What is left, parsing and
 * judging its text, may run beside other files' (`SourceScanRunner`).
 */
export type PreparedFile =
	| { outcome: FileOutcome }
	| { request: SourceScanRequest; finish(result: SourceScanResult): FileOutcome };

export async function scanOneFile(
	file: WalkedFile,
	context: FileScanContext,
): Promise<FileOutcome> {
	const prepared = await prepareFile(file, context);
	if ('outcome' in prepared) return prepared.outcome;
	return prepared.finish(await context.runner.run(prepared.request, context.signal));
}

export async function prepareFile(
	file: WalkedFile,
	context: FileScanContext,
): Promise<PreparedFile> {
	const { name } = file;
	let language = file.language ?? languageOf(name);
	if (language === undefined) {
		const head = await context.reader.head(file.path, SNIFF_BYTES);
		language = name.includes('.') ? undefined : languageOfShebang(head);
		if (language === undefined) {
			if (name === 'package.json') return { outcome: await judgePackage(file, context) };
			return { outcome: await judgeData(file, head, context) };
		}
	}
	const skip = (reason: SkippedFile['reason'], detail: string): PreparedFile => ({
		outcome: {
			...NOTHING,
			findings: [],
			language: language as SourceLanguage,
			skipped: { file: file.relative, reason, detail },
		},
	});
	const { limits, budget } = context;
	if (budget.remaining <= 0) {
		return skip('total-bytes', `the ${mib(limits.maxTotalBytes)} bound on source read was reached`);
	}
	const read = await context.reader.bounded(file.path, limits.maxFileBytes);
	if (read.status === 'too-large') {
		return skip('too-large', `${mib(read.size)}, over the ${mib(limits.maxFileBytes)} bound`);
	}
	if (read.status === 'not-a-file') return skip('special-file', 'not a regular file when opened');
	if (read.status === 'unreadable') return skip('unreadable', `could not be read (${read.code})`);
	if (read.size > budget.remaining) {
		budget.remaining = 0;
		return skip('total-bytes', `the ${mib(limits.maxTotalBytes)} bound on source read was reached`);
	}
	budget.remaining -= read.size;
	const decoded = decodeSource(read.bytes, language);
	if (!decoded.ok) {
		// The cookie is only ASCII letters, digits and `-_.`, so it is safe to show.
		return skip(
			'encoding',
			`declares the source encoding ${decoded.encoding.slice(0, 40)}, which the scanner does not read`,
		);
	}
	const text = file.pth === true ? pthImports(decoded.text) : decoded.text;
	const scannedAs: SourceLanguage = language;
	return {
		request: {
			path: file.relative,
			language: scannedAs,
			text,
			timeoutMs: limits.fileTimeoutMs,
			maxNestingDepth: limits.maxNestingDepth,
		},
		finish: (result) => finishSource(file, scannedAs, text, read.size, result, limits),
	};
}

function finishSource(
	file: WalkedFile,
	language: SourceLanguage,
	text: string,
	bytes: number,
	result: SourceScanResult,
	limits: ScanLimits,
): FileOutcome {
	if (result.status === 'too-deep') {
		return {
			...NOTHING,
			findings: [],
			language,
			skipped: {
				file: file.relative,
				reason: 'too-deep',
				detail: `brackets nest ${result.depth > limits.maxNestingDepth ? `over ${limits.maxNestingDepth}` : result.depth} deep`,
			},
		};
	}
	if (result.status === 'timeout') {
		return {
			findings: result.findings,
			language,
			scanned: false,
			bytes,
			lines: result.lines,
			loads: findCodeLoads(text, language),
			skipped: {
				file: file.relative,
				reason: 'timeout',
				detail: `stopped after ${limits.fileTimeoutMs} ms; findings for it are partial`,
			},
		};
	}
	return {
		findings: result.findings,
		language,
		scanned: true,
		bytes,
		lines: result.lines,
		loads: findCodeLoads(text, language),
	};
}

/**
 * The code in a `.pth` file: `site` executes a line that starts with `import` followed by a
 * space or tab, and reads every other line as a path. Other lines are blanked, which keeps
 * line numbers.
 */
export function pthImports(text: string): string {
	return text
		.split('\n')
		.map((line) => (/^import[ \t]/.test(line) ? line : ''))
		.join('\n');
}
