/**
 * The packages as a stranger gets them: each is packed with `npm pack`, the tarballs are
 * installed into a fresh project with no TypeScript tooling, and then plain `node` imports the
 * library and runs the `vouch` bin, and a consumer's `.ts` file type-checks against the
 * shipped declarations. The install prefers the npm cache that `npm ci` filled (the packages'
 * tarballs); npm may still ask the npm registry for a package's version list, as any user's
 * install does.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { sourceRoot } from '../helpers/source-root.ts';

const ROOT = sourceRoot(fileURLToPath(new URL('../../', import.meta.url)));
const PACKAGES = ['@vouch/library', '@vouch/cli', '@vouch/host'] as const;
const PICARD_REGISTRY = join(ROOT, 'packages/library/test/fixtures/registries/picard-plugins.toml');
const PICARD_MANIFEST = join(
	ROOT,
	'packages/library/test/fixtures/manifests/picard/replaygain2.toml',
);

interface PackResult {
	name: string;
	filename: string;
	files: { path: string }[];
}

function run(command: string, args: string[], cwd: string): string {
	return execFileSync(command, args, {
		cwd,
		encoding: 'utf8',
		// The consumer project must not borrow this repository's tools through the environment.
		env: { PATH: process.env.PATH, HOME: process.env.HOME, npm_config_update_notifier: 'false' },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
}

/**
 * What `tsc -p tsconfig.json` reports in `project`, but with only the files that are the point
 * checked in full: the project's own files and the shipped `@vouch/*` declarations (an error
 * inside one of those, such as an import of a package the consumer does not get, is reported).
 * The other declarations (TypeScript's libraries, `@types/node`, zod) are still loaded, and
 * checked as far as those files use them, but not each in full: that was three quarters of the
 * time of a plain `tsc`, and proves nothing about Vouch. It is `skipLibCheck` for every
 * declaration file but Vouch's own.
 */
function typeCheck(project: string): string {
	const config = ts.getParsedCommandLineOfConfigFile(
		join(project, 'tsconfig.json'),
		{},
		{
			...ts.sys,
			onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
				throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
			},
		},
	);
	assert.ok(config !== undefined);
	const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
	const ours = program
		.getSourceFiles()
		.filter(
			(file) =>
				!file.fileName.includes('/node_modules/') ||
				file.fileName.includes('/node_modules/@vouch/'),
		);
	assert.ok(
		ours.some((file) => file.fileName.endsWith('/node_modules/@vouch/library/dist/index.d.ts')),
		'the consumer resolves the shipped declarations',
	);
	const diagnostics = [
		...config.errors,
		...program.getOptionsDiagnostics(),
		...program.getGlobalDiagnostics(),
		...program.getSyntacticDiagnostics(),
		...ours.flatMap((file) => program.getSemanticDiagnostics(file)),
	];
	return ts.formatDiagnostics(diagnostics, {
		getCanonicalFileName: (name) => name,
		getCurrentDirectory: () => project,
		getNewLine: () => '\n',
	});
}

