/**
 * `registry validate` of the real Picard registry against local copies of its plugin
 * repositories: one git repository per plugin, holding the plugin's real MANIFEST.toml where we
 * have it (else one written from its registry entry) and tags matching its versioning scheme.
 * A copy of the registry points at them by relative path, as an offline mirror would.
 *
 * The baseline, measured in the same run, is the least any repository check must do: for each
 * repository in turn, `git ls-remote` and `git clone --depth 1`. Validate does more (one fetch of
 * every branch and tag, MANIFEST.toml read at every ref and version tag, the lint rules), so the
 * sequential figure says what that costs; the concurrent one what a maintainer waits.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createGit } from '../packages/library/src/git/git.ts';
import { createRegistryProbe } from '../packages/library/src/lifecycle/registry-probe.ts';
import { digestTree } from '../packages/library/src/lifecycle/store/digest.ts';
import { anchorLocalPaths } from '../packages/library/src/registry/local-paths.ts';
import type { Registry } from '../packages/library/src/registry/model.ts';
import { parseRegistryText } from '../packages/library/src/registry/parse.ts';
import { validateRegistry } from '../packages/library/src/registry/validate/validate.ts';
import { type Figure, formatMs, printFigures } from './measure.ts';

const FIXTURES = new URL('../packages/library/test/fixtures/', import.meta.url).pathname;
const REGISTRY = join(FIXTURES, 'registries/picard-plugins.toml');
const MANIFESTS = join(FIXTURES, 'manifests/picard');
const TAGS = ['v1.0.0', 'v1.1.0', 'v2.0.0'];
const RUNS = 3;

const GIT_ENV: NodeJS.ProcessEnv = {
	PATH: process.env.PATH,
	HOME: '/nonexistent',
	GIT_CONFIG_GLOBAL: '/dev/null',
	GIT_CONFIG_NOSYSTEM: '1',
	GIT_AUTHOR_NAME: 'Bench',
	GIT_AUTHOR_EMAIL: 'bench@example.invalid',
	GIT_COMMITTER_NAME: 'Bench',
	GIT_COMMITTER_EMAIL: 'bench@example.invalid',
	GIT_TERMINAL_PROMPT: '0',
};

function git(cwd: string, args: string[]): string {
	return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8', stdio: 'pipe' });
}

function manifestFor(plugin: Registry['plugins'][number]): string {
	const real = join(MANIFESTS, `${plugin.id}.toml`);
	if (existsSync(real)) return readFileSync(real, 'utf8');
	return [
		`uuid = ${JSON.stringify(plugin.uuid)}`,
		`name = ${JSON.stringify(plugin.name)}`,
		`description = ${JSON.stringify(plugin.description)}`,
		`authors = ${JSON.stringify(plugin.authors.length > 0 ? plugin.authors : ['Unknown'])}`,
		'api = ["3.0"]',
		'',
	].join('\n');
}

/** One repository per plugin under `<root>/repos/`, and the registry copy pointing at them. */
function buildMirror(root: string): { file: string; repos: string[] } {
	const text = readFileSync(REGISTRY, 'utf8');
	const registry = parseRegistryText(text, { label: REGISTRY });
	const repos: string[] = [];
	for (const plugin of registry.plugins) {
		const dir = join(root, 'repos', plugin.id);
		mkdirSync(dir, { recursive: true });
		git(dir, ['init', '-q', '-b', 'main']);
		writeFileSync(join(dir, 'MANIFEST.toml'), manifestFor(plugin));
		for (const [i, tag] of TAGS.entries()) {
			writeFileSync(join(dir, '__init__.py'), `VERSION = ${JSON.stringify(tag)}\n# ${i}\n`);
			git(dir, ['add', '-A']);
			git(dir, ['commit', '-q', '-m', tag]);
			git(dir, ['tag', tag]);
		}
		repos.push(dir);
	}
	// Only the git_url lines change: the rest of the real file is read as it is.
	let index = 0;
	const mirrored = text.replace(/^git_url = .*$/gm, () => {
		const plugin = registry.plugins[index++];
		return `git_url = ${JSON.stringify(`repos/${plugin?.id}`)}`;
	});
	const file = join(root, 'plugins.toml');
	writeFileSync(file, mirrored);
	return { file, repos };
}

