/**
 * A program the plugin wrote and then runs: downloaded to a temporary file, unpacked from a
 * string, copied out of the plugin, then started (`urlretrieve(url, p)` … `Popen([p])`,
 * `fs.createWriteStream(dest)` … `spawn(dest)`). This is the dropper's shape: what runs was
 * never part of the plugin, so no scan or review saw it. An honest plugin runs programs that
 * are installed, by name. The file is matched by the variable that names it: the same name
 * written to (or made executable) and then started as the program.
 */
import type { Node } from 'web-tree-sitter';
import type { FileContext } from '../engine/matcher.ts';

const PY_WRITES: readonly RegExp[] = [
	/\bopen\(\s*([A-Za-z_]\w*)\s*,\s*(?:mode\s*=\s*)?[rbuf]*['"][rb]*[wax][bt+]*['"]/g,
	/\burlretrieve\([^()\n]*?,\s*(?:filename\s*=\s*)?([A-Za-z_]\w*)\s*[,)]/g,
	/\b([A-Za-z_]\w*)\s*\.\s*write_bytes\(/g,
	/\bPath\(\s*([A-Za-z_]\w*)\s*\)\s*\.\s*write_bytes\(/g,
	/\b(?:copy|copy2|copyfile|move|rename|replace)\([^,()\n]+,\s*(?:dst\s*=\s*)?([A-Za-z_]\w*)\s*\)/g,
	/\bchmod\(\s*([A-Za-z_]\w*)\s*,/g,
];

const JS_WRITES: readonly RegExp[] = [
	/\b(?:writeFile|writeFileSync|createWriteStream|chmod|chmodSync|appendFile|appendFileSync)\(\s*([A-Za-z_$][\w$]*)\s*[,)]/g,
	/\b(?:copyFile|copyFileSync|rename|renameSync|cp|cpSync)\([^,()\n]+,\s*([A-Za-z_$][\w$]*)\s*[,)]/g,
];

/** Files bigger than this are not searched for writes (the bounds keep source far below). */
const MAX_TEXT = 4 * 1024 * 1024;

const written = new WeakMap<FileContext, ReadonlySet<string>>();

/** The names a file writes a file to, found once per file on its first process start. */
function writtenNames(file: FileContext): ReadonlySet<string> {
	const cached = written.get(file);
	if (cached !== undefined) return cached;
	const names = new Set<string>();
	const text = file.text.length > MAX_TEXT ? '' : file.text;
	for (const pattern of file.family === 'python' ? PY_WRITES : JS_WRITES) {
		for (const match of text.matchAll(pattern)) if (match[1] !== undefined) names.add(match[1]);
	}
	if (names.size > 0) addReturned(text, file.family, names);
	written.set(file, names);
	return names;
}

const PY_DEF = /^([ \t]*)(?:async\s+)?def\s+(\w+)\s*\(/gm;
const JS_FUNCTION = /\bfunction\s*\*?\s*([A-Za-z_$][\w$]*)\s*\(/g;
const RETURN = /\breturn\s+([A-Za-z_$][\w$]*)\s*(?:$|[;\n}])/gm;
/** Functions looked at per file; enough for a plugin, bounded for generated code. */
const MAX_FUNCTIONS = 2000;

/**
 * `def _helper(): ... urlretrieve(url, target); return target` then `p = _helper()`: a function
 * that returns the name of a file it wrote hands that file on, and so does its call.
 */
function addReturned(text: string, family: FileContext['family'], names: Set<string>): void {
	const starts: { name: string; at: number }[] = [];
	for (const match of text.matchAll(family === 'python' ? PY_DEF : JS_FUNCTION)) {
		const name = family === 'python' ? match[2] : match[1];
		if (name !== undefined) starts.push({ name, at: match.index });
		if (starts.length >= MAX_FUNCTIONS) break;
	}
	const handing: string[] = [];
	starts.forEach((start, index) => {
		const body = text.slice(start.at, starts[index + 1]?.at ?? text.length);
		for (const match of body.matchAll(RETURN)) {
			if (match[1] !== undefined && names.has(match[1])) {
				handing.push(start.name);
				break;
			}
		}
	});
	for (const name of handing) {
		names.add(`${name}()`);
		const escaped = name.replace(/\$/g, '\\$');
		const call = new RegExp(`([A-Za-z_$][\\w$]*)\\s*=\\s*(?:await\\s+)?${escaped}\\s*\\(`, 'g');
		for (const match of text.matchAll(call)) if (match[1] !== undefined) names.add(match[1]);
	}
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

export function checkDroppedProgram(
	file: FileContext,
	call: Node,
	command: Node | undefined,
	what: string,
	opensDocuments: boolean,
): void {
	if (command === undefined) return;
	const name = programName(command);
	if (name === undefined || !writtenNames(file).has(name)) return;
	if (opensDocuments && !EXECUTABLE_NAME.test(file.text.slice(0, MAX_TEXT))) return;
	file.report(
		'process-dropped',
		call,
		`${what} runs ${name}, a file the plugin itself writes: code no scan saw`,
	);
}
