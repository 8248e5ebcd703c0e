/**
 * Commands that fetch, decode or run hidden code through the system's own tools: PowerShell
 * with an encoded or hidden command, mshta, rundll32, regsvr32 scriptlets, certutil and
 * bitsadmin downloads, `curl ... | sh`, `base64 -d | sh`, `pip install` at run time. Droppers use them because the tool is
 * already on every machine and its payload never appears in the plugin. A plugin that runs a
 * program runs it in plain sight with fixed arguments; none needs these shapes, so they are
 * `process-stager`, high, wherever the command text stands: in a string or in the argument
 * list handed to a process call (`["powershell", "-w", "hidden", ...]`).
 */
import type { Node } from 'web-tree-sitter';
import type { FileContext, Matcher } from '../engine/matcher.ts';
import { positionalArgs } from '../engine/syntax.ts';
import { type CallSite, callMatchers, JS_CALL, PY_CALL, stringMatchers } from './shared.ts';

/** Cheap test before strings are read. */
const STAGER_HINT =
	/powershell|pwsh|mshta|rundll32|regsvr32|certutil|bitsadmin|[wc]script|curl|wget|base64|chmod|vssadmin|wmic|python\d?(?:\.\d+)?\s+-c|\bpip|easy_install|npm|yarn|\bgem\b/i;

/** Commands longer than this are read only up to it. */
const MAX_COMMAND = 4096;

interface Stager {
	what: string;
	pattern: RegExp;
	/**
	 * Also said in honest help text ("install it with pip install ...", "curl ... | sh"):
	 * reported only as a command, handed to a call, not wherever the words are written.
	 */
	commandOnly?: boolean;
}

/** Matched against the command lowercased, with quotes, commas and brackets turned into spaces. */
const STAGERS: readonly Stager[] = [
	{
		what: 'PowerShell with an encoded, hidden or downloaded command',
		pattern:
			/\b(?:powershell|pwsh)(?:\.exe)?\b.*(?:\s-e(?:nc?|ncodedcommand|c)?\s+[a-z0-9+/=]{8,}|\s-w(?:indowstyle)?\s+h(?:idden)?\b|\biex\b|invoke-expression|downloadstring|downloadfile|invoke-webrequest|\biwr\b|start-bitstransfer|frombase64string|-e(?:xecutionpolicy|p)\s+bypass)/,
	},
	{ what: 'mshta, which runs a remote or inline script', pattern: /\bmshta(?:\.exe)?\s+\S/ },
	{ what: 'rundll32, which runs a function of any DLL', pattern: /\brundll32(?:\.exe)?\s+\S/ },
	{ what: 'a regsvr32 scriptlet', pattern: /\bregsvr32(?:\.exe)?\b.*\/i:/ },
	{
		what: 'certutil used to download or decode',
		pattern: /\bcertutil(?:\.exe)?\b.*-(?:urlcache|decode)/,
	},
	{ what: 'bitsadmin used to download', pattern: /\bbitsadmin(?:\.exe)?\b.*\/transfer/ },
	{
		what: 'a script host running a script',
		pattern: /\b[wc]script(?:\.exe)?\s+(?:\/\S+\s+)*\S+\.(?:vbs|vbe|js|jse|wsf)\b/,
	},
	{ what: 'shadow copies deleted', pattern: /\bvssadmin(?:\.exe)?\b.*\bdelete\s+shadows/ },
	{ what: 'wmic starting a process', pattern: /\bwmic(?:\.exe)?\b.*\bprocess\s+call\s+create/ },
	{
		what: 'a download piped into an interpreter',
		commandOnly: true,
		pattern:
			/\b(?:curl|wget)\b[^|;&]*\|\s*(?:sudo\s+)?(?:(?:ba|z|da|k)?sh|python[\d.]*|perl|ruby|node)\b/,
	},
	{
		what: 'a download made executable',
		pattern:
			/\b(?:curl|wget)\b.*(?:&&|;|\|\|)\s*chmod\s+(?:\+x|[0-7]*[1357][0-7]{0,2}\b|u\+x|a\+x)/,
	},
	{
		what: 'decoded text piped into an interpreter',
		pattern:
			/\bbase64\s+(?:-d|--decode|-D)\b[^|;&]*\|\s*(?:sudo\s+)?(?:(?:ba|z|da|k)?sh|python[\d.]*|perl)\b/,
	},
	{
		what: 'a package installer, whose packages run code no scan saw',
		commandOnly: true,
		pattern:
			/(?:^|\s)(?:pip[\d.]*(?:\.exe)?|-m\s+pip|easy_install|npm|pnpm|yarn|gem)\s+(?:-\S+\s+)*(?:install|i|add)\s+\S/,
	},
	{
		what: 'Python given code that decodes or imports on the command line',
		pattern: /\bpython[\d.]*(?:\.exe)?\s+-c\s+.*(?:\bexec\b|b64decode|__import__|urlopen)/,
	},
];

