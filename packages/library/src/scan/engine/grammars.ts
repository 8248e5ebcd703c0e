/**
 * Loads the tree-sitter runtime and the four grammars' `.wasm` builds. Only the WebAssembly
 * builds are used, so nothing native is compiled or loaded, and parsing a hostile file cannot
 * corrupt the Node process. The built package carries them in `dist/grammars/` (copied at
 * build time, so installing the library runs no grammar package's install script); running
 * from source, they come from the grammar packages themselves.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Language, Parser } from 'web-tree-sitter';
import { scanError } from '../errors.ts';
import type { SourceLanguage } from '../types.ts';

const WASM_FILES: Readonly<Record<SourceLanguage, string>> = {
	python: 'tree-sitter-python/tree-sitter-python.wasm',
	javascript: 'tree-sitter-javascript/tree-sitter-javascript.wasm',
	typescript: 'tree-sitter-typescript/tree-sitter-typescript.wasm',
	tsx: 'tree-sitter-typescript/tree-sitter-tsx.wasm',
};

/** This module as the build writes it: `dist/grammars/` is then two folders up. */
const COMPILED = `${sep}dist${sep}scan${sep}engine${sep}grammars.js`;

/**
 * Where a grammar's `.wasm` is for the module at `moduleFile`, in order: the library's own
 * `dist/grammars/` when this is its compiled module; the `dist/grammars/` of the nearest
 * installed `@vouch/library`, for code bundled into another package (the `vouch` bin); and last
 * the nearest grammar package itself, which only a checkout of the repository has.
 *
 * Loading a grammar runs code: web-tree-sitter evaluates the JavaScript a grammar module
 * carries for its imports. So the search is never wider than the one Node makes for an
 * `import` of the program's own dependencies: the `node_modules` folders from the module up,
 * never NODE_PATH nor the home and prefix folders that `require` also searches. And the copies
 * two folders up are taken only from the library's own module: from a bundle elsewhere the
 * same relative path leaves the program's folder.
 */
export function grammarPath(language: SourceLanguage, moduleFile: string): string {
	const file = WASM_FILES[language];
	const name = file.slice(file.indexOf('/') + 1);
	if (moduleFile.endsWith(COMPILED)) {
		const own = join(moduleFile, '..', '..', '..', 'grammars', name);
		if (existsSync(own)) return own;
	}
	const library = nearestInstalled(dirname(moduleFile), join('@vouch', 'library', 'package.json'));
	const installed = library === undefined ? undefined : join(dirname(library), 'dist', 'grammars');
	if (installed !== undefined && existsSync(join(installed, name))) return join(installed, name);
	const fromPackage = nearestInstalled(dirname(moduleFile), file);
	if (fromPackage !== undefined) return fromPackage;
	throw new Error(`The grammar ${name} is not installed.`);
}

/** `node_modules/<path>` in `from` or the nearest folder above it that has one. */
function nearestInstalled(from: string, path: string): string | undefined {
	for (let dir = from; ; dir = dirname(dir)) {
		if (basename(dir) !== 'node_modules') {
			const candidate = join(dir, 'node_modules', path);
			if (existsSync(candidate)) return candidate;
		}
		if (dirname(dir) === dir) return undefined;
	}
}

export type Grammars = Readonly<Record<SourceLanguage, Language>>;

export async function loadGrammars(): Promise<Grammars> {
	const moduleFile = fileURLToPath(import.meta.url);
	try {
		await Parser.init();
		const entries = await Promise.all(
			(Object.keys(WASM_FILES) as SourceLanguage[]).map(
				async (name) => [name, await Language.load(grammarPath(name, moduleFile))] as const,
			),
		);
		return Object.fromEntries(entries) as Record<SourceLanguage, Language>;
	} catch (error) {
		throw scanError('SCAN_ENGINE_UNAVAILABLE', 'The code parser could not be loaded.', {
			hint: 'Reinstall Vouch: the tree-sitter grammars it ships seem to be missing.',
			cause: error,
		});
	}
}
