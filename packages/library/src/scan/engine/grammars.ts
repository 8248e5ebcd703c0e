/**
 * Loads the tree-sitter runtime and the four grammars' `.wasm` builds. Only the WebAssembly
 * builds are used, so nothing native is compiled or loaded, and parsing a hostile file cannot
 * corrupt the Node process. The built package carries them in `dist/grammars/` (copied at
 * build time, so installing the library runs no grammar package's install script); running
 * from source, they come from the grammar packages themselves.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
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

/** `dist/scan/engine/` → `dist/grammars/`: where the build puts the copies. */
const BUNDLED = new URL('../../grammars/', import.meta.url);

/**
 * Where the copies are, in order: beside this module (the library's own `dist/`); in the
 * installed `@vouch/library` package, for code bundled into another package (the `vouch` bin);
 * and last the grammar packages themselves, which only a checkout of the repository has.
 */
function grammarPath(language: SourceLanguage, require: NodeJS.Require): string {
	const file = WASM_FILES[language];
	const name = file.slice(file.indexOf('/') + 1);
	const bundled = fileURLToPath(new URL(name, BUNDLED));
	if (existsSync(bundled)) return bundled;
	const installed = installedLibraryGrammars(require);
	if (installed !== undefined && existsSync(join(installed, name))) return join(installed, name);
	return require.resolve(file);
}

function installedLibraryGrammars(require: NodeJS.Require): string | undefined {
	try {
		return join(dirname(require.resolve('@vouch/library/package.json')), 'dist', 'grammars');
	} catch {
		return undefined;
	}
}

export type Grammars = Readonly<Record<SourceLanguage, Language>>;

export async function loadGrammars(): Promise<Grammars> {
	const require = createRequire(import.meta.url);
	try {
		await Parser.init();
		const entries = await Promise.all(
			(Object.keys(WASM_FILES) as SourceLanguage[]).map(
				async (name) => [name, await Language.load(grammarPath(name, require))] as const,
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
