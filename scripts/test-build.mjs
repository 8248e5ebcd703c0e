#!/usr/bin/env node
/**
 * Compiles the suite to plain JavaScript in `.test-build/`, a mirror of the repository, so each
 * test file runs in plain `node` without a loader.
 *
 * Why: node:test starts every test file in a process of its own. Under tsx every module such a
 * process loads goes through loader hooks that Node 20 runs on a separate thread, one message
 * round trip per resolve and per load. Importing the library's index that way costs about three
 * times the CPU of importing the same modules as JavaScript, and the suite has hundreds of files,
 * so on two cores most of that is wall time.
 *
 * The mirror: every module the test files reach by a relative import (followed from the
 * `*.test.ts` files), or name as `new URL('./x.ts', import.meta.url)` to start it in a child
 * process (packages/library/test/helpers/child-entry.ts runs its `.js`), is transpiled, one file at a time, by esbuild (what tsx itself runs), and its
 * `./x.ts` specifiers renamed to `./x.js`. Type checking is `npm run lint`'s job, not this.
 * Everything else in the mirror is a symbolic link to the original: data files, fixtures, the
 * `.ts` sources themselves (tests that read a source file, or start one through tsx in a child
 * process, find it where they expect), whole directories that hold no transpiled module, and
 * `node_modules`. Each package's `package.json` is copied with its `vouch-source` condition
 * pointing at the transpiled `.js`, and `.test-build/node_modules/@vouch/*` point at the mirrored
 * packages, so `import '@vouch/library'` under `--conditions=vouch-source` loads the mirror too.
 *
 * A transpiled file is rewritten only when its source is newer, so a second build is quick.
 *
 * Prints the test files' paths in the mirror, one per line, for `scripts/test.sh`.
 */
import {
	existsSync,
	lstatSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	readlinkSync,
	rmSync,
	statSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, '.test-build');
/** Never mirrored: the mirror itself and git's own directory. */
const SKIP = new Set(['.git', '.test-build']);

/** A relative import of a `.ts` module in esbuild's output, which always prints double quotes. */
const TS_SPECIFIER = /(\b(?:from|import)\s*\(?\s*)"(\.{1,2}\/[^"\n]*?)\.ts"/g;

/** `new URL('./x.ts', import.meta.url)`: a module started in a child process, by its path. */
const CHILD_ENTRY = /\bnew URL\(\s*['"](\.{1,2}\/[^'"\n]+\.ts)['"]\s*,\s*import\.meta\.url\s*\)/g;

/** The test files, as `scripts/test.sh` finds them, or the ones named on the command line. */
function testFiles(named) {
	if (named.length > 0) return named.map((file) => resolve(ROOT, file));
	const found = [];
	const walk = (dir) => {
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			if (['node_modules', 'dist', 'fixtures'].includes(entry.name)) continue;
			const path = join(dir, entry.name);
			if (entry.isDirectory()) walk(path);
			else if (entry.name.endsWith('.test.ts')) found.push(path);
		}
	};
	for (const top of ['packages', 'test', 'examples']) {
		if (existsSync(join(ROOT, top))) walk(join(ROOT, top));
	}
	return found.sort();
}

/** Every `.ts` module reachable from `entries` through relative imports, static or dynamic. */
function reachableModules(entries) {
	const seen = new Set();
	const queue = [...entries];
	while (queue.length > 0) {
		const file = queue.pop();
		if (seen.has(file)) continue;
		seen.add(file);
		const text = readFileSync(file, 'utf8');
		const info = ts.preProcessFile(text, true, true);
		const specifiers = info.importedFiles.map((imported) => imported.fileName);
		// A module a test starts in a child process (test/helpers/child-entry.ts) is named by URL.
		for (const match of text.matchAll(CHILD_ENTRY)) specifiers.push(match[1]);
		for (const specifier of specifiers) {
			const target = resolveImport(file, specifier);
			if (target !== undefined && !seen.has(target)) queue.push(target);
		}
	}
	return seen;
}

/** A relative `.ts` import, or a `@vouch/*` package's source entry, as a file path. */
function resolveImport(from, specifier) {
	if (specifier.startsWith('.')) {
		const path = resolve(dirname(from), specifier);
		return path.endsWith('.ts') && existsSync(path) ? path : undefined;
	}
	const match = /^@vouch\/([a-z]+)(?:\/internal\/(.+))?$/.exec(specifier);
	if (match === null) return undefined;
	const source = join(ROOT, 'packages', match[1], 'src', `${match[2] ?? 'index'}.ts`);
	return existsSync(source) ? source : undefined;
}