function normalise(text: string): string {
	return text
		.slice(0, MAX_COMMAND)
		.toLowerCase()
		.replace(/["'`,[\]()]+/g, ' ')
		.replace(/\s+/g, ' ');
}

/** What stager a command text is, if any. */
export function stagerOf(text: string): Stager | undefined {
	if (!STAGER_HINT.test(text)) return undefined;
	const command = normalise(text);
	return STAGERS.find((stager) => stager.pattern.test(command));
}

/** Calls whose text argument is a message to show or log, not a command. */
const MESSAGE_CALL =
	/(?:^|\.)(?:print|log|debug|info|warn|warning|error|exception|critical|information|question|tr|_|gettext|ngettext|format|setText|setToolTip|showMessage|alert|confirm)$/i;
const CALL_BEFORE = /([\w$.]+)\s*\(\s*(?:[[(]\s*)?$/;

/** The string is the first argument (or first list item) of a call that is not a message. */
function inCommandPosition(node: Node, file: FileContext): boolean {
	const before = file.text.slice(Math.max(0, node.startIndex - 80), node.startIndex);
	const callee = CALL_BEFORE.exec(before)?.[1];
	return callee !== undefined && !MESSAGE_CALL.test(callee);
}

function checkString(node: Node, file: FileContext): void {
	const value = file.stringValue(node) ?? node.text;
	const stager = stagerOf(value);
	if (stager === undefined) return;
	if (stager.commandOnly === true && !inCommandPosition(node, file)) return;
	file.report('process-stager', node, `runs ${stager.what}`);
}

const LISTS = new Set(['list', 'tuple', 'array']);
const MAX_WORDS = 64;

function wordsOf(node: Node, file: FileContext, words: string[]): void {
	if (LISTS.has(node.type)) {
		for (const element of node.namedChildren.slice(0, MAX_WORDS)) {
			if (element !== null) wordsOf(element, file, words);
		}
		return;
	}
	words.push(file.stringValue(node) ?? file.foldString(node) ?? node.text);
}

/**
 * `subprocess.run(["powershell", "-w", "hidden", ...])`, `execFile('powershell', ['-w', ...])`:
 * the words of one command, apart.
 */
function checkArgumentList(args: Node, call: Node, file: FileContext): void {
	const [first, second] = positionalArgs(args);
	if (first === undefined) return;
	if (!LISTS.has(first.type) && (second === undefined || !LISTS.has(second.type))) return;
	const words: string[] = [];
	wordsOf(first, file, words);
	if (second !== undefined && LISTS.has(second.type)) wordsOf(second, file, words);
	// One word that is a whole command is reported where it stands, by the string rule.
	if (words.some((word) => (stagerOf(word)?.commandOnly ?? true) !== true)) return;
	const stager = stagerOf(words.join(' '));
	if (stager !== undefined) file.report('process-stager', call, `runs ${stager.what}`);
}

/**
 * The stager a process call's command is when the command is not written where it runs: held
 * in a variable, joined from pieces, formatted (`os.system(CMD)`, `exec(''.join(parts))`).
 * Literals in place are judged by the string rule above.
 */
export function stagerOfCommand(command: Node, file: FileContext): Stager | undefined {
	if (file.stringValue(command) !== undefined) return undefined;
	if (LISTS.has(command.type)) {
		if (
			command.namedChildren.every((word) => word === null || file.stringValue(word) !== undefined)
		) {
			return undefined;
		}
		const words: string[] = [];
		wordsOf(command, file, words);
		return stagerOf(words.join(' '));
	}
	const folded = file.foldString(command);
	return folded === undefined ? undefined : stagerOf(folded);
}

/** pip's own entry points: `pip.main([...])`, `pip._internal.cli.main.main([...])`. */
const PIP_MAIN = /^pip(?:\.[\w.]+)?\.main$/;

/** `pip_main(['install', ...])`: the package installer run in-process, without a command line. */
function checkPipMain(site: CallSite, file: FileContext): void {
	if (site.name === undefined || !PIP_MAIN.test(site.name)) return;
	const first = positionalArgs(site.args)[0];
	if (first === undefined || !LISTS.has(first.type)) return;
	const words: string[] = [];
	wordsOf(first, file, words);
	if (words.some((word) => /^(?:install|download|wheel)$/.test(word))) {
		file.report('process-stager', site.call, `${site.name} installs packages at run time`);
	}
}

export const stagerMatchers: readonly Matcher[] = [
	...callMatchers(['python'], checkPipMain),
	...stringMatchers(STAGER_HINT, checkString),
	// Only the calls around a stager word are looked at: the query runs on those spans.
	...(['python', 'js'] as const).map(
		(family): Matcher => ({
			family,
			query: family === 'python' ? PY_CALL : JS_CALL,
			needs: STAGER_HINT,
			check: ({ call, args }, file) => {
				if (call !== undefined && args !== undefined) checkArgumentList(args, call, file);
			},
		}),
	),
];
