/**
 * Which files a source file loads as code, whatever their name (D21: what the runtime can
 * execute is scanned as code). Python runs a file's text through `exec(open(p).read())`,
 * `compile`, `runpy.run_path`, `SourceFileLoader`, `spec_from_file_location` or
 * `imp.load_source`; Node runs `require('./x.txt')` (any extension but .json and .node) as
 * JavaScript, and `eval`/`vm`/`new Function` of `fs.readFileSync(p)`. A path written out
 * (literal, or joined onto the file's own directory) names a file the scanner then reads in
 * the loading language; a path computed at run time is reported, since the code it runs is
 * unknown.
 *
 * This reads the text, not the syntax tree: it needs no second parse, and what it may take
 * wrongly for a load (a commented-out call) only makes the scanner read one more file.
 */
import type { SourceLanguage } from '../types.ts';
import { callArguments, type PathExpression, pathExpression } from './call-text.ts';

export type CodeLoad =
	/** A path written out in the code. `require`: Node's rules for a relative module path. */
	| { kind: 'path'; path: PathExpression; line: number; how: string; require: boolean }
	/** A load from a file whose path the code computes. */
	| { kind: 'unknown'; line: number; how: string };

/** Loads looked at per file: a file full of them gains nothing past this. */
const MAX_LOADS = 100;
/** How far back on its line a call's context is read (comment marker, receiver). */
const LINE_HEAD = 500;
/** Calls looked at per pattern and file (most are no load: every `open(`, say). */
const MAX_VISITED = 2000;
/** Variables remembered per file, for `src = open(p).read(); exec(src)`. */
const MAX_NAMES = 2000;

const PY_ASSIGNMENT = /^[ \t]*([A-Za-z_]\w*)[ \t]*=(?!=)[ \t]*([^\n]+)$/gm;
// Bounded repeats: each match attempt looks at a few hundred characters, never the whole line.
const PY_WITH_OPEN =
	/\bwith\s+((?:io\.|codecs\.)?open\s*\([^\n]{0,300}?\)|[^\n]{0,300}?\.open\(\s*\))\s+as\s+([A-Za-z_]\w*)/g;
/\bwith\s+((?:io\.|codecs\.)?open\s*\([^\n]*?\)|[^\n]*?\.open\(\s*\))\s+as\s+([A-Za-z_]\w*)/g;
const JS_ASSIGNMENT = /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*([^;\n]{1,500})/g;

