/**
 * The second pass of a scan: files the plugin's code loads as code (`loaded-code.ts`) are
 * scanned in the loading language whatever their name, and findings in them are reported under
 * their own name, with that language, like any code file's. A load whose file cannot be known
 * (a computed path, a file the plugin does not ship, a path leading outside it) is itself a
 * finding, which the install gate counts like a high-severity one: the code it runs was never
 * seen.
 */
import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { containedPath } from '../../core/plugin-links.ts';
import { sanitizeText } from '../../core/sanitize.ts';
import type { Finding, SourceLanguage } from '../types.ts';
import { SELF } from './call-text.ts';
import { languageOf } from './classify.ts';
import { fileFinding } from './file-finding.ts';
import type { CodeLoad } from './loaded-code.ts';
import { type FileOutcome, type FileScanContext, scanOneFile } from './scan-file.ts';
import type { WalkedFile } from './walk.ts';

/** A scanned file and what it loads. */
export interface LoadingFile {
	file: WalkedFile;
	language: SourceLanguage;
	loads: readonly CodeLoad[];
}

export interface LoadedPassResult {
	findings: Finding[];
	/** Outcomes of the files scanned because they are loaded: their findings are in them. */
	outcomes: FileOutcome[];
	/** Real paths scanned as code here, with the language: the plain-text pass skips them. */
	scannedAs: Set<string>;
}

/** Loaded files scanned per plugin (a loaded file may load more: the queue is bounded too). */
const MAX_LOADED_FILES = 500;

/** Extensions `require` does not run as JavaScript (JSON is parsed, .node is native). */
const REQUIRE_NOT_JS = /\.(?:json|node)$/i;

function loaderLanguage(language: SourceLanguage): SourceLanguage {
	return language === 'python' ? 'python' : 'javascript';
}

function sameFamily(a: SourceLanguage | undefined, b: SourceLanguage): boolean {
	if (a === undefined) return false;
	return (a === 'python') === (b === 'python');
}

type Target =
	| { found: true; path: string; relative: string }
	| { found: false; why: 'outside' | 'missing' };

async function resolveTarget(
	load: Extract<CodeLoad, { kind: 'path' }>,
	from: WalkedFile,
	root: string,
	realRoot: string,
): Promise<Target> {
	const parts = load.path.parts.map((part) => (part === SELF ? from.name : part));
	if (parts.some((part) => isAbsolute(part))) return { found: false, why: 'outside' };
	const here = dirname(from.path);
	const bases = load.path.base === 'file' ? [here] : [...new Set([here, root])];
	for (const base of bases) {
		let real: string;
		try {
			real = await realpath(resolve(base, ...parts));
		} catch {
			continue;
		}
		const relative = containedPath(realRoot, real);
		if (relative === undefined || relative === '') return { found: false, why: 'outside' };
		try {
			if (!(await stat(real)).isFile()) continue;
		} catch {
			continue;
		}
		return { found: true, path: real, relative };
	}
	return { found: false, why: 'missing' };
}

function unknownLoad(from: WalkedFile, load: CodeLoad, detail: string): Finding {
	const finding = fileFinding(
		'code-load-unknown',
		from.relative,
		`${load.how} runs code from ${detail}`,
	);
	finding.line = load.line;
	return finding;
}

export async function scanLoadedFiles(
	loading: readonly LoadingFile[],
	root: string,
	realRoot: string,
	context: FileScanContext,
	deadline: number,
): Promise<LoadedPassResult> {
	const result: LoadedPassResult = { findings: [], outcomes: [], scannedAs: new Set() };
	const queue = [...loading];
	let scanned = 0;
	for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
		const from = next.file;
		const language = loaderLanguage(next.language);
		for (const load of next.loads) {
			if (load.kind === 'unknown') {
				result.findings.push(unknownLoad(from, load, 'a file whose path is computed at run time'));
				continue;
			}
			const target = await resolveTarget(load, from, root, realRoot);
			if (!target.found) {
				// Node looks further for a module it does not find (extensions, index, packages).
				if (load.require && target.why === 'missing') continue;
				const shown = sanitizeText(load.path.parts.join('/'), { maxLength: 80 });
				result.findings.push(
					unknownLoad(
						from,
						load,
						target.why === 'outside'
							? `${shown}, outside the plugin`
							: `${shown}, a file the plugin does not ship (written or fetched at run time?)`,
					),
				);
				continue;
			}
			const name = basename(target.path);
			if (load.require ? REQUIRE_NOT_JS.test(name) : false) continue;
			if (sameFamily(languageOf(name), language)) continue;
			const key = `${language}:${target.path}`;
			if (result.scannedAs.has(key)) continue;
			if (scanned >= MAX_LOADED_FILES || context.clock() >= deadline) continue;
			result.scannedAs.add(key);
			scanned++;
			const relative = sanitizeText(target.relative, { maxLength: 300 }) || '?';
			const file: WalkedFile = { path: target.path, relative, name, language };
			const outcome = await scanOneFile(file, context);
			result.outcomes.push(outcome);
			result.findings.push(
				fileFinding(
					'file-loaded-as-code',
					relative,
					`${load.how} in ${from.relative}:${load.line} runs it as ${language === 'python' ? 'Python' : 'JavaScript'}`,
				),
			);
			if (outcome.loads !== undefined && outcome.loads.length > 0) {
				queue.push({ file, language, loads: outcome.loads });
			}
		}
	}
	return result;
}
