/**
 * "Dependencies point downwards" (docs/design/architecture.md): the CLI package uses the
 * library package; in the library, `lifecycle` uses `registry`, `blacklist`, `manifest`, `git`,
 * `tuf`, `log` and `scan`; `embed` wires the lifecycle for a host profile; everything uses `core`; nothing imports the CLI; the library's `index.ts` is
 * the façade. Every import in the packages' sources (static, type-only, re-export and dynamic)
 * is read with TypeScript's own pre-processor and checked against the graph below. A rule
 * written in the wrong layer is how one policy ends up with two homes, so an edge outside this
 * graph fails the suite. Packages meet only through their names (`@vouch/library...`), never a
 * relative path across the boundary, and each package declares every package it imports.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const LAYERS = [
	'core',
	'manifest',
	'blacklist',
	'git',
	'scan',
	'tuf',
	'log',
	'report',
	'registry',
	'lifecycle',
	'embed',
	'cli',
	'host',
	'server',
	'facade',
] as const;
type Layer = (typeof LAYERS)[number];

const LIBRARY: readonly Layer[] = [
	'core',
	'manifest',
	'blacklist',
	'git',
	'scan',
	'tuf',
	'log',
	'report',
	'registry',
	'lifecycle',
	'embed',
];

/**
 * For each layer, the other layers it may import, each with the reason the edge exists.
 * `core` is allowed everywhere and is not repeated.
 */
const ALLOWED: Readonly<Record<Layer, Readonly<Partial<Record<Layer, string>>>>> = {
	core: {},
	manifest: {},
	blacklist: {},
	git: {},
	scan: {
		manifest:
			'the capability vocabulary (D20) is the one manifests declare, and a scan reads the MANIFEST.toml of the plugin it scans to compare declared with inferred capabilities',
	},
	log: {},
	report: {},
	tuf: {
		log: 'the repository side appends every publish to the transparency log and the client checks the log before it stores a refresh (D28); the log key is a TUF target',
		registry:
			'the repository side signs registry documents and the client verifies them: both parse them with the registry decoder and limits, so that what is signed is exactly what clients accept, and the client implements the registry verifier interface the loader defines',
	},
	registry: {
		blacklist:
			'a registry carries blacklist entries (their type is the blacklist’s own) and reports the freshness of its blacklist by the blacklist staleness policy (D1)',
	},
	lifecycle: {
		manifest: 'architecture.md: lifecycle uses manifest',
		blacklist: 'architecture.md: lifecycle uses blacklist',
		git: 'architecture.md: lifecycle uses git',
		scan: 'architecture.md: lifecycle uses scan',
		tuf: 'architecture.md: lifecycle uses tuf',
		log: 'architecture.md: lifecycle uses log',
		registry: 'architecture.md: lifecycle uses registry',
	},
	embed: {
		lifecycle:
			'createVouch drives the lifecycle operations and is the one place their real dependencies are wired for a profile',
		registry:
			'a profile’s registry is loaded here (sources, cache, verifier) for the lifecycle snapshot, list and check-blacklist',
		tuf: 'a profile with a trusted root reads its registry through the TUF client (D19)',
		log: 'the union of every error code the library raises includes the transparency log’s (D28)',
		git: 'the lifecycle’s git port is built on `src/git`, the only module that runs git',
		blacklist: 'check-blacklist compiles the loaded registry’s blacklist',
		manifest: 'installs read the fetched MANIFEST.toml with the manifest reader',
		scan: 'installs and `scan` run the static analysis (D21), loaded on first use',
		report: 'a host files community reports (D22) with the wire contract the service reads',
	},
	cli: {
		...Object.fromEntries(LIBRARY.map((layer) => [layer, 'the CLI uses the library'])),
		facade: 'the CLI uses the library through its public entry too',
	},
	host: {
		...Object.fromEntries(LIBRARY.map((layer) => [layer, 'the Node host uses the library'])),
		facade: 'the Node host uses the library through its public entry (createVouch)',
	},
	server: {
		...Object.fromEntries(LIBRARY.map((layer) => [layer, 'the registry service uses the library'])),
		facade: 'the registry service uses the library through its public entry too',
	},
	facade: Object.fromEntries(LIBRARY.map((layer) => [layer, 'the façade exports the library'])),
};

