/**
 * The bundle the `vouch` bin loads (scripts/bundle.mjs). Its modules are no longer where the
 * library's sources say they are, so what the library finds relative to itself is checked here:
 * the scanner's worker entry, and the grammars that entry loads.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
	cpSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { makeTempDir } from '../../library/test/helpers/temp.ts';
import { REPO_ROOT } from './helpers/built-cli.ts';

const BUNDLE = join(REPO_ROOT, 'packages/cli/dist/bundle');
const GRAMMARS = join(REPO_ROOT, 'packages/library/dist/grammars');
/** What the bundle imports by name (scripts/bundle.mjs): all it needs beside itself. */
const EXTERNALS = ['web-tree-sitter', 're2-wasm', 'tuf-js', '@tufjs/models', 'semver'];

/**
 * The bundle copied into `<root>/<folder>`, `root` being a package of ES modules, with its
 * external packages in `nodeModules` and nothing else: no `@vouch/library`, so no shipped
 * grammars within its reach. Returns its entry.
 */
function copyBundle(root: string, folder: string, nodeModules: string): string {
	cpSync(BUNDLE, join(root, folder), { recursive: true });
	writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'app', type: 'module' }));
	for (const name of EXTERNALS) {
		mkdirSync(dirname(join(nodeModules, name)), { recursive: true });
		symlinkSync(join(REPO_ROOT, 'node_modules', name), join(nodeModules, name));
	}
	return join(root, folder, 'bin.js');
}

/** `vouch scan --json` of a plugin whose code runs a shell command, by the bundle `bin`. */
function scanRisky(bin: string, work: string, env: Record<string, string>) {
	const plugin = join(work, 'plugin');
	mkdirSync(plugin, { recursive: true });
	writeFileSync(join(plugin, '__init__.py'), 'import os\nos.system("id")\n');
	const run = spawnSync(process.execPath, [bin, 'scan', plugin, '--json'], {
		cwd: work,
		encoding: 'utf8',
		env: { PATH: process.env.PATH ?? '', HOME: join(work, 'nobody'), ...env },
	});
	const report = JSON.parse(run.stdout) as { ok: boolean; error?: { code: string } };
	return { status: run.status, stdout: run.stdout, code: report.error?.code };
}

/** A folder laid out as Node's global module folders are, holding the grammars in both forms. */
function plantGrammars(folder: string): void {
	const library = join(folder, '@vouch', 'library');
	mkdirSync(join(library, 'dist'), { recursive: true });
	writeFileSync(join(library, 'package.json'), JSON.stringify({ name: '@vouch/library' }));
	cpSync(GRAMMARS, join(library, 'dist', 'grammars'), { recursive: true });
	const packages: Record<string, string[]> = {
		'tree-sitter-python': ['tree-sitter-python.wasm'],
		'tree-sitter-javascript': ['tree-sitter-javascript.wasm'],
		'tree-sitter-typescript': ['tree-sitter-typescript.wasm', 'tree-sitter-tsx.wasm'],
	};
	for (const [name, files] of Object.entries(packages)) {
		mkdirSync(join(folder, name), { recursive: true });
		writeFileSync(join(folder, name, 'package.json'), JSON.stringify({ name }));
		for (const file of files) cpSync(join(GRAMMARS, file), join(folder, name, file));
	}
}

