/**
 * Whole-process wall time of the compiled `vouch` command, against `node -e 0` measured in the
 * same rounds: what a user, or a host calling `vouch startup-check --json` at every start,
 * actually waits for. Node's own start-up is the floor no command can go under, so the figures
 * are ratios to it (targets: `--version` at most 2x; `check-blacklist` against the Picard
 * registry and `startup-check` over 20 installed plugins at most 3x).
 *
 * The CLI runs from `dist/` (built first when missing or older than its sources). The plugins
 * are installed for real, once, from repositories on a loopback git server into a temp profile.
 * The registry `check-blacklist` reads is the repository's copy of Picard's, or the file named
 * by VOUCH_BENCH_REGISTRY.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pluginWorkDeps } from '../packages/cli/src/lifecycle-context.ts';
import { installPlugin } from '../packages/library/src/lifecycle/install.ts';
import {
	createBenchWorld,
	createProfile,
	median,
	profileContext,
	registryEntry,
	servePlugin,
} from './lifecycle-fixtures.ts';
import { type Figure, formatMs } from './measure.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'packages', 'cli', 'bin', 'vouch.js');
/** The repository's copy of the real Picard registry, so the benchmark needs nothing else. */
export const PICARD_REGISTRY = join(
	ROOT,
	'packages/library/test/fixtures/registries/picard-plugins.toml',
);

export interface CommandTiming {
	name: string;
	argv: string[];
	medianMs: number;
	p90Ms: number;
	/** The median as a multiple of `node -e 0`'s median. */
	ratio: number;
	targetRatio?: number;
}

export interface CliStartupBenchResult {
	runs: number;
	plugins: number;
	/** Whether `npm run build` had to run first. */
	built: boolean;
	baseline: { medianMs: number; p90Ms: number };
	commands: CommandTiming[];
	/** Plugins `startup-check --json` cleared to load, in its first run. */
	startupLoaded: number;
	figures: Figure[];
}

interface Measured {
	name: string;
	argv: string[];
	env: NodeJS.ProcessEnv;
	targetRatio?: number;
	/** Throws when the run did not do what the figure claims. */
	check(run: { status: number | null; stdout: string; stderr: string }): void;
	times: number[];
}

export async function benchCliStartup(options: {
	runs: number;
	plugins: number;
	registry?: string;
}): Promise<CliStartupBenchResult> {
	const built = ensureBuilt();
	const registry = options.registry ?? process.env.VOUCH_BENCH_REGISTRY ?? PICARD_REGISTRY;
	const world = await createBenchWorld('vouch-bench-cli-');
	try {
		const profile = await installedProfile(world, options.plugins);
		let startupLoaded = -1;
		const commands: Measured[] = [
			{
				name: 'vouch --version',
				argv: ['--version'],
				env: profile.env,
				targetRatio: 2,
				check: (run) => expectExit(run, 0, /^\d+\.\d+\.\d+/),
				times: [],
			},
			{
				name: 'vouch check-blacklist <url> (Picard registry)',
				argv: ['check-blacklist', 'https://github.com/x/y', '--registry', registry, '--json'],
				env: profile.env,
				targetRatio: 3,
				check: (run) => {
					expectExit(run, 0, /"blocked":\s*false/);
				},
				times: [],
			},
			{
				name: `vouch startup-check --json (${options.plugins} plugins)`,
				argv: ['startup-check', '--json', '--registry', profile.registryFile],
				env: profile.env,
				targetRatio: 3,
				check: (run) => {
					expectExit(run, 0);
					const report = JSON.parse(run.stdout) as { load?: unknown[] };
					startupLoaded = Array.isArray(report.load) ? report.load.length : 0;
					if (startupLoaded !== options.plugins) {
						throw new Error(`startup-check cleared ${startupLoaded} of ${options.plugins}`);
					}
				},
				times: [],
			},
		];
		const baseline: number[] = [];
		// Rounds interleave every command, so a busy moment on the machine hits all alike. The
		// first round warms the file cache and is not counted.
		for (let round = 0; round <= options.runs; round++) {
			const node = timedProcess(['-e', '0'], process.env);
			if (round > 0) baseline.push(node.ms);
			for (const command of commands) {
				const run = timedProcess([BIN, ...command.argv], command.env);
				command.check(run);
				if (round > 0) command.times.push(run.ms);
			}
		}
		const baseMs = median(baseline);
		const timings = commands.map(
			(command): CommandTiming => ({
				name: command.name,
				argv: command.argv,
				medianMs: median(command.times),
				p90Ms: percentile(command.times, 0.9),
				ratio: median(command.times) / baseMs,
				...(command.targetRatio === undefined ? {} : { targetRatio: command.targetRatio }),
			}),
		);
		return {
			runs: options.runs,
			plugins: options.plugins,
			built,
			baseline: { medianMs: baseMs, p90Ms: percentile(baseline, 0.9) },
			commands: timings,
			startupLoaded,
			figures: timings.map((timing) => ({
				name: timing.name,
				ms: timing.medianMs,
				baselineName: 'node -e 0',
				baselineMs: baseMs,
				...(timing.targetRatio === undefined ? {} : { targetMs: baseMs * timing.targetRatio }),
			})),
		};
	} finally {
		await world.close();
	}
}

