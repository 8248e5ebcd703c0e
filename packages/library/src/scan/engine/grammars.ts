/**
 * Loads the tree-sitter runtime and the four grammars' `.wasm` builds. Only the WebAssembly
 * builds are used, so nothing native is compiled or loaded, and parsing a hostile file cannot
 * corrupt the Node process. Where they are found, and where never, is `grammar-files.ts`.
 */
import { fileURLToPath } from 'node:url';
import { Language, Parser } from 'web-tree-sitter';
import { scanError } from '../errors.ts';
import type { SourceLanguage } from '../types.ts';
import { GRAMMAR_FILES, grammarPath } from './grammar-files.ts';

export type Grammars = Readonly<Record<SourceLanguage, Language>>;

export async function loadGrammars(): Promise<Grammars> {
	const moduleFile = fileURLToPath(import.meta.url);
	try {
		await Parser.init();
		const entries = await Promise.all(
			(Object.keys(GRAMMAR_FILES) as SourceLanguage[]).map(
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