describe('the bundled CLI', () => {
	it('keeps the worker entry beside every module that starts it', () => {
		const entries = readdirSync(BUNDLE, { withFileTypes: true });
		assert.deepEqual(
			entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name),
			[],
			'every chunk is in the one directory',
		);
		const files = entries.map((entry) => entry.name);
		assert.ok(files.includes('scan-worker.js'), 'scan-worker.js is in the bundle');
		// The pool resolves `./scan-worker.js` against the module it was bundled into.
		const starters = files.filter(
			(name) =>
				name.endsWith('.js') &&
				readFileSync(join(BUNDLE, name), 'utf8').includes('`./scan-worker$'),
		);
		assert.ok(starters.length > 0, 'some bundled module starts the worker');
	});

	it('runs the bundled worker: it loads the grammars and scans a file', async () => {
		const worker = new Worker(join(BUNDLE, 'scan-worker.js'));
		try {
			const replies: unknown[] = [];
			const answered = new Promise<void>((resolve, reject) => {
				worker.on('error', reject);
				worker.on('message', (reply: { kind: string }) => {
					replies.push(reply);
					if (reply.kind === 'ready') {
						worker.postMessage({
							kind: 'scan',
							id: 7,
							request: {
								path: 'plugin.py',
								language: 'python',
								text: 'import subprocess\nsubprocess.run(["ls"])\n',
								timeoutMs: 60_000,
								maxNestingDepth: 200,
							},
						});
					} else resolve();
				});
			});
			await answered;
			const [ready, result] = replies as [
				{ kind: string },
				{ kind: string; id: number; result: { status: string; findings: { ruleId: string }[] } },
			];
			assert.equal(ready.kind, 'ready');
			assert.equal(result.kind, 'result', JSON.stringify(result));
			assert.equal(result.id, 7);
			assert.equal(result.result.status, 'scanned');
			assert.ok(result.result.findings.length > 0, 'the subprocess call is found');
		} finally {
			await worker.terminate();
		}
	});

	it('never loads a grammar from NODE_PATH or the home folders', () => {
		// A grammar is WebAssembly that web-tree-sitter links with JavaScript glue it evaluates:
		// loading one is running its code. Only the copies Vouch ships may be loaded, never a
		// file that whoever sets the environment or owns the home folder put in Node's global
		// module folders, which `require` searches when a package is not installed.
		const work = makeTempDir('vouch-bundle-grammars-');
		const app = join(work, 'app');
		const bin = copyBundle(app, join('dist', 'bundle'), join(app, 'node_modules'));
		const elsewhere = join(work, 'elsewhere');
		plantGrammars(elsewhere);
		const home = join(work, 'home');
		plantGrammars(join(home, '.node_modules'));
		plantGrammars(join(home, '.node_libraries'));
		for (const env of [{ NODE_PATH: elsewhere }, { HOME: home }]) {
			const run = scanRisky(bin, work, env);
			assert.equal(run.code, 'SCAN_ENGINE_UNAVAILABLE', run.stdout);
			assert.equal(run.status, 1);
		}
	});

	it('never loads grammars from the folder two up from a bundle that is not the library', () => {
		// The library's compiled module finds its copies at `../../grammars/`; a bundle one
		// folder deep into its program reaches the folder that holds the program with that path.
		const work = makeTempDir('vouch-bundle-grammars-');
		const app = join(work, 'app');
		const bin = copyBundle(app, 'bundle', join(app, 'node_modules'));
		cpSync(GRAMMARS, join(work, 'grammars'), { recursive: true });
		const run = scanRisky(bin, work, {});
		assert.equal(run.code, 'SCAN_ENGINE_UNAVAILABLE', run.stdout);
		assert.equal(run.status, 1);
	});

	it('installed, never loads a grammar from above its project or from a grammar package', () => {
		// Installed in `<work>/project`: a `node_modules` in the folder that holds the project
		// may be anyone's (the project could be in the system's temporary folder), and a grammar
		// package in the project is the project's, not one the library depends on.
		const work = makeTempDir('vouch-bundle-grammars-');
		const modules = join(work, 'project', 'node_modules');
		const bin = copyBundle(join(modules, '@vouch', 'cli'), join('dist', 'bundle'), modules);
		plantGrammars(join(work, 'node_modules'));
		const run = scanRisky(bin, work, {});
		assert.equal(run.code, 'SCAN_ENGINE_UNAVAILABLE', run.stdout);
		rmSync(join(work, 'node_modules'), { recursive: true });
		plantGrammars(modules);
		rmSync(join(modules, '@vouch', 'library'), { recursive: true });
		const inProject = scanRisky(bin, work, {});
		assert.equal(inProject.code, 'SCAN_ENGINE_UNAVAILABLE', inProject.stdout);
	});

	it('the bin says what to run when the bundle was never built, and only then', () => {
		// In a folder whose name a URL spells otherwise (`%20`, `%C3%A9`).
		const work = makeTempDir('vouch bin é-');
		mkdirSync(join(work, 'bin'));
		cpSync(join(REPO_ROOT, 'packages/cli/bin/vouch.js'), join(work, 'bin', 'vouch.js'));
		writeFileSync(join(work, 'package.json'), JSON.stringify({ type: 'module' }));
		const vouch = () =>
			spawnSync(process.execPath, [join(work, 'bin', 'vouch.js'), '--version'], {
				encoding: 'utf8',
			});
		const unbuilt = vouch();
		assert.equal(unbuilt.status, 1);
		assert.match(unbuilt.stderr, /The compiled vouch command is missing/, unbuilt.stderr);
		assert.doesNotMatch(unbuilt.stderr, /ERR_MODULE_NOT_FOUND/);
		// A chunk missing from a built bundle is its own error, and still a failure.
		mkdirSync(join(work, 'dist', 'bundle'), { recursive: true });
		writeFileSync(join(work, 'dist', 'bundle', 'bin.js'), "import './chunk-gone.js';\n");
		const damaged = vouch();
		assert.equal(damaged.status, 1);
		assert.match(damaged.stderr, /chunk-gone\.js/, damaged.stderr);
		assert.doesNotMatch(damaged.stderr, /The compiled vouch command is missing/);
	});
});
