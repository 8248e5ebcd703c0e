/**
 * Searching stored file contents (blobs) for a string or a pattern without checking anything
 * out, for `registry hunt`. Blobs are searched by id, so one file that many releases share is
 * read once. The pattern always follows `-e`, so even one that starts with `-` is a pattern and
 * never an option; binary files are skipped (`-I`); each blob reports a bounded number of lines.
 */
import { sanitizeText } from '../core/sanitize.ts';
import { isFullCommitId, resolvePath } from './arguments.ts';
import { gitFailureError } from './classify.ts';
import { gitError } from './errors.ts';
import { type CallOptions, execGit, type GitContext, hasGitCode } from './exec.ts';

/** `fixed`: the pattern is a plain string (`-F`). `regex`: POSIX extended syntax (`-E`). */
export type GrepMode = 'fixed' | 'regex';

export interface GrepRequest {
	/** The repository holding the blobs. */
	dir: string;
	/** `dir` is a bare repository. */
	bare?: boolean;
	pattern: string;
	mode: GrepMode;
	/** Full ids of the blobs to search. */
	objects: readonly string[];
	/** Most matching lines reported per blob. */
	maxPerObject: number;
}

export interface GrepHit {
	/** The blob the line is in. */
	object: string;
	/** 1-based; 0 when the lines were too long to list and only the blob is known. */
	line: number;
	/** The matching line, cut to `MAX_GREP_LINE_BYTES`; raw: sanitise before showing it. */
	text: string;
}

export const MAX_GREP_PATTERN_LENGTH = 1024;
/** Blobs named by one git process: keeps the command line well under every system's limit. */
export const GREP_OBJECTS_PER_RUN = 200;
export const MAX_GREP_LINE_BYTES = 4096;
/** Output of one run; past it the run is repeated asking only which blobs match. */
const MAX_GREP_OUTPUT_BYTES = 8 * 1024 * 1024;

/** Throws GIT_INVALID_ARGUMENT unless git can take `pattern` as one pattern. */
export function assertGrepPattern(pattern: unknown): string {
	if (typeof pattern !== 'string' || pattern.length === 0) {
		throw gitError('GIT_INVALID_ARGUMENT', 'The search pattern is empty.');
	}
	if (pattern.length > MAX_GREP_PATTERN_LENGTH) {
		throw gitError(
			'GIT_INVALID_ARGUMENT',
			`The search pattern is longer than ${MAX_GREP_PATTERN_LENGTH} characters.`,
		);
	}
	// git splits a pattern at newlines into several patterns; a NUL cannot cross argv.
	if (/[\n\r\0]/.test(pattern)) {
		throw gitError('GIT_INVALID_ARGUMENT', 'The search pattern spans more than one line.');
	}
	return pattern;
}

/** Every matching line of the blobs, in the order git reports them. */
export async function grepObjects(
	context: GitContext,
	request: GrepRequest,
	call: CallOptions = {},
): Promise<GrepHit[]> {
	const dir = resolvePath(request.dir, context.cwd);
	const pattern = assertGrepPattern(request.pattern);
	const perObject = request.maxPerObject;
	if (!Number.isInteger(perObject) || perObject < 1 || perObject > 10_000) {
		throw gitError('GIT_INVALID_ARGUMENT', 'maxPerObject must be a whole number from 1.');
	}
	const objects = [...new Set(request.objects.map((id) => id.toLowerCase()))];
	for (const id of objects) {
		if (!isFullCommitId(id)) throw gitError('GIT_INVALID_ARGUMENT', 'Blobs are named by full id.');
	}
	const hits: GrepHit[] = [];
	for (let start = 0; start < objects.length; start += GREP_OBJECTS_PER_RUN) {
		const batch = objects.slice(start, start + GREP_OBJECTS_PER_RUN);
		try {
			hits.push(...(await grepBatch(context, dir, request, pattern, batch, false, call)));
		} catch (error) {
			if (!hasGitCode(error, 'GIT_OUTPUT_TOO_LARGE')) throw error;
			// Very long lines (minified code): which blobs match is still worth knowing.
			hits.push(...(await grepBatch(context, dir, request, pattern, batch, true, call)));
		}
	}
	return hits;
}

async function grepBatch(
	context: GitContext,
	dir: string,
	request: GrepRequest,
	pattern: string,
	batch: readonly string[],
	namesOnly: boolean,
	call: CallOptions,
): Promise<GrepHit[]> {
	const action = `searching ${batch.length} file(s) in ${sanitizeText(dir)}`;
	const result = await execGit(
		context,
		{
			repo: dir,
			bare: request.bare === true,
			args: [
				'grep',
				'-I',
				'--no-color',
				'--no-textconv',
				request.mode === 'fixed' ? '--fixed-strings' : '--extended-regexp',
				...(namesOnly
					? ['--files-with-matches']
					: ['--null', '--line-number', `--max-count=${request.maxPerObject}`]),
				'-e',
				pattern,
				...batch,
				'--',
			],
			action,
			network: false,
			maxStdoutBytes: MAX_GREP_OUTPUT_BYTES,
		},
		call,
	);
	// 1 is "no line matched"; anything else is a failure (a pattern git cannot compile, say).
	if (result.exitCode === 1 && result.stderr.trim() === '') return [];
	if (result.exitCode !== 0) throw gitFailureError(action, result);
	return namesOnly ? parseNames(result.stdout, batch) : parseGrepOutput(result.stdout, batch);
}

/**
 * `<blob>\0<line>\0<text>` per line. The text may itself hold NUL bytes (git looks for them
 * only near the start of a file), so only the first two separators count.
 */
export function parseGrepOutput(stdout: Buffer, objects: readonly string[]): GrepHit[] {
	const known = new Set(objects);
	const hits: GrepHit[] = [];
	let offset = 0;
	while (offset < stdout.length) {
		let end = stdout.indexOf(0x0a, offset);
		if (end === -1) end = stdout.length;
		const record = stdout.subarray(offset, end);
		offset = end + 1;
		const first = record.indexOf(0);
		const second = first === -1 ? -1 : record.indexOf(0, first + 1);
		if (second === -1) continue;
		const object = record.subarray(0, first).toString('latin1');
		const line = Number(record.subarray(first + 1, second).toString('latin1'));
		if (!known.has(object) || !Number.isSafeInteger(line) || line < 1) continue;
		const text = record.subarray(second + 1, second + 1 + MAX_GREP_LINE_BYTES).toString('utf8');
		hits.push({ object, line, text });
	}
	return hits;
}

function parseNames(stdout: Buffer, objects: readonly string[]): GrepHit[] {
	const known = new Set(objects);
	return stdout
		.toString('latin1')
		.split('\n')
		.filter((name) => known.has(name))
		.map((object) => ({ object, line: 0, text: '' }));
}