const LIBRARY_SRC = 'packages/library/src/';
const CLI_SRC = 'packages/cli/src/';
const HOST_SRC = 'packages/host/src/';
const SERVER_SRC = 'packages/server/src/';
const LIBRARY_NAME = '@vouch/library';

/**
 * `packages/library/src/<folder>/...` is that folder's layer and its `index.ts` the façade;
 * everything in `packages/cli/src/` is the CLI.
 */
function layerOf(path: string): Layer | undefined {
	if (path.startsWith(CLI_SRC)) return 'cli';
	if (path.startsWith(HOST_SRC)) return 'host';
	if (path.startsWith(SERVER_SRC)) return 'server';
	if (!path.startsWith(LIBRARY_SRC)) return undefined;
	const parts = path.slice(LIBRARY_SRC.length).split('/');
	if (parts.length === 1) return parts[0] === 'index.ts' ? 'facade' : undefined;
	return (LAYERS as readonly string[]).includes(parts[0] as string)
		? (parts[0] as Layer)
		: undefined;
}

/** The layer a package specifier names: `@vouch/library` is the façade, `.../internal/<folder>/...` a folder. */
function layerOfSpecifier(specifier: string): Layer | undefined {
	if (specifier === LIBRARY_NAME) return 'facade';
	if (specifier.startsWith(`${LIBRARY_NAME}/internal/`)) {
		return layerOf(`${LIBRARY_SRC}${specifier.slice(`${LIBRARY_NAME}/internal/`.length)}.ts`);
	}
	if (specifier === '@vouch/cli' || specifier.startsWith('@vouch/cli/')) return 'cli';
	if (specifier === '@vouch/host' || specifier.startsWith('@vouch/host/')) return 'host';
	if (specifier === '@vouch/server' || specifier.startsWith('@vouch/server/')) return 'server';
	return undefined;
}

function packageOf(path: string): string | undefined {
	return /^packages\/([^/]+)\//.exec(path)?.[1];
}

interface Violation {
	file: string;
	imports: string;
	why: string;
}

/** Every import in `files` (path relative to the repository → text) that breaks the graph. */
function layeringViolations(files: ReadonlyMap<string, string>): Violation[] {
	const violations: Violation[] = [];
	for (const [file, text] of files) {
		const from = layerOf(file);
		if (from === undefined) {
			violations.push({ file, imports: '', why: 'the file is in no known layer' });
			continue;
		}
		for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
			let to: Layer | undefined;
			if (fileName.startsWith('.')) {
				const target = posix.normalize(posix.join(posix.dirname(file), fileName));
				if (packageOf(target) !== packageOf(file)) {
					violations.push({
						file,
						imports: fileName,
						why: 'it crosses a package boundary by path',
					});
					continue;
				}
				to = layerOf(target);
				if (to === undefined) {
					violations.push({
						file,
						imports: fileName,
						why: 'it reaches outside the layers of src/',
					});
					continue;
				}
			} else if (fileName.startsWith('@vouch/')) {
				to = layerOfSpecifier(fileName);
				if (to === undefined || packageOf(file) === 'library') {
					// The library never names a package of this workspace, itself included: its own
					// modules are relative, and everything else sits above it.
					violations.push({
						file,
						imports: fileName,
						why: 'the library imports no workspace package',
					});
					continue;
				}
			} else {
				// Third-party packages (`node:fs`, `zod`...) are not layers.
				continue;
			}
			if (to !== from && to !== 'core' && ALLOWED[from][to] === undefined) {
				violations.push({ file, imports: fileName, why: `${from} may not import ${to}` });
			}
		}
	}
	return violations;
}

function sourceFiles(dir: string, root: string): Map<string, string> {
	const files = new Map<string, string>();
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) {
			for (const [key, value] of sourceFiles(path, root)) files.set(key, value);
		} else if (entry.name.endsWith('.ts')) {
			files.set(relative(root, path).split(sep).join('/'), readFileSync(path, 'utf8'));
		}
	}
	return files;
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function sourcesOf(pkg: string): Map<string, string> {
	return sourceFiles(join(ROOT, 'packages', pkg, 'src'), ROOT);
}