/** Runs the benchmark at full size and prints each command beside `node -e 0`. */
export async function runCliStartupBench(): Promise<CliStartupBenchResult> {
	const result = await benchCliStartup({ runs: 20, plugins: 20 });
	printCliStartup(result);
	return result;
}

export function printCliStartup(result: CliStartupBenchResult): void {
	console.log(
		`\nCLI start-up: whole-process wall time of the compiled command, median (p90) of ${result.runs} runs${result.built ? ' (built first)' : ''}`,
	);
	const { medianMs, p90Ms } = result.baseline;
	console.log(
		`  ${'node -e 0 (baseline)'.padEnd(50)} ${formatMs(medianMs).padStart(9)} (${formatMs(p90Ms)})`,
	);
	for (const command of result.commands) {
		const target =
			command.targetRatio === undefined
				? ''
				: `  target <= ${command.targetRatio}x: ${command.ratio <= command.targetRatio ? 'met' : 'MISSED'}`;
		console.log(
			`  ${command.name.padEnd(50)} ${formatMs(command.medianMs).padStart(9)} (${formatMs(command.p90Ms)})  ${command.ratio.toFixed(2)}x node -e 0${target}`,
		);
	}
	console.log(
		`  startup-check cleared ${result.startupLoaded} of ${result.plugins} installed plugins; the registry file is local, so nothing waits on a network`,
	);
}

/**
 * A temp profile with `count` community plugins installed through the real pipeline (clone,
 * manifest, scan, store), each from its own repository on the loopback server.
 */
async function installedProfile(
	world: Awaited<ReturnType<typeof createBenchWorld>>,
	count: number,
): Promise<{ env: NodeJS.ProcessEnv; registryFile: string }> {
	const served = Array.from({ length: count }, (_, i) => servePlugin(world, `cli-${i}`, 6));
	const profile = createProfile(
		world.root,
		'cli',
		served.map((plugin) => registryEntry(plugin, 'community')),
	);
	const context = await profileContext(profile);
	const deps = pluginWorkDeps(context, profile.io, false);
	for (const plugin of served) {
		const result = await installPlugin(
			{
				target: plugin.url,
				pre: false,
				reinstall: false,
				forceBlacklisted: false,
				allowInsecureTransport: false,
				allowStaleBlacklist: false,
				yes: true,
				enable: true,
			},
			deps,
		);
		if (!result.enabled) throw new Error(`${plugin.name} was installed but not enabled`);
	}
	context.reporter.done();
	return { env: profile.io.env, registryFile: profile.registryFile };
}

function timedProcess(
	argv: readonly string[],
	env: NodeJS.ProcessEnv,
): { ms: number; status: number | null; stdout: string; stderr: string } {
	const start = process.hrtime.bigint();
	const run = spawnSync(process.execPath, argv, { env, encoding: 'utf8', cwd: ROOT });
	const ms = Number(process.hrtime.bigint() - start) / 1e6;
	if (run.error !== undefined) throw run.error;
	return { ms, status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function expectExit(
	run: { status: number | null; stdout: string; stderr: string },
	code: number,
	stdout?: RegExp,
): void {
	if (run.status !== code || (stdout !== undefined && !stdout.test(run.stdout))) {
		throw new Error(
			`expected exit ${code}, got ${run.status}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`,
		);
	}
}

function percentile(values: readonly number[], fraction: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] as number;
}

/**
 * Builds the packages when a source was edited after the last build, so the figures are never
 * of yesterday's code. Returns whether it built. The bin's bundle is written last by every
 * build (tsc itself is incremental and leaves unchanged outputs alone), so its time is the
 * build's.
 */
export function ensureBuilt(): boolean {
	const bundle = join(ROOT, 'packages', 'cli', 'dist', 'bundle', 'bin.js');
	const stale =
		!existsSync(bundle) ||
		['library', 'cli'].some(
			(name) => newestMtime(join(ROOT, 'packages', name, 'src')) > statSync(bundle).mtimeMs,
		);
	if (!stale) return false;
	execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
	return true;
}

function newestMtime(dir: string): number {
	let newest = 0;
	for (const file of walk(dir, '.ts')) newest = Math.max(newest, statSync(file).mtimeMs);
	return newest;
}

function* walk(dir: string, suffix: string): Generator<string> {
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) yield* walk(path, suffix);
		else if (entry.name.endsWith(suffix)) yield path;
	}
}