describe('the packed packages in a fresh project', () => {
	let work: string;
	let project: string;
	const packed = new Map<string, PackResult>();

	before(() => {
		work = mkdtempSync(join(tmpdir(), 'vouch-pack-'));
		project = join(work, 'consumer');
		// `npm test` builds first (pretest), so the scripts need not run again here: a second
		// build would rewrite dist/ under the tests that run the bin at the same time.
		const args = ['pack', '--json', '--ignore-scripts', '--pack-destination', work];
		for (const name of PACKAGES) args.push('--workspace', name);
		for (const result of JSON.parse(run('npm', args, ROOT)) as PackResult[]) {
			packed.set(result.name, result);
		}
		execFileSync('mkdir', ['-p', project]);
		writeFileSync(
			join(project, 'package.json'),
			JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }),
		);
		const tarballs = PACKAGES.map((name) => join(work, packed.get(name)?.filename ?? ''));
		run(
			'npm',
			[
				'install',
				'--prefer-offline',
				'--no-audit',
				'--no-fund',
				...tarballs,
				'@types/node@20.19.43',
			],
			project,
		);
	});

	after(() => rmSync(work, { recursive: true, force: true }));

	it('ships only what runs: compiled code, declarations, the bin and the grammars', () => {
		for (const name of PACKAGES) {
			const files = packed.get(name)?.files.map((file) => file.path) ?? [];
			assert.ok(files.includes('package.json'), `${name} has no package.json`);
			const stray = files.filter(
				(path) => !/^(dist\/|bin\/|runner\/|package\.json$|README\.md$|LICENSE$)/.test(path),
			);
			assert.deepEqual(stray, [], `${name} ships files outside dist/ and bin/`);
			assert.ok(!files.some((path) => /\.test\.|(^|\/)test\//.test(path)), `${name} ships tests`);
			assert.ok(!files.some((path) => path.endsWith('.ts') && !path.endsWith('.d.ts')));
		}
		const library = packed.get('@vouch/library')?.files.map((file) => file.path) ?? [];
		assert.ok(library.includes('dist/index.js') && library.includes('dist/index.d.ts'));
		assert.ok(library.includes('dist/grammars/tree-sitter-python.wasm'));
		const host = packed.get('@vouch/host')?.files.map((file) => file.path) ?? [];
		assert.ok(host.includes('dist/index.js') && host.includes('runner/child.mjs'));
	});

	it('plain node imports the host package, and its runner sits where it looks for it', () => {
		const out = run(
			process.execPath,
			[
				'--input-type=module',
				'-e',
				"import { createPluginHost, RUNNER_PATH } from '@vouch/host'; import { existsSync } from 'node:fs'; console.log(typeof createPluginHost, existsSync(RUNNER_PATH));",
			],
			project,
		);
		assert.equal(out.trim(), 'function true');
	});

	it('installs without tsx or the grammar packages and their native builds', () => {
		for (const absent of ['tsx', 'typescript', 'tree-sitter-python', 'tree-sitter-typescript']) {
			assert.ok(!existsSync(join(project, 'node_modules', absent)), `${absent} was installed`);
		}
		const manifest = JSON.parse(
			readFileSync(join(project, 'node_modules/@vouch/library/package.json'), 'utf8'),
		) as { exports: Record<string, unknown> };
		assert.ok(manifest.exports['.'], 'the library has an exports map');
	});

	it('plain node imports the library and does real work with it', () => {
		const script = `
			import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
			import { tmpdir } from 'node:os';
			import { join } from 'node:path';
			import * as vouch from '@vouch/library';
			const registry = vouch.parseRegistryText(readFileSync(${JSON.stringify(PICARD_REGISTRY)}, 'utf8'), { label: 'picard' });
			const blacklist = vouch.compileBlacklist(registry.blacklist);
			const manifest = vouch.parseManifestText(readFileSync(${JSON.stringify(PICARD_MANIFEST)}, 'utf8'), 'MANIFEST.toml');
			const dir = mkdtempSync(join(tmpdir(), 'vouch-scan-'));
			writeFileSync(join(dir, '__init__.py'), 'import os\\nos.system("id")\\n');
			const report = await vouch.scanPlugin(dir);
			console.log(JSON.stringify({
				plugins: registry.plugins.length,
				blocked: blacklist.check({ url: 'https://github.com/x/y' }).blocked,
				manifestOk: manifest.errors.length === 0,
				rules: report.findings.map((finding) => finding.ruleId),
			}));
		`;
		writeFileSync(join(project, 'use.mjs'), script);
		const out = JSON.parse(run(process.execPath, ['use.mjs'], project)) as {
			plugins: number;
			blocked: boolean;
			manifestOk: boolean;
			rules: string[];
		};
		assert.ok(out.plugins > 20, `read ${out.plugins} plugins from the Picard registry`);
		assert.equal(out.blocked, false);
		assert.equal(out.manifestOk, true);
		assert.ok(
			out.rules.some((rule) => rule.startsWith('process')),
			out.rules.join(', '),
		);
	});

	it('the vouch bin runs with plain node', () => {
		const bin = join(project, 'node_modules', '.bin', 'vouch');
		assert.match(run(bin, ['--version'], project), /^\d+\.\d+\.\d+/);
		const checked = JSON.parse(
			run(
				bin,
				['check-blacklist', 'https://github.com/x/y', '--registry', PICARD_REGISTRY, '--json'],
				project,
			),
		) as { ok: boolean };
		assert.equal(checked.ok, true);
		assert.match(run(bin, ['validate', PICARD_MANIFEST], project), /valid/i);
	});

	it('the bundled bin finds the installed grammars, in its own thread and in a scan worker', () => {
		// The bin is a bundle: the grammars are not beside its modules but in the installed
		// library package, and the grammar packages themselves are not installed here.
		const bin = join(project, 'node_modules', '.bin', 'vouch');
		const dir = mkdtempSync(join(tmpdir(), 'vouch-bin-scan-'));
		writeFileSync(join(dir, '__init__.py'), 'import subprocess\nsubprocess.run(["id"])\n');
		let report: { findings: { ruleId: string }[] };
		try {
			// A finding exits non-zero with --fail-on; without it the scan reports and exits 0.
			report = JSON.parse(run(bin, ['scan', dir, '--json'], project)) as typeof report;
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
		assert.ok(
			report.findings.some((finding) => finding.ruleId.startsWith('process')),
			JSON.stringify(report.findings.map((finding) => finding.ruleId)),
		);
		const worker = join(project, 'node_modules/@vouch/cli/dist/bundle/scan-worker.js');
		const answer = run(
			process.execPath,
			[
				'--input-type=module',
				'-e',
				`import { Worker } from 'node:worker_threads';
				const worker = new Worker(${JSON.stringify(worker)}, { execArgv: [] });
				worker.on('message', (reply) => { console.log(reply.kind); worker.terminate(); });
				worker.on('error', (error) => { console.log('error ' + error.message); });`,
			],
			project,
		);
		assert.equal(answer.trim(), 'ready');
	});

	it('a consumer .ts file type-checks against the shipped declarations', () => {
		// One program checks both files: the good one must have no error at all, the wrong one
		// exactly the one it makes.
		writeFileSync(
			join(project, 'tsconfig.json'),
			JSON.stringify({
				compilerOptions: {
					target: 'ES2023',
					module: 'NodeNext',
					moduleResolution: 'NodeNext',
					strict: true,
					noEmit: true,
				},
				files: ['consumer.ts', 'wrong.ts'],
			}),
		);
		const good = `
			import {
				createVouch,
				hasCode,
				type Manifest,
				parseManifestText,
				type StartupReport,
				type TrustLevel,
			} from '@vouch/library';
			const result = parseManifestText('uuid = "x"', 'MANIFEST.toml');
			const manifest: Manifest | undefined = result.manifest;
			const level: TrustLevel = 'community';
			export async function start(): Promise<StartupReport | string> {
				const vouch = createVouch({ profile: 'picard' });
				try {
					return await vouch.startupCheck();
				} catch (error) {
					// hasCode narrows: the code below is typed as the one asked for.
					if (hasCode(error, 'STATE_LOCKED')) return error.code satisfies 'STATE_LOCKED';
					throw error;
				}
			}
			export const seen: [Manifest | undefined, TrustLevel] = [manifest, level];
		`;
		writeFileSync(join(project, 'consumer.ts'), good);
		// The same check must fail on a wrong use, or it proves nothing.
		writeFileSync(join(project, 'wrong.ts'), `${good}\nexport const wrong: TrustLevel = 'best';\n`);
		const output = typeCheck(project);
		const errors = output.split('\n').filter((line) => /error TS\d+/.test(line));
		assert.equal(errors.length, 1, output);
		assert.match(errors[0] ?? '', /^wrong\.ts\(\d+,\d+\): error TS2322:/, output);
	});
});