async function validateOnce(file: string, concurrency: number) {
	const text = readFileSync(file, 'utf8');
	const registry = anchorLocalPaths(parseRegistryText(text, { label: file }), dirname(file));
	const start = process.hrtime.bigint();
	const report = await validateRegistry(registry, {
		transport: { kind: 'registry-git', registryIsLocal: true },
		concurrency,
		probe: createRegistryProbe({
			git: createGit({ env: GIT_ENV }),
			digest: (dir) => digestTree(dir),
			makeTempDir: () => mkdtemp(join(tmpdir(), 'vouch-bench-validate-')),
			removeDir: (dir) => rm(dir, { recursive: true, force: true }),
		}),
	});
	const ms = Number(process.hrtime.bigint() - start) / 1e6;
	if (report.errors.length > 0) {
		throw new Error(`validate found errors: ${JSON.stringify(report.errors.slice(0, 3))}`);
	}
	return { ms, report };
}

function baselineOnce(repos: readonly string[]): number {
	const scratch = mkdtempSync(join(tmpdir(), 'vouch-bench-baseline-'));
	const start = process.hrtime.bigint();
	for (const [i, repo] of repos.entries()) {
		git(scratch, ['ls-remote', '--', repo]);
		git(scratch, ['clone', '-q', '--depth', '1', '--', `file://${repo}`, join(scratch, `c${i}`)]);
	}
	const ms = Number(process.hrtime.bigint() - start) / 1e6;
	rmSync(scratch, { recursive: true, force: true });
	return ms;
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)] as number;
}

export interface RegistryValidateResult {
	plugins: number;
	figures: Figure[];
	/** Per plugin, from the last sequential run: its repository checks, in ms. */
	perPlugin: { id: string; ms: number }[];
}

export async function runRegistryValidateBench(): Promise<RegistryValidateResult> {
	const root = mkdtempSync(join(tmpdir(), 'vouch-bench-mirror-'));
	try {
		const { file, repos } = buildMirror(root);
		const n = repos.length;
		const sequential: number[] = [];
		const concurrent: number[] = [];
		const baseline: number[] = [];
		let perPlugin: RegistryValidateResult['perPlugin'] = [];
		for (let run = 0; run < RUNS; run++) {
			baseline.push(baselineOnce(repos));
			const one = await validateOnce(file, 1);
			sequential.push(one.ms);
			perPlugin = one.report.plugins.map((p) => ({ id: p.id, ms: p.durationMs }));
			concurrent.push((await validateOnce(file, 4)).ms);
		}
		const base = median(baseline) / n;
		const figures: Figure[] = [
			{
				name: 'validate, per plugin, 1 at a time',
				ms: median(sequential) / n,
				baselineName: 'ls-remote + clone --depth 1',
				baselineMs: base,
			},
			{
				name: 'validate, per plugin, 4 at a time',
				ms: median(concurrent) / n,
				baselineName: 'ls-remote + clone --depth 1',
				baselineMs: base,
			},
		];
		printFigures(
			`Registry validate: the real Picard registry, ${n} local repositories (${TAGS.length} tags each)`,
			figures,
		);
		const slowest = [...perPlugin].sort((a, b) => b.ms - a.ms).slice(0, 3);
		console.log(
			`  slowest plugins (1 at a time): ${slowest.map((p) => `${p.id} ${formatMs(p.ms)}`).join(', ')}`,
		);
		return { plugins: n, figures, perPlugin };
	} finally {
		rmSync(root, { recursive: true, force: true });
	}
}

if (import.meta.url === `file://${process.argv[1]}`) await runRegistryValidateBench();
