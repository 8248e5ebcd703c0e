/**
 * The Node host's isolated mode, each figure beside a baseline from the same run:
 * - cold start of an isolated plugin (fork to `enable` answered) against `node -e 0`
 *   (target: at most 1.5x);
 * - resident memory of one isolated plugin process (target: at most 45 MB);
 * - one round trip (ping) over an isolated plugin's channel (target: at most 150 µs), beside
 *   its floors: a bare Node IPC echo, a raw pipe echo and a JSON line echo on fd 3, and an
 *   in-process async call (`host-round-trip.ts`);
 * - 20 isolated plugins at once: total resident memory and the time until all are enabled.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { FORK_PLUGIN, startIsolatedPlugin } from '../packages/host/src/isolated-plugin.ts';
import { planPlugin } from '../packages/host/src/plugin-plan.ts';
import type { RunningPlugin } from '../packages/host/src/running-plugin.ts';
import { SYSTEM_TIMERS } from '../packages/host/src/timers.ts';
import { tempDir, writePlugin } from '../packages/host/test/helpers/plugins.ts';
import { measureRoundTrips, type RoundTripFigures } from './host-round-trip.ts';
import { type Figure, formatMs, printFigures } from './measure.ts';

export interface HostBenchResult {
	coldStart: { medianMs: number; baselineMs: number; ratio: number; targetRatio: number };
	rssPerPluginMb: number;
	roundTrip: {
		medianUs: number;
		inProcessUs: number;
		bareIpcUs: number;
		rawPipeUs: number;
		jsonLineUs: number;
		targetUs: number;
		/** Every kind's median and quickest round, and how busy the machine was. */
		detail: RoundTripFigures;
	};
	twenty: { totalRssMb: number; allEnabledMs: number };
	figures: Figure[];
}

const RUNS = 9;

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)] as number;
}

function rssMb(pid: number): number {
	const line = readFileSync(`/proc/${pid}/status`, 'utf8')
		.split('\n')
		.find((l) => l.startsWith('VmRSS:'));
	return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) / 1024;
}

export async function runHostBench(): Promise<HostBenchResult> {
	const root = tempDir('vouch-host-bench-');
	const plugins = Array.from({ length: 20 }, (_, i) =>
		writePlugin(join(root, 'plugins'), {
			name: `bench-${i}`,
			code: 'export async function enable() {}\n',
		}),
	);
	const plans = await Promise.all(
		plugins.map((p, i) =>
			planPlugin({ uuid: p.uuid, name: `bench-${i}`, path: p.dir }, join(root, 'data'), {
				checkSymlinks: true,
			}),
		),
	);
	const start = (index: number): RunningPlugin =>
		startIsolatedPlugin({
			plan: plans[index] as (typeof plans)[number],
			api: {},
			fetch,
			timers: SYSTEM_TIMERS,
			readGrants: [],
			consented: [],
			heapMb: 64,
			fork: FORK_PLUGIN,
			onOutput: () => {},
		});

	const cold: number[] = [];
	const baseline: number[] = [];
	let rss = 0;
	let roundTrips: RoundTripFigures | undefined;
	for (let run = 0; run < RUNS; run++) {
		let t = process.hrtime.bigint();
		spawnSync(process.execPath, ['-e', '0']);
		baseline.push(Number(process.hrtime.bigint() - t) / 1e6);
		t = process.hrtime.bigint();
		const plugin = start(0);
		await plugin.enable(30_000);
		cold.push(Number(process.hrtime.bigint() - t) / 1e6);
		if (run === RUNS - 1) {
			rss = rssMb(plugin.pid as number);
			roundTrips = await measureRoundTrips(() => plugin.ping(30_000), root);
		}
		plugin.kill();
	}
	if (roundTrips === undefined) throw new Error('no round trips were measured');
	const { medianUs, bestUs } = roundTrips;
	const roundTripUs = medianUs.ping;

	const began = process.hrtime.bigint();
	const all = plugins.map((_, i) => start(i));
	await Promise.all(all.map((plugin) => plugin.enable(60_000)));
	const allEnabledMs = Number(process.hrtime.bigint() - began) / 1e6;
	const totalRssMb = all.reduce((sum, plugin) => sum + rssMb(plugin.pid as number), 0);
	for (const plugin of all) plugin.kill();

	const coldMs = median(cold);
	const baselineMs = median(baseline);
	const figures: Figure[] = [
		{
			name: 'isolated plugin cold start (fork to enabled)',
			ms: coldMs,
			baselineName: 'node -e 0',
			baselineMs,
			targetMs: baselineMs * 1.5,
		},
		{
			name: 'channel round trip (ping)',
			ms: roundTripUs / 1000,
			baselineName: 'in-process async call',
			baselineMs: medianUs.inProcess / 1000,
			targetMs: 0.15,
		},
		{
			name: 'channel round trip (ping)',
			ms: roundTripUs / 1000,
			baselineName: 'bare Node IPC echo',
			baselineMs: medianUs.bareIpc / 1000,
		},
		{
			name: 'channel round trip (ping)',
			ms: roundTripUs / 1000,
			baselineName: 'raw fd-3 pipe echo',
			baselineMs: medianUs.rawPipe / 1000,
		},
		{
			name: 'channel round trip (ping)',
			ms: roundTripUs / 1000,
			baselineName: 'JSON line echo on fd 3',
			baselineMs: medianUs.jsonLine / 1000,
		},
		{
			name: '20 isolated plugins, all enabled',
			ms: allEnabledMs,
			baselineName: 'one cold start',
			baselineMs: coldMs,
		},
	];
	printFigures('Node host, isolated mode', figures);
	console.log(
		`  resident memory of one isolated plugin:   ${rss.toFixed(1)} MB  target <= 45 MB: ${rss <= 45 ? 'met' : 'MISSED'}`,
	);
	console.log(
		`  resident memory of 20 isolated plugins:   ${totalRssMb.toFixed(1)} MB (${(totalRssMb / 20).toFixed(1)} MB each)`,
	);
	const us = (value: number) => `${value.toFixed(0)} µs`;
	console.log(
		`  round trips, median of ${roundTrips.rounds} interleaved rounds of ${roundTrips.perRound} (quickest round): ` +
			`ping ${us(medianUs.ping)} (${us(bestUs.ping)}), bare IPC ${us(medianUs.bareIpc)} (${us(bestUs.bareIpc)}), ` +
			`raw pipe ${us(medianUs.rawPipe)} (${us(bestUs.rawPipe)}), JSON lines ${us(medianUs.jsonLine)} (${us(bestUs.jsonLine)})`,
	);
	console.log(
		`  load average ${roundTrips.load.before.toFixed(1)} before, ${roundTrips.load.after.toFixed(1)} after, on ${cpus().length} cores`,
	);
	console.log(
		`  cold start ${formatMs(coldMs)} is ${(coldMs / baselineMs).toFixed(2)}x node -e 0 (target 1.5x)`,
	);
	return {
		coldStart: { medianMs: coldMs, baselineMs, ratio: coldMs / baselineMs, targetRatio: 1.5 },
		rssPerPluginMb: rss,
		roundTrip: {
			medianUs: roundTripUs,
			inProcessUs: medianUs.inProcess,
			bareIpcUs: medianUs.bareIpc,
			rawPipeUs: medianUs.rawPipe,
			jsonLineUs: medianUs.jsonLine,
			targetUs: 150,
			detail: roundTrips,
		},
		twenty: { totalRssMb, allEnabledMs },
		figures,
	};
}
