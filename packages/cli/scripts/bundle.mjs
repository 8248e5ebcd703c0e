/**
 * Bundles the compiled CLI (dist/, written by tsc) into dist/bundle/, which is what the `vouch`
 * bin loads.
 *
 * Why: a host may run `vouch startup-check --json` at every application start, and most of a
 * short command's time went into Node finding, reading and linking some two hundred modules
 * (close to a hundred of them zod's). One file per entry, with the commands still split into
 * chunks that load only when used, cuts that by about a third.
 *
 * What stays outside the bundle, and why:
 * - web-tree-sitter and re2-wasm load `.wasm` files from beside their own modules;
 * - tuf-js and @tufjs/models pull in an HTTP stack that only `refresh` needs;
 * - semver is loaded through `require` on first use, so it costs nothing at start.
 * The bundle imports these by name, so the CLI's package lists them as dependencies of its own.
 *
 * Every file is written to the one directory, chunks included: the scanner starts its worker
 * from `./scan-worker.js` beside whichever chunk holds the pool, and finds the library's
 * grammars through the installed `@vouch/library` package.
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bundle');
const library = dirname(fileURLToPath(import.meta.resolve('@vouch/library/package.json')));

rmSync(outdir, { recursive: true, force: true });
await build({
	entryPoints: {
		bin: join(root, 'dist', 'bin.js'),
		'scan-worker': join(library, 'dist', 'scan', 'engine', 'scan-worker.js'),
	},
	outdir,
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	chunkNames: 'chunk-[hash]',
	external: ['web-tree-sitter', 're2-wasm', 'tuf-js', '@tufjs/models', 'semver'],
	// commander is CommonJS and requires Node's built-in modules; in an ES module bundle that
	// needs a real `require`.
	banner: {
		js: "import { createRequire as vouchBundleCreateRequire } from 'node:module';\nconst require = vouchBundleCreateRequire(import.meta.url);",
	},
	legalComments: 'linked',
	logLevel: 'warning',
});
