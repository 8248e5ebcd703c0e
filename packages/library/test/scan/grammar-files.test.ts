/**
 * Where the scanner takes its grammars from (scan/engine/grammar-files.ts), on real folders laid
 * out as the ways the library is installed or bundled lay them out. Loading a grammar runs the
 * JavaScript it carries, so each place a copy is planted but must not be taken from is checked.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { grammarPath } from '../../src/scan/engine/grammar-files.ts';

const work = mkdtempSync(join(tmpdir(), 'vouch-grammar-files-'));
after(() => rmSync(work, { recursive: true, force: true }));

let cases = 0;
/** A fresh folder for one case. */
function folder(): string {
	const dir = join(work, `case-${++cases}`);
	mkdirSync(dir);
	return dir;
}

function file(path: string): string {
	mkdirSync(dirname(path), { recursive: true });
	writeFileSync(path, '');
	return path;
}

/** An installed `@vouch/library` in `nodeModules`, with its python grammar or without. */
function library(nodeModules: string, withGrammar = true): string {
	const root = join(nodeModules, '@vouch', 'library');
	file(join(root, 'package.json'));
	if (withGrammar) file(join(root, 'dist', 'grammars', 'tree-sitter-python.wasm'));
	return root;
}

const PACKAGE_GRAMMAR = join('tree-sitter-python', 'tree-sitter-python.wasm');

describe('the grammar files', () => {
	it('the compiled library takes its own copies', () => {
		const root = library(join(folder(), 'project', 'node_modules'));
		const module = file(join(root, 'dist', 'scan', 'engine', 'grammars.js'));
		assert.equal(
			grammarPath('python', module),
			join(root, 'dist', 'grammars', 'tree-sitter-python.wasm'),
		);
	});

	it('a bundle takes the nearest installed library, hoisted or nested (pnpm)', () => {
		const modules = join(folder(), 'project', 'node_modules');
		const hoisted = library(modules);
		const chunk = file(join(modules, '@vouch', 'cli', 'dist', 'bundle', 'chunk-A.js'));
		assert.equal(
			grammarPath('python', chunk),
			join(hoisted, 'dist', 'grammars', 'tree-sitter-python.wasm'),
		);
		const store = join(modules, '.pnpm', '@vouch+cli@0.1.0', 'node_modules');
		const nested = library(store);
		const pnpmChunk = file(join(store, '@vouch', 'cli', 'dist', 'bundle', 'chunk-A.js'));
		assert.equal(
			grammarPath('python', pnpmChunk),
			join(nested, 'dist', 'grammars', 'tree-sitter-python.wasm'),
		);
	});

	it('a bundle never takes the folder two up from it', () => {
		const app = join(folder(), 'app');
		file(join(app, '..', 'grammars', 'tree-sitter-python.wasm'));
		const bundle = file(join(app, 'bundle', 'main.js'));
		assert.throws(() => grammarPath('python', bundle), /not where Vouch installs it/);
	});

	it('an installed copy never looks above its project', () => {
		const parent = folder();
		library(join(parent, 'node_modules'));
		file(join(parent, 'node_modules', PACKAGE_GRAMMAR));
		const chunk = file(join(parent, 'project', 'node_modules', '@vouch', 'cli', 'chunk-A.js'));
		assert.throws(() => grammarPath('python', chunk), /not where Vouch installs it/);
	});

	it('an installed copy never takes a grammar package, nor passes its own library by', () => {
		const parent = folder();
		const modules = join(parent, 'project', 'node_modules');
		library(modules, false);
		file(join(modules, PACKAGE_GRAMMAR));
		const module = file(
			join(modules, '@vouch', 'library', 'dist', 'scan', 'engine', 'grammars.js'),
		);
		assert.throws(() => grammarPath('python', module), /not where Vouch installs it/);
		// A library further up with the file does not stand in for the nearest one without it.
		library(join(parent, 'node_modules'));
		assert.throws(() => grammarPath('python', module), /not where Vouch installs it/);
	});

	it('a bundle never takes a grammar package, such as a plugin a host keeps in node_modules', () => {
		const app = join(folder(), 'app');
		file(join(app, 'node_modules', PACKAGE_GRAMMAR));
		const bundle = file(join(app, 'dist', 'main.js'));
		assert.throws(() => grammarPath('python', bundle), /not where Vouch installs it/);
	});

	it('a checkout takes the grammar package, through a linked node_modules too', () => {
		const repo = join(folder(), 'repo');
		const source = file(join(repo, 'packages', 'library', 'src', 'scan', 'engine', 'grammars.ts'));
		const grammar = file(join(repo, 'node_modules', PACKAGE_GRAMMAR));
		assert.equal(grammarPath('python', source), grammar);
		const mirror = join(repo, '.mirror');
		mkdirSync(mirror);
		symlinkSync(join(repo, 'node_modules'), join(mirror, 'node_modules'));
		const built = file(join(mirror, 'packages', 'library', 'src', 'scan', 'engine', 'grammars.js'));
		assert.equal(grammarPath('python', built), join(mirror, 'node_modules', PACKAGE_GRAMMAR));
	});
});