/** Directories that must be real in the mirror: those holding a transpiled module, and above. */
function realDirectories(modules) {
	const dirs = new Set([ROOT]);
	for (const module of modules) {
		for (let dir = dirname(module); dir.startsWith(ROOT) && !dirs.has(dir); dir = dirname(dir)) {
			dirs.add(dir);
		}
	}
	for (const name of readdirSync(join(ROOT, 'packages'))) dirs.add(join(ROOT, 'packages', name));
	return dirs;
}

function link(target, path) {
	if (existsSync(path) || isLink(path)) {
		if (isLink(path) && readlinkSync(path) === target) return;
		rmSync(path, { recursive: true, force: true });
	}
	symlinkSync(target, path);
}

function isLink(path) {
	try {
		return lstatSync(path).isSymbolicLink();
	} catch {
		return false;
	}
}

function transpile(source, out) {
	if (existsSync(out) && !isLink(out) && statSync(out).mtimeMs >= statSync(source).mtimeMs) return;
	// The same transform tsx applies (esbuild, TypeScript syntax removed, nothing else changed),
	// then `./x.ts` specifiers renamed to the `.js` files beside them.
	const result = transformSync(readFileSync(source, 'utf8'), {
		loader: 'ts',
		format: 'esm',
		target: 'node20',
		sourcefile: source,
		tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
	});
	writeFileSync(out, result.code.replace(TS_SPECIFIER, '$1"$2.js"'));
}

/** A package's manifest with its source condition pointing at the transpiled files. */
function mirroredManifest(path) {
	const text = readFileSync(path, 'utf8');
	const manifest = JSON.parse(text);
	const rewrite = (value) => {
		if (typeof value === 'string') return value;
		if (value === null || typeof value !== 'object') return value;
		const copy = {};
		for (const [key, inner] of Object.entries(value)) {
			copy[key] =
				key === 'vouch-source' && typeof inner === 'string'
					? inner.replace(/\.ts$/, '.js')
					: rewrite(inner);
		}
		return copy;
	};
	manifest.exports = rewrite(manifest.exports);
	return `${JSON.stringify(manifest, null, '\t')}\n`;
}

function mirror(dir, modules, dirs) {
	const out = join(OUT, relative(ROOT, dir));
	mkdirSync(out, { recursive: true });
	const wanted = new Set();
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		if (dir === ROOT && SKIP.has(entry.name)) continue;
		// The mirror's own node_modules holds only the packages' links (packageLinks); any other
		// dependency resolves from the repository's, one directory up.
		if (dir === ROOT && entry.name === 'node_modules') continue;
		const path = join(dir, entry.name);
		const target = join(out, entry.name);
		wanted.add(entry.name);
		if (entry.isDirectory() && dirs.has(path) && entry.name !== 'node_modules') {
			if (isLink(target)) rmSync(target);
			mirror(path, modules, dirs);
			continue;
		}
		const isPackageManifest =
			entry.name === 'package.json' && dirname(dir) === join(ROOT, 'packages');
		if (isPackageManifest) {
			if (isLink(target)) rmSync(target);
			writeFileSync(target, mirroredManifest(path));
			continue;
		}
		link(path, target);
		if (modules.has(path)) {
			const js = target.replace(/\.ts$/, '.js');
			wanted.add(entry.name.replace(/\.ts$/, '.js'));
			transpile(path, js);
		}
	}
	// What the source tree no longer has goes from the mirror too, so a deleted test is not run.
	for (const name of readdirSync(out)) {
		const mirrorOwn = dir === ROOT && (name === 'node_modules' || name === '.source-root');
		if (!wanted.has(name) && !mirrorOwn) {
			rmSync(join(out, name), { recursive: true, force: true });
		}
	}
}

/**
 * The mirror's node_modules: the repository's dependencies linked one by one (a test may name a
 * tool's file under the root, `node_modules/typedoc/...`), except `@vouch`, whose packages are
 * the mirror's own.
 */
function dependencyLinks() {
	const modules = join(OUT, 'node_modules');
	mkdirSync(modules, { recursive: true });
	for (const name of readdirSync(join(ROOT, 'node_modules'))) {
		if (name !== '@vouch') link(join(ROOT, 'node_modules', name), join(modules, name));
	}
	const scope = join(modules, '@vouch');
	if (isLink(scope)) rmSync(scope);
	mkdirSync(scope, { recursive: true });
	for (const name of readdirSync(join(ROOT, 'packages'))) {
		link(join('..', '..', 'packages', name), join(scope, name));
	}
}

const entries = testFiles(process.argv.slice(2));
const modules = reachableModules(entries);
mirror(ROOT, modules, realDirectories(modules));
dependencyLinks();
// Tests that hand the repository itself to another program find it here (test/helpers/source-root.ts).
writeFileSync(join(OUT, '.source-root'), `${ROOT}\n`);
for (const file of entries) {
	process.stdout.write(`${join(OUT, relative(ROOT, file)).replace(/\.ts$/, '.js')}\n`);
}
