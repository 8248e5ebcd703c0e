/**
 * "Dependencies point downwards" (docs/design/architecture.md): the CLI uses the library;
 * `lifecycle` uses `registry`, `blacklist`, `manifest`, `git`, `tuf` and `scan`; everything
 * uses `core`; nothing imports `cli`; `src/index.ts` is the façade. Every import under `src/`
 * (static, type-only, re-export and dynamic) is read with TypeScript's own pre-processor and
 * checked against the graph below. A rule written in the wrong layer is how one policy ends
 * up with two homes, so an edge outside this graph fails the suite.
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
	'registry',
	'lifecycle',
	'cli',
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
	'registry',
	'lifecycle',
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
	tuf: {
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
		registry: 'architecture.md: lifecycle uses registry',
	},
	cli: Object.fromEntries(LIBRARY.map((layer) => [layer, 'the CLI uses the library'])),
	facade: Object.fromEntries(LIBRARY.map((layer) => [layer, 'the façade exports the library'])),
};

/** `src/<folder>/...` is that folder's layer; `src/index.ts` is the façade. */
function layerOf(path: string): Layer | undefined {
	const parts = path.split('/');
	if (parts[0] !== 'src') return undefined;
	if (parts.length === 2) return parts[1] === 'index.ts' ? 'facade' : undefined;
	return (LAYERS as readonly string[]).includes(parts[1] as string)
		? (parts[1] as Layer)
		: undefined;
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
			// Packages (`node:fs`, `zod`...) are not layers.
			if (!fileName.startsWith('.')) continue;
			const target = posix.normalize(posix.join(posix.dirname(file), fileName));
			const to = layerOf(target);
			if (to === undefined) {
				violations.push({ file, imports: fileName, why: 'it reaches outside the layers of src/' });
			} else if (to !== from && to !== 'core' && ALLOWED[from][to] === undefined) {
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

describe('layering (architecture.md: dependencies point downwards)', () => {
	it('every import under src/ follows the layer graph', () => {
		const files = sourceFiles(join(ROOT, 'src'), ROOT);
		assert.ok(files.size > 100, `expected the whole source tree, read ${files.size} files`);
		assert.deepEqual(layeringViolations(files), []);
	});

	it('detects a synthetic import against the graph, of every kind', () => {
		const bad = new Map([
			['src/blacklist/x.ts', "import type { Registry } from '../registry/model.ts';"],
			['src/core/x.ts', "export { runCli } from '../cli/run.ts';"],
			['src/registry/x.ts', "const m = await import('../lifecycle/install.ts');"],
			['src/git/x.ts', "import '../scan/index.ts';"],
			['src/lifecycle/x.ts', "import { a } from '../../test/helpers/cli.ts';"],
			['src/newlayer/x.ts', "import { a } from '../core/errors.ts';"],
			['src/manifest/x.ts', "import { b } from '../index.ts';"],
		]);
		const found = layeringViolations(bad).map((violation) => violation.file);
		assert.deepEqual(found, [...bad.keys()]);
	});

	it('lets the allowed edges and packages through', () => {
		const good = new Map([
			['src/lifecycle/x.ts', "import { a } from '../registry/index.ts';\nimport { z } from 'zod';"],
			['src/cli/x.ts', "import { b } from '../lifecycle/install.ts';"],
			['src/index.ts', "export { c } from './blacklist/index.ts';"],
			['src/registry/x.ts', "import type { BlacklistEntry } from '../blacklist/entry.ts';"],
			[
				'src/scan/engine/x.ts',
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
