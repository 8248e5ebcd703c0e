/**
 * Loads the tree-sitter runtime and the four grammars from their npm packages' `.wasm` files.
 * Only the WebAssembly builds are used (their install scripts are denied), so nothing native
 * is compiled or loaded, and parsing a hostile file cannot corrupt the Node process.
 */
import { createRequire } from 'node:module';
import { Language, Parser } from 'web-tree-sitter';
import { scanError } from '../errors.ts';
import type { SourceLanguage } from '../types.ts';

const WASM_FILES: Readonly<Record<SourceLanguage, string>> = {
	python: 'tree-sitter-python/tree-sitter-python.wasm',
	javascript: 'tree-sitter-javascript/tree-sitter-javascript.wasm',
	typescript: 'tree-sitter-typescript/tree-sitter-typescript.wasm',
	tsx: 'tree-sitter-typescript/tree-sitter-tsx.wasm',
};

export type Grammars = Readonly<Record<SourceLanguage, Language>>;

export async function loadGrammars(): Promise<Grammars> {
	const require = createRequire(import.meta.url);
	try {
		await Parser.init();
		const entries = await Promise.all(
			(Object.keys(WASM_FILES) as SourceLanguage[]).map(
				async (name) => [name, await Language.load(require.resolve(WASM_FILES[name]))] as const,
			),
		);
		return Object.fromEntries(entries) as Record<SourceLanguage, Language>;
	} catch (error) {
		throw scanError('SCAN_ENGINE_UNAVAILABLE', 'The code parser could not be loaded.', {
			hint: 'Reinstall Vouch (npm ci): the tree-sitter grammar packages seem to be missing.',
			cause: error,
		});
	}
}