describe('layering (architecture.md: dependencies point downwards)', () => {
	it('every import in the library and the CLI follows the layer graph', () => {
		const files = new Map([
			...sourcesOf('library'),
			...sourcesOf('cli'),
			...sourcesOf('host'),
			...sourcesOf('server'),
		]);
		assert.ok(files.size > 200, `expected the whole source tree, read ${files.size} files`);
		assert.deepEqual(layeringViolations(files), []);
	});

	it('each package declares every package its sources import, and the library none above it', () => {
		for (const pkg of ['library', 'cli', 'host', 'server']) {
			const manifest = JSON.parse(
				readFileSync(join(ROOT, 'packages', pkg, 'package.json'), 'utf8'),
			);
			const declared = new Set(Object.keys(manifest.dependencies ?? {}));
			for (const [file, text] of sourcesOf(pkg)) {
				for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
					if (fileName.startsWith('.') || fileName.startsWith('node:')) continue;
					// The scanner's own sources hold sample code in strings; only real package names count.
					if (!/^(@[a-z0-9._-]+\/)?[a-z0-9._-]+(\/|$)/.test(fileName)) continue;
					const name = fileName.startsWith('@')
						? fileName.split('/').slice(0, 2).join('/')
						: (fileName.split('/')[0] as string);
					assert.ok(
						declared.has(name),
						`${file} imports ${name}, which ${pkg}/package.json does not declare`,
					);
				}
			}
			if (pkg === 'library') {
				assert.deepEqual(
					[...declared].filter((name) => name.startsWith('@vouch/')),
					[],
				);
			}
		}
	});

	it('detects a synthetic import against the graph, of every kind', () => {
		const bad = new Map([
			[
				'packages/library/src/blacklist/x.ts',
				"import type { Registry } from '../registry/model.ts';",
			],
			['packages/library/src/core/x.ts', "export { runCli } from '../../../cli/src/run.ts';"],
			['packages/library/src/registry/x.ts', "const m = await import('../lifecycle/install.ts');"],
			['packages/library/src/git/x.ts', "import '../scan/index.ts';"],
			['packages/library/src/log/x.ts', "import { a } from '../tuf/ed25519.ts';"],
			['packages/library/src/lifecycle/x.ts', "import { a } from '../helpers/cli.ts';"],
			['packages/library/src/scan/x.ts', "import { a } from '@vouch/cli/run';"],
			['packages/library/src/tuf/x.ts', "import { a } from '@vouch/library/internal/core/errors';"],
			['packages/cli/src/run.ts', "import { a } from '../../library/src/core/errors.ts';"],
			['packages/library/src/newlayer/x.ts', "import { a } from '../core/errors.ts';"],
			['packages/library/src/manifest/x.ts', "import { b } from '../index.ts';"],
			['packages/host/src/x.ts', "import { run } from '@vouch/cli/run';"],
			['packages/host/src/y.ts', "import { a } from '../../library/src/core/errors.ts';"],
			['packages/cli/src/x.ts', "import { createPluginHost } from '@vouch/host';"],
		]);
		const found = layeringViolations(bad).map((violation) => violation.file);
		assert.deepEqual(found, [...bad.keys()]);
	});

	it('lets the allowed edges and packages through', () => {
		const good = new Map([
			[
				'packages/library/src/lifecycle/x.ts',
				"import { a } from '../registry/index.ts';\nimport { z } from 'zod';",
			],
			['packages/cli/src/x.ts', "import { b } from '@vouch/library/internal/lifecycle/install';"],
			[
				'packages/cli/src/commands/y.ts',
				"import { b } from '@vouch/library';\nimport { c } from '../x.ts';",
			],
			['packages/library/src/index.ts', "export { c } from './blacklist/index.ts';"],
			[
				'packages/library/src/registry/x.ts',
				"import type { BlacklistEntry } from '../blacklist/entry.ts';",
			],
			[
				'packages/library/src/scan/engine/x.ts',
				"import { d } from '../../core/errors.ts';\nimport { e } from './y.ts';",
			],
		]);
		assert.deepEqual(layeringViolations(good), []);
	});

	it('gives a reason for every allowed edge', () => {
		for (const layer of LAYERS) {
			for (const [to, reason] of Object.entries(ALLOWED[layer])) {
				assert.ok(typeof reason === 'string' && reason.length > 10, `${layer} -> ${to}`);
			}
		}
	});
});