const PY_EXEC = /\b(exec|eval|compile)\s*\(/g;
/** The file path is the first argument. */
const PY_PATH_FIRST = /\b(run_path|execfile)\s*\(/g;
/** The file path is the second argument (after the module name). */
const PY_PATH_SECOND =
	/\b(SourceFileLoader|SourcelessFileLoader|spec_from_file_location|load_source)\s*\(/g;
const JS_EXEC =
	/\b(eval|Function|runInThisContext|runInNewContext|runInContext|compileFunction|Script|_compile)\s*\(/g;
const JS_REQUIRE = /\brequire\s*\(/g;
const PY_ANY =
	/\b(?:exec|eval|compile|run_path|execfile|SourceFileLoader|SourcelessFileLoader|spec_from_file_location|load_source)\s*\(|\.(?:py|pyw|pth)\b/;
const JS_ANY =
	/\b(?:require|eval|Function|runInThisContext|runInNewContext|runInContext|compileFunction|Script|_compile)\s*\(|\.(?:js|cjs|mjs)\b/;
/** Writes: a file of code written at run time runs code that was never scanned. */
const PY_OPEN = /\b(open)\s*\(/g;
const PY_WRITE_METHOD = /\.(write_text|write_bytes)\s*\(/g;
const JS_WRITE = /\b(writeFileSync|writeFile|appendFileSync|appendFile|createWriteStream)\s*\(/g;
const PY_CODE_NAME = /\.(?:py|pyw|pth)['"]/;
const JS_CODE_NAME = /\.(?:js|cjs|mjs)['"`]/;
/** Evaluators reached as attributes of these are still the evaluators. */
const METHOD_OK = /(?:builtins|vm|Module|module)\.\s*$/;

function names(text: string, python: boolean): Map<string, string> {
	const found = new Map<string, string>();
	const add = (name: string, value: string) => {
		if (found.size < MAX_NAMES && !found.has(name)) found.set(name, value.trim());
	};
	if (python) {
		for (const m of text.matchAll(PY_ASSIGNMENT)) add(m[1] as string, m[2] as string);
		for (const m of text.matchAll(PY_WITH_OPEN)) add(m[2] as string, m[1] as string);
	} else {
		for (const m of text.matchAll(JS_ASSIGNMENT)) add(m[1] as string, m[2] as string);
	}
	return found;
}

/**
 * The path argument of a file read in `expression`: `open(p)`, `Path(p).read_text()`,
 * `fs.readFileSync(p)`, or a variable holding one of those. undefined: not a file read.
 * `null`: a file read whose path could not be picked out.
 */
function readPath(
	expression: string,
	known: ReadonlyMap<string, string>,
	depth = 0,
): string | null | undefined {
	if (depth > 3) return undefined;
	const open = /\b(?:open|readFileSync|readFile)\s*\(/.exec(expression);
	if (open !== null) {
		const args = callArguments(expression, open.index + open[0].length - 1);
		return args?.[0] ?? null;
	}
	const readText = /^([\s\S]*)\.(?:read_text|read_bytes|open)\s*\(/.exec(expression);
	if (readText !== null) return (readText[1] as string).trim() || null;
	for (const word of expression.match(/[A-Za-z_$][\w$]*/g)?.slice(0, 50) ?? []) {
		const bound = known.get(word);
		if (bound === undefined) continue;
		const path = readPath(bound, known, depth + 1);
		if (path !== undefined) return path;
	}
	return undefined;
}

function toLoad(
	pathText: string | null | undefined,
	known: ReadonlyMap<string, string>,
	line: number,
	how: string,
): CodeLoad {
	const path = pathText ? pathExpression(pathText, known) : undefined;
	return path === undefined
		? { kind: 'unknown', line, how }
		: { kind: 'path', path, line, how, require: false };
}

/** What `text` (a source file of `language`) loads as code. */
export function findCodeLoads(text: string, language: SourceLanguage): CodeLoad[] {
	const python = language === 'python';
	// Most files load nothing: one cheap test before any other work.
	if (!(python ? PY_ANY : JS_ANY).test(text)) return [];
	const loads: CodeLoad[] = [];
	const known = names(text, python);
	const each = (
		pattern: RegExp,
		visit: (args: string[], name: string, line: number, index: number) => void,
	) => {
		// Lines are counted forward from the previous match: matches come in order, so the
		// whole file is walked once per pattern however many calls it holds.
		let counted = 0;
		let line = 1;
		let visited = 0;
		for (const match of text.matchAll(pattern)) {
			if (loads.length >= MAX_LOADS || ++visited > MAX_VISITED) return;
			const index = match.index as number;
			line += countNewlines(text, counted, index);
			counted = index;
			// A method of the same name on another object (`re.compile`, `x.eval`) is no load;
			// loaders are found whatever they hang off (`importlib.machinery.SourceFileLoader`).
			const before = text.slice(Math.max(0, index - 9), index);
			const evaluator = pattern === PY_EXEC || pattern === JS_EXEC;
			if (
				evaluator &&
				/\.\s*$/.test(before) &&
				!METHOD_OK.test(before) &&
				match[1] !== '_compile'
			) {
				continue;
			}
			if (/\b(?:def|function|class)\s+$/.test(before)) continue;
			// In a comment on its line: `# execfile() would not do here`.
			if (lineHead(text, index).includes(python ? '#' : '//')) continue;
			const args = callArguments(text, index + match[0].length - 1);
			if (args === undefined) {
				// A loader call too long to read: where it loads from is unknown.
				if (pattern === PY_PATH_FIRST || pattern === PY_PATH_SECOND) {
					loads.push({ kind: 'unknown', line, how: match[1] ?? 'a loader' });
				}
				continue;
			}
			visit(args, match[1] ?? 'require', line, index);
		}
	};
	if (python) {
		each(PY_EXEC, (args, name, line) => {
			const path = readPath(args[0] ?? '', known);
			if (path !== undefined) loads.push(toLoad(path, known, line, `${name} of a file’s text`));
		});
		each(PY_PATH_FIRST, (args, name, line) => loads.push(toLoad(args[0], known, line, name)));
		each(PY_PATH_SECOND, (args, name, line) => loads.push(toLoad(args[1], known, line, name)));
		each(PY_OPEN, (args, _name, line) => {
			const mode = args[1] ?? args.find((arg) => /^mode\s*=/.test(arg)) ?? '';
			if (
				/['"][^'"]*[wax+][^'"]*['"]/.test(mode) &&
				namesCode(args[0] ?? '', known, PY_CODE_NAME)
			) {
				loads.push({ kind: 'unknown', line, how: 'writing a Python file' });
			}
		});
		each(PY_WRITE_METHOD, (_args, _name, line, index) => {
			// The receiver: what precedes `.write_text(` on its line.
			const receiver = lineHead(text, index);
			if (namesCode(receiver, known, PY_CODE_NAME)) {
				loads.push({ kind: 'unknown', line, how: 'writing a Python file' });
			}
		});
	} else {
		each(JS_EXEC, (args, name, line) => {
			for (const arg of args.slice(0, 20)) {
				const path = readPath(arg, known);
				if (path !== undefined) {
					loads.push(toLoad(path, known, line, `${name} of a file’s text`));
					return;
				}
			}
		});
		each(JS_WRITE, (args, _name, line) => {
			if (namesCode(args[0] ?? '', known, JS_CODE_NAME)) {
				loads.push({ kind: 'unknown', line, how: 'writing a JavaScript file' });
			}
		});
		each(JS_REQUIRE, (args, _name, line) => {
			const load = requireLoad(args[0] ?? '', known, line);
			if (load !== undefined) loads.push(load);
		});
	}
	// `exec(compile(open(p).read(), p, 'exec'))` is one load, found by both names.
	const seen = new Set<string>();
	return loads.filter((load) => {
		const key = `${load.line}:${load.kind === 'path' ? load.path.parts.join('/') : ''}`;
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}

/** What precedes `index` on its line, at most `LINE_HEAD` characters of it. */
function lineHead(text: string, index: number): string {
	let start = index;
	while (start > 0 && index - start < LINE_HEAD && text.charCodeAt(start - 1) !== 10) start--;
	return text.slice(start, index);
}

function countNewlines(text: string, from: number, to: number): number {
	let count = 0;
	for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10) count++;
	return count;
}

/** Whether a path expression (or a variable it names) mentions a file name of code. */
function namesCode(
	expression: string,
	known: ReadonlyMap<string, string>,
	pattern: RegExp,
): boolean {
	if (pattern.test(expression)) return true;
	for (const word of expression.match(/[A-Za-z_$][\w$]*/g)?.slice(0, 50) ?? []) {
		const bound = known.get(word);
		if (bound !== undefined && pattern.test(bound)) return true;
	}
	return false;
}

/**
 * `require(x)`: a relative path (`./x`, `../x`, or joined onto `__dirname`) is a file of the
 * plugin; a bare name is a package, left to the import rules. A computed argument that is
 * visibly a path (it uses `__dirname`, `path.` or a `./` literal) loads a file nobody saw.
 */
function requireLoad(
	argument: string,
	known: ReadonlyMap<string, string>,
	line: number,
): CodeLoad | undefined {
	const path = pathExpression(argument, known);
	if (path !== undefined) {
		const first = path.parts[0] ?? '';
		if (path.base === 'file') return { kind: 'path', path, line, how: 'require', require: true };
		if (/^\.\.?\//.test(first)) {
			return {
				kind: 'path',
				path: { base: 'file', parts: path.parts },
				line,
				how: 'require',
				require: true,
			};
		}
		if (first.startsWith('/')) return { kind: 'unknown', line, how: 'require' };
		return undefined;
	}
	if (/__dirname|\bpath\.|['"`]\.\.?\//.test(argument))
		return { kind: 'unknown', line, how: 'require' };
	return undefined;
}
