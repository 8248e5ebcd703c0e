/**
 * Starting processes. A fixed argument list is `process-spawn`; a shell command assembled at
 * run time is `process-shell`, since whatever text reaches it can run any command. Spawns are
 * `process` sources and `shell-wire` sinks, so a socket handed to a shell is caught as a
 * reverse shell by the flow pass; `os.dup2` is a `shell-wire` sink too.
 */
import type { Node } from 'web-tree-sitter';
import type { FileContext, Matcher } from '../engine/matcher.ts';
import { keywordArg, positionalArgs } from '../engine/syntax.ts';
import { checkDroppedProgram } from './dropped.ts';
import { type CallSite, callMatchers, NameTable, shown } from './shared.ts';
import { stagerOfCommand } from './stager.ts';

/** Python calls that always go through a shell. */
const PY_SHELL = new NameTable([
	'os.system',
	'os.popen',
	'os.popen2',
	'os.popen3',
	'os.popen4',
	'subprocess.getoutput',
	'subprocess.getstatusoutput',
	'asyncio.create_subprocess_shell',
	'commands.getoutput',
	'commands.getstatusoutput',
	'platform.popen',
]);

/** The os functions that replace or start a program without a shell; the reach rules use them too. */
export const OS_PROGRAM_STARTERS: readonly string[] = [
	'os.execl',
	'os.execle',
	'os.execlp',
	'os.execlpe',
	'os.execv',
	'os.execve',
	'os.execvp',
	'os.execvpe',
	'os.spawnl',
	'os.spawnle',
	'os.spawnlp',
	'os.spawnlpe',
	'os.spawnv',
	'os.spawnve',
	'os.spawnvp',
	'os.spawnvpe',
	'os.posix_spawn',
	'os.posix_spawnp',
];

/** Python calls that start a program, with a shell only when asked (`shell=True`). */
const PY_SPAWN = new NameTable([
	'subprocess.Popen',
	'subprocess.call',
	'subprocess.run',
	'subprocess.check_call',
	'subprocess.check_output',
	...OS_PROGRAM_STARTERS,
	'os.startfile',
	'pty.spawn',
	'asyncio.create_subprocess_exec',
	// The private halves of subprocess: the same process start without the public name.
	'_posixsubprocess.fork_exec',
	'_winapi.CreateProcess',
	'_subprocess.CreateProcess',
	'PyQt5.QtCore.QProcess.*',
	'PyQt6.QtCore.QProcess.*',
	'PySide2.QtCore.QProcess.*',
	'PySide6.QtCore.QProcess.*',
	'PyQt5.QtCore.QProcess',
	'PyQt6.QtCore.QProcess',
	'PySide6.QtCore.QProcess',
]);

const PY_DUP = new NameTable(['os.dup2']);

const JS_SHELL = new NameTable([
	'child_process.exec',
	'child_process.execSync',
	'shelljs.exec',
	'execa.command',
	'execa.commandSync',
	'Bun.$',
]);

const JS_SPAWN = new NameTable([
	'child_process.spawn',
	'child_process.spawnSync',
	'child_process.execFile',
	'child_process.execFileSync',
	'child_process.fork',
	'execa',
	'execa.execa',
	'execa.execaSync',
	'cross-spawn',
	'Bun.spawn',
	'Bun.spawnSync',
	'Deno.run',
	'Deno.Command',
]);

function report(site: CallSite, file: FileContext, shell: boolean, command: Node | undefined) {
	const what = shown(site.name, site.callee.text);
	const dynamic = command === undefined || !file.isConstant(command);
	if (shell && dynamic) {
		file.report('process-shell', site.call, `${what} runs a shell command built at run time`);
	} else {
		file.report('process-spawn', site.call, `${what} starts another program`);
	}
	const stager = command === undefined ? undefined : stagerOfCommand(command, file);
	if (stager !== undefined) {
		file.report('process-stager', site.call, `${what} runs ${stager.what}, assembled out of sight`);
	}
	checkDroppedProgram(file, site.call, command, what, site.name === 'os.startfile');
	file.flowSource(site.call, 'process', what);
	file.flowSink(site.call, site.args, 'shell-wire', what);
}

/** `shell=True` (or `shell=1`): only a constant switches the shell on for certain. */
function isTrue(node: Node | undefined): boolean {
	if (node === undefined) return false;
	const text = node.text;
	return text === 'True' || /^[1-9]\d*$/.test(text);
}

function checkPython(site: CallSite, file: FileContext): void {
	if (site.name === undefined) return;
	if (PY_SHELL.hasName(site.name)) {
		report(site, file, true, positionalArgs(site.args)[0]);
	} else if (PY_SPAWN.hasName(site.name)) {
		report(site, file, isTrue(keywordArg(site.args, 'shell')), positionalArgs(site.args)[0]);
	}
	if (PY_DUP.hasName(site.name)) {
		file.flowSink(site.call, site.args, 'shell-wire', shown(site.name, ''));
	}
}

/** `{ shell: true }` among the options of a JS spawn. */
function jsShellOption(args: Node | null): boolean {
	if (args === null) return false;
	return /\bshell\s*:\s*(?!false\b|undefined\b|null\b|0\b)/.test(args.text);
}

function checkJs(site: CallSite, file: FileContext): void {
	if (JS_SHELL.hasName(site.name)) report(site, file, true, positionalArgs(site.args)[0]);
	else if (JS_SPAWN.hasName(site.name)) {
		report(site, file, jsShellOption(site.args), positionalArgs(site.args)[0]);
	}
}

export const processMatchers: readonly Matcher[] = [
	...callMatchers(['python'], checkPython),
	...callMatchers(['js'], checkJs),
];
