/**
 * setup.py command overrides: a class derived from setuptools' or distutils' `install`,
 * `develop`, `egg_info`, `build_py` (and the other commands), or handed to `setup()` in
 * `cmdclass`, runs when pip installs or builds the package, before anyone has looked at it,
 * as npm's install hooks do. Its methods are judged as install-time code: what would run at
 * import time there (the network, a shell command, code built at run time) is high, as
 * `import-time-*`; plain build steps (writing files, a program run with a fixed argument list)
 * keep their own, lower severity.
 */
import type { Node } from 'web-tree-sitter';

/** The commands pip runs on install, develop, metadata builds and wheel builds. */
const COMMANDS =
	/^(?:install|install_lib|install_scripts|install_data|develop|egg_info|build|build_py|build_ext|build_clib|build_scripts|sdist|bdist_wheel|bdist_egg|dist_info|editable_wheel)$/;
/** `cmdclass={'install': PostInstall}`, `cmdclass=dict(install=PostInstall)`. */
const CMDCLASS = /\bcmdclass\s*=\s*(?:\{([^}]{0,2000})\}|dict\s*\(([^)]{0,2000})\))/g;
const HINT = /\bcmdclass\b|setuptools|distutils/;
/** A setup script calls `setup()`; distutils' own command modules do not. */
const SETUP_CALL = /^\s*(?:[\w.]+\.)?setup\s*\(/m;
/** Classes looked at per file. */
const MAX_CLASSES = 200;

export interface InstallRange {
	start: number;
	end: number;
	/** Words for messages: `the setup.py command PostInstall`. */
	what: string;
}

/** Class names a `cmdclass` mapping hands to `setup()`. */
function cmdclassNames(text: string): Set<string> {
	const names = new Set<string>();
	for (const match of text.matchAll(CMDCLASS)) {
		const body = match[1] ?? match[2] ?? '';
		for (const value of body.matchAll(/[:=]\s*([A-Za-z_][\w.]*)/g)) {
			names.add((value[1] as string).replace(/^.*\./, ''));
		}
	}
	return names;
}

function classNode(node: Node): Node | null {
	if (node.type === 'class_definition') return node;
	if (node.type === 'decorated_definition') return node.childForFieldName('definition');
	return null;
}

/** The bases a class names, by their last segment (`install`, `setuptools.command.install`). */
function baseNames(node: Node): string[] {
	const bases = node.childForFieldName('superclasses');
	if (bases === null) return [];
	return bases.namedChildren
		.filter((base): base is Node => base !== null && base.type !== 'keyword_argument')
		.map((base) => base.text.replace(/^.*\./, ''));
}

/**
 * The module-level classes of a Python file that run at install: command classes by their base,
 * or by being handed to `cmdclass`. A class derived from one of these is one too.
 */
export function installTimeRanges(root: Node, text: string): InstallRange[] {
	if (!HINT.test(text) || !SETUP_CALL.test(text)) return [];
	const handed = cmdclassNames(text);
	const commands = new Set<string>();
	const ranges: InstallRange[] = [];
	for (const child of root.namedChildren.slice(0, MAX_CLASSES * 4)) {
		if (child === null) continue;
		const node = classNode(child);
		const name = node?.childForFieldName('name')?.text;
		if (node === null || node === undefined || name === undefined) continue;
		const isCommand = baseNames(node).some((base) => COMMANDS.test(base) || commands.has(base));
		if (!isCommand && !handed.has(name)) continue;
		commands.add(name);
		ranges.push({
			start: node.startIndex,
			end: node.endIndex,
			what: `the setup.py command ${name}`,
		});
		if (ranges.length >= MAX_CLASSES) break;
	}
	return [...ranges, ...helpers(root, text, ranges)];
}

/** Module-level functions a command's methods call by name run at install too. */
function helpers(root: Node, text: string, commands: readonly InstallRange[]): InstallRange[] {
	if (commands.length === 0) return [];
	const called = new Set<string>();
	for (const range of commands) {
		for (const call of text.slice(range.start, range.end).matchAll(/\b([A-Za-z_]\w*)\s*\(/g)) {
			called.add(call[1] as string);
		}
	}
	const found: InstallRange[] = [];
	for (const child of root.namedChildren.slice(0, MAX_CLASSES * 4)) {
		const node =
			child?.type === 'decorated_definition' ? child.childForFieldName('definition') : child;
		if (node?.type !== 'function_definition') continue;
		const name = node.childForFieldName('name')?.text;
		if (name !== undefined && called.has(name)) {
			const what = `${name}, which a setup.py command calls`;
			found.push({ start: node.startIndex, end: node.endIndex, what });
		}
	}
	return found;
}
