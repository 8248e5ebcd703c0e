/**
 * Where the scanner's grammars are: the `.wasm` builds the library ships in `dist/grammars/`
 * (copied at build time, so installing the library runs no grammar package's install script),
 * or, in a checkout of the repository, the grammar packages themselves.
 *
 * Loading a grammar runs code: web-tree-sitter evaluates the JavaScript a grammar module
 * carries for its imports. So a grammar is only ever taken from where Vouch put it:
 * - never from NODE_PATH or the home and prefix folders that `require` also searches;
 * - from an installed copy, never above the project it is installed in: the folder that holds
 *   the outermost `node_modules` of its path (a parent of the project may be shared, as the
 *   system's temporary folder is);
 * - a grammar package only for the library's own sources in a checkout: installed, the library
 *   does not depend on them, so one found is someone else's (a project's, or a plugin's where a
 *   host keeps plugins in a `node_modules`), perhaps of another version;
 * - `../../grammars/` from the module only when the module is the library's own compiled one:
 *   from a bundle elsewhere that path leaves the program's folder.
 * A grammar found nowhere fails the scanner's start, which stops every scan.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import type { SourceLanguage } from '../types.ts';

/** Each language's grammar, as `<package>/<file>`; the library ships `<file>`. */
export const GRAMMAR_FILES: Readonly<Record<SourceLanguage, string>> = {
	python: 'tree-sitter-python/tree-sitter-python.wasm',
	javascript: 'tree-sitter-javascript/tree-sitter-javascript.wasm',
	typescript: 'tree-sitter-typescript/tree-sitter-typescript.wasm',
	tsx: 'tree-sitter-typescript/tree-sitter-tsx.wasm',
};

/** The grammar module as the build writes it: `dist/grammars/` is then two folders up. */
const COMPILED = `${sep}dist${sep}scan${sep}engine${sep}grammars.js`;
/** The grammar module in a checkout: its source, or that source transpiled beside it. */
const SOURCE = /[\\/]src[\\/]scan[\\/]engine[\\/]grammars\.[jt]s$/;
const NODE_MODULES = 'node_modules';

/**
 * The grammar's file for the module at `moduleFile` (a path), in order: the library's own
 * `dist/grammars/` when that is its compiled module; the `dist/grammars/` of the nearest
 * installed `@vouch/library`, for code bundled into another package (the `vouch` bin); and, for
 * the library's sources in a checkout only, the nearest grammar package. Throws when none.
 */
export function grammarPath(language: SourceLanguage, moduleFile: string): string {
	const file = GRAMMAR_FILES[language];
	const name = file.slice(file.indexOf('/') + 1);
	if (moduleFile.endsWith(COMPILED)) {
		const own = join(moduleFile, '..', '..', '..', 'grammars', name);
		if (existsSync(own)) return own;
	}
	const from = dirname(moduleFile);
	const library = nearestInstalled(from, join('@vouch', 'library', 'package.json'));
	if (library !== undefined) {
		const shipped = join(dirname(library), 'dist', 'grammars', name);
		if (existsSync(shipped)) return shipped;
	}
	const checkout = SOURCE.test(moduleFile) && !from.split(sep).includes(NODE_MODULES);
	const fromPackage = checkout ? nearestInstalled(from, file) : undefined;
	if (fromPackage !== undefined) return fromPackage;
	throw new Error(`The grammar ${name} is not where Vouch installs it.`);
}

/**
 * `node_modules/<path>` in `from` or the nearest folder above it that has one, as Node finds a
 * package for an `import`; but for a module inside a `node_modules`, only up to the folder
 * that holds the outermost one.
 */
function nearestInstalled(from: string, path: string): string | undefined {
	const parts = from.split(sep);
	const outermost = parts.indexOf(NODE_MODULES);
	const top = outermost < 0 ? undefined : parts.slice(0, outermost).join(sep) || sep;
	for (let dir = from; ; dir = dirname(dir)) {
		if (basename(dir) !== NODE_MODULES) {
			const candidate = join(dir, NODE_MODULES, path);
			if (existsSync(candidate)) return candidate;
		}
		if (dir === top || dirname(dir) === dir) return undefined;
	}
}
