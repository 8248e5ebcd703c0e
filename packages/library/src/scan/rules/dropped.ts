/**
 * A program the plugin wrote and then runs: downloaded to a temporary file, unpacked from a
 * string, copied out of the plugin, then started (`urlretrieve(url, p)` … `Popen([p])`,
 * `fs.createWriteStream(dest)` … `spawn(dest)`). This is the dropper's shape: what runs was
 * never part of the plugin, so no scan or review saw it. An honest plugin runs programs that
 * are installed, by name. The file is matched by the variable that names it: the same name
 * written to (or made executable) and then started as the program, within the function that
 * owns the name (anywhere in the file for a module-level name), or handed back by a function of
 * the file that wrote it.
 */
import type { Node } from 'web-tree-sitter';
import type { FileContext } from '../engine/matcher.ts';

const PY_WRITES: readonly RegExp[] = [
	/\bopen\(\s*([A-Za-z_]\w*)\s*,\s*(?:mode\s*=\s*)?[rbuf]*['"][rb]*[wax][bt+]*['"]/g,
	/\burlretrieve\([^()\n]*?,\s*(?:filename\s*=\s*)?([A-Za-z_]\w*)\s*[,)]/g,
	/\b([A-Za-z_]\w*)\s*\.\s*write_bytes\(/g,
	/\bPath\(\s*([A-Za-z_]\w*)\s*\)\s*\.\s*write_bytes\(/g,
	// `os.`/`shutil.` calls or bare imported ones: `text.replace("%s", url)` writes no file.
	/(?:\b(?:os|shutil)\s*\.\s*|(?<![\w.]))(?:copy|copy2|copyfile|move|rename|replace)\([^,()\n]+,\s*(?:dst\s*=\s*)?([A-Za-z_]\w*)\s*\)/g,
	/\bchmod\(\s*([A-Za-z_]\w*)\s*,/g,
];

const JS_WRITES: readonly RegExp[] = [
	/\b(?:writeFile|writeFileSync|createWriteStream|chmod|chmodSync|appendFile|appendFileSync)\(\s*([A-Za-z_$][\w$]*)\s*[,)]/g,
	/\b(?:copyFile|copyFileSync|rename|renameSync|cp|cpSync)\([^,()\n]+,\s*([A-Za-z_$][\w$]*)\s*[,)]/g,
];

/** Files bigger than this are not searched for writes (the bounds keep source far below). */
const MAX_TEXT = 4 * 1024 * 1024;

/** The names `text` writes a file to. */
function writtenIn(text: string, family: FileContext['family']): Set<string> {
	const names = new Set<string>();
	for (const pattern of family === 'python' ? PY_WRITES : JS_WRITES) {
		for (const match of text.matchAll(pattern)) if (match[1] !== undefined) names.add(match[1]);
	}
	return names;
}

const PY_DEF = /^([ \t]*)(?:async\s+)?def\s+(\w+)\s*\(/gm;
const JS_FUNCTION = /\bfunction\s*\*?\s*([A-Za-z_$][\w$]*)\s*\(/g;
const RETURN = /\breturn\s+([A-Za-z_$][\w$]*)\s*(?:$|[;\n}])/gm;
/** Functions looked at per file; enough for a plugin, bounded for generated code. */
const MAX_FUNCTIONS = 2000;

interface HandedOn {
	/** Functions that return the name of a file they wrote. */
	functions: readonly string[];
	/** Names of written files a function hands on: returned, or passed alone to a call. */
	names: ReadonlySet<string>;
}

const handing = new WeakMap<FileContext, HandedOn>();

/**
 * `def _helper(): ... urlretrieve(url, target); return target`, or `done(helper)` after writing
 * `helper`: the files a function writes and hands on, to its callers or to a callback, where
 * the name no longer shows where it was written. Found once per file, on its first process
 * start.
 */
function handedOn(file: FileContext): HandedOn {
	const cached = handing.get(file);
	if (cached !== undefined) return cached;
	const text = file.text.length > MAX_TEXT ? '' : file.text;
	const starts: { name: string; at: number }[] = [];
	for (const match of text.matchAll(file.family === 'python' ? PY_DEF : JS_FUNCTION)) {
		const name = file.family === 'python' ? match[2] : match[1];
		if (name !== undefined) starts.push({ name, at: match.index });
		if (starts.length >= MAX_FUNCTIONS) break;
	}
	const functions: string[] = [];
	const handed = new Set<string>();
	starts.forEach((start, index) => {
		const body = text.slice(start.at, starts[index + 1]?.at ?? text.length);
		const names = writtenIn(body, file.family);
		if (names.size === 0) return;
		for (const match of body.matchAll(RETURN)) {
			if (match[1] !== undefined && names.has(match[1])) {
				if (!functions.includes(start.name)) functions.push(start.name);
				handed.add(match[1]);
			}
		}
		for (const match of body.matchAll(SOLE_ARGUMENT)) {
			if (match[1] !== undefined && names.has(match[1])) handed.add(match[1]);
		}
	});
	const found = { functions, names: handed };
	handing.set(file, found);
	return found;
}

/** `done(helper)`: a name passed alone to a call. */
const SOLE_ARGUMENT = /[\w$)]\s*\(\s*([A-Za-z_$][\w$]*)\s*\)/g;

const FUNCTION_NODES: ReadonlySet<string> = new Set([
	'function_definition',
	'lambda',
	'function_declaration',
	'function_expression',
	'function',
	'arrow_function',
	'method_definition',
	'generator_function_declaration',
	'generator_function',
]);

/** The function around `call`, if any. */
function enclosingFunction(call: Node): Node | undefined {
	for (let node = call.parent; node !== null; node = node.parent) {
		if (FUNCTION_NODES.has(node.type)) return node;
	}
	return undefined;
}

function escapeName(name: string): string {
	return name.replace(/\$/g, '\\$');
}

/** Whether `name` is the function's own: a parameter, or assigned or bound in its body. */
function localTo(fn: Node, name: string): boolean {
	const word = escapeName(name);
	const parameters =
		fn.childForFieldName('parameters')?.text ?? fn.childForFieldName('parameter')?.text ?? '';
	if (new RegExp(`(?:^|[^\\w$])${word}(?:$|[^\\w$])`).test(parameters)) return true;
	const bound = new RegExp(
		`(?:^|[^\\w$.])${word}\\s*(?::[^=\\n]*)?=(?!=)|\\b(?:as|for|const|let|var)\\s+${word}\\b`,
	);
	return bound.test(fn.text.slice(0, MAX_TEXT));
}

interface Scope {
	/** `file`, or the function's node id: what the caches below are kept under. */
	key: string;
	text: string;
}

/** Per file: each scope's written names, and which names each function owns. */
const scopeCaches = new WeakMap<
	FileContext,
	{
		written: Map<string, ReadonlySet<string>>;
		owned: Map<string, boolean>;
		namesExecutable: Map<string, boolean>;
	}
>();

function cachesOf(file: FileContext) {
	let caches = scopeCaches.get(file);
	if (caches === undefined) {
		caches = { written: new Map(), owned: new Map(), namesExecutable: new Map() };
		scopeCaches.set(file, caches);
	}
	return caches;
}

/**
 * The code `name` means one thing in: for a name the function around the call owns (a
 * parameter, a local), that function; for a module-level name, or a call at module level, the
 * whole file. A local written in one function and a parameter of the same name started in
 * another are two different things (`url` in `webbrowser.py`); a module-level path written in
 * one function and started in another is one file. Cached: a file may start thousands of
 * processes, and each must not read the file again.
 */
function scopeOf(file: FileContext, call: Node, name: string): Scope {
	const fn = enclosingFunction(call);
	if (fn !== undefined) {
		const owned = cachesOf(file).owned;
		const key = `${fn.id}:${name}`;
		let local = owned.get(key);
		if (local === undefined) {
			local = localTo(fn, name.replace(/\(\)$/, ''));
			owned.set(key, local);
		}
		if (local) return { key: String(fn.id), text: fn.text.slice(0, MAX_TEXT) };
	}
	return { key: 'file', text: file.text.length > MAX_TEXT ? '' : file.text };
}

/** The names the code of `scope` writes a file to, or has one handed back under. */
function writtenNames(file: FileContext, scope: Scope): ReadonlySet<string> {
	const written = cachesOf(file).written;
	const cached = written.get(scope.key);
	if (cached !== undefined) return cached;
	const names = writtenIn(scope.text, file.family);
	for (const name of handedOn(file).functions) {
		names.add(`${name}()`);
		const assigned = new RegExp(
			`([A-Za-z_$][\\w$]*)\\s*=\\s*(?:await\\s+)?${escapeName(name)}\\s*\\(`,
			'g',
		);
		for (const match of scope.text.matchAll(assigned)) {
			if (match[1] !== undefined) names.add(match[1]);
		}
	}
	written.set(scope.key, names);
	return names;
}

const NAME = /^[A-Za-z_$][\w$]*$/;
/** `f"{p} --x"`, `` `${p} --x` ``, `"\"" + p`: the program named at the start of a command. */
const LEADING_INTERPOLATION = /^[fbr]*['"`]{1,3}"?\$?\{\s*([A-Za-z_$][\w$]*)\s*\}/i;
const LEADING_SUM = /^([A-Za-z_$][\w$]*)\s*\+/;

/** The variable naming the program a process call starts, when it is a plain name. */
function programName(command: Node): string | undefined {
	let node = command;
	if (node.type === 'list' || node.type === 'tuple' || node.type === 'array') {
		const first = node.namedChild(0);
		if (first === null) return undefined;
		node = first;
	}
	const text = node.text.slice(0, 200);
	if (NAME.test(text)) return text;
	const called = /^([A-Za-z_$][\w$]*)\s*\(\s*\)$/.exec(text)?.[1];
	if (called !== undefined) return `${called}()`;
	return LEADING_INTERPOLATION.exec(text)?.[1] ?? LEADING_SUM.exec(text)?.[1];
}

/** `os.startfile` also opens documents: only a file naming an executable counts there. */
const EXECUTABLE_NAME =
	/\.(?:exe|scr|com|bat|cmd|ps1|vbs|vbe|js|jse|wsf|hta|msi|dll|sh|bin|run|app)['"`]/i;

function namesExecutable(file: FileContext, scope: Scope): boolean {
	const known = cachesOf(file).namesExecutable;
	let found = known.get(scope.key);
	if (found === undefined) {
		found = EXECUTABLE_NAME.test(scope.text);
		known.set(scope.key, found);
	}
	return found;
}

export function checkDroppedProgram(
	file: FileContext,
	call: Node,
	command: Node | undefined,
	what: string,
	opensDocuments: boolean,
): void {
	if (command === undefined) return;
	const name = programName(command);
	if (name === undefined) return;
	const scope = scopeOf(file, call, name);
	// A local name matches a file written in its own function; one a function handed on (to a
	// callback, say) may arrive as a parameter of the same name.
	if (!writtenNames(file, scope).has(name) && !handedOn(file).names.has(name)) return;
	if (opensDocuments && !namesExecutable(file, scope)) return;
	file.report(
		'process-dropped',
		call,
		`${what} runs ${name}, a file the plugin itself writes: code no scan saw`,
	);
}
