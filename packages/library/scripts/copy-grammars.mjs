#!/usr/bin/env node
// Copies the tree-sitter grammars' WebAssembly builds (and their licences) into dist/grammars.
// The library ships them itself so that installing it never runs the grammar packages' native
// install scripts: the scanner only ever loads the .wasm builds.
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'grammars');
const GRAMMARS = {
	'tree-sitter-python': ['tree-sitter-python.wasm'],
	'tree-sitter-javascript': ['tree-sitter-javascript.wasm'],
	'tree-sitter-typescript': ['tree-sitter-typescript.wasm', 'tree-sitter-tsx.wasm'],
};
mkdirSync(out, { recursive: true });
for (const [pkg, files] of Object.entries(GRAMMARS)) {
	const root = dirname(require.resolve(`${pkg}/package.json`));
	for (const file of files) copyFileSync(join(root, file), join(out, file));
	copyFileSync(join(root, 'LICENSE'), join(out, `${pkg}.LICENSE`));
}
