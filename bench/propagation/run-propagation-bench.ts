/**
 * Issue 13 §4: how fast a blacklist decision reaches every host. The real service (SQLite,
 * signing with its publisher) serves a signed registry; simulated hosts (`simulated-host.ts`)
 * poll `timestamp.json` with ETags at a scaled-down interval, from random phases. Once all poll,
 * a maintainer adds a blacklist entry through the admin API at T0, and the bench measures the
 * publish, the time until 50/90/99/100% of the hosts block their plugin (also in intervals,
 * beside the target of 1.2 intervals plus the publish), the bytes per poll and the request rate.
 * Baselines from the same run: one conditional GET alone, and one host's refresh alone.
 *
 * `VOUCH_BENCH_HOSTS` (default 1000), `VOUCH_BENCH_POLL_MS` (300000), `VOUCH_BENCH_WORKERS` (2).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRegistryText } from '../../packages/library/src/registry/parse.ts';
import { initKeys } from '../../packages/library/src/tuf/repository/init-keys.ts';
import { type RunningService, startService } from '../../packages/server/src/service.ts';
import { syntheticRegistryToml } from '../synthetic.ts';
import { countingFetch } from './counting-fetch.ts';
import {
	enforcementSpread,
	type PropagationResult,
	printPropagation,
	quantile,
	shareFigures,
	summariseTraffic,
	TARGET_INTERVALS,
} from './figures.ts';
import { startHostPool } from './host-pool.ts';
import { createSimulatedHost } from './simulated-host.ts';

export interface PropagationOptions {
	hosts?: number;
	pollMs?: number;
	workers?: number;
	plugins?: number;
	/** How long after the decision the bench waits for the last host before it gives up. */
	giveUpMs?: number;
	/** Print the table (the bench does; a test need not). */
	print?: boolean;
}

const ACTOR = { name: 'bench', role: 'admin' } as const;

function envNumber(name: string, fallback: number): number {
	const value = Number(process.env[name] ?? fallback);
	if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
	return value;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runPropagationBench(
	options: PropagationOptions = {},
): Promise<PropagationResult> {
	const hosts = Math.floor(options.hosts ?? envNumber('VOUCH_BENCH_HOSTS', 1000));
	const pollMs = options.pollMs ?? envNumber('VOUCH_BENCH_POLL_MS', 300_000);
	const workers = Math.min(
		hosts,
		Math.floor(options.workers ?? envNumber('VOUCH_BENCH_WORKERS', 2)),
	);
	const plugins = options.plugins ?? 50;
	const dir = await mkdtemp(join(tmpdir(), 'vouch-bench-propagation-'));
	try {
		const keysDir = join(dir, 'keys');
		await initKeys({ dir: keysDir });
		// No official entries: they must be pinned to a reviewed release (D19b) to be published.
		const registryText = syntheticRegistryToml(plugins).replaceAll(
			'trust_level = "official"',
			'trust_level = "trusted"',
		);
		const registry = parseRegistryText(registryText, { label: 'bench', format: 'toml' });
		// A community plugin: one maintainer's hard entry by hand may not block a trusted one (D22).
		const installed = registry.plugins.find((plugin) => plugin.trustLevel === 'community');
		if (installed === undefined) throw new Error('the bench registry has no community plugin');
		const service = await startService({
			dataDir: join(dir, 'data'),
			keysDir,
			port: 0,
			// Every simulated host comes from 127.0.0.1: a per-address budget would count them as one.
			limits: { rateLimit: false },
		});
		try {
			await service.store.importText(registryText, ACTOR, 'benchmark registry');
			await publishPending(service);
			return await simulate(service, {
				dir,
				hosts,
				pollMs,
				workers,
				plugins,
				plugin: { url: installed.gitUrl, uuid: installed.uuid },
				giveUpMs: options.giveUpMs ?? Math.max(20 * pollMs, 600_000),
				print: options.print ?? true,
			});
		} finally {
			await service.close();
		}
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}

async function publishPending(service: RunningService): Promise<void> {
	const current = await service.store.document();
	await service.publisher?.publishNow();
	await service.publisher?.waitForRevision(current?.revision ?? 1, { timeoutMs: 300_000 });
}

interface SimulationPlan {
	dir: string;
	hosts: number;
	pollMs: number;
	workers: number;
	plugins: number;
	plugin: { url: string; uuid: string };
	giveUpMs: number;
	print: boolean;
}

async function simulate(service: RunningService, plan: SimulationPlan): Promise<PropagationResult> {
	const timestampUrl = `${service.url}/tuf/metadata/timestamp.json`;
	// What every host ships: root 1, as an installer would carry it.
	const shippedRootPath = join(plan.dir, 'shipped-root.json');
	const root = await fetch(`${service.url}/tuf/metadata/1.root.json`);
	if (!root.ok) throw new Error(`root 1 answered ${root.status}`);
	await writeFile(shippedRootPath, new Uint8Array(await root.arrayBuffer()));

	const account = await service.accounts.create('maintainer-bench', 'maintainer');
	const token = await service.accounts.issueToken(account, 'propagation bench');
	const admin = (method: string, path: string, body: unknown) =>
		fetch(`${service.url}/api/v1/admin${path}`, {
			method,
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});

	// Baselines, before any load: one conditional GET, and one host's refresh after a change.
	const etag = (await fetch(timestampUrl)).headers.get('etag') ?? '';
	const conditional = await conditionalGetMs(timestampUrl, etag);
	const refreshAloneMs = await oneRefreshAlone(service, plan, shippedRootPath, admin);

	const pool = startHostPool({
		hosts: plan.hosts,
		workers: plan.workers,
		hostsDir: join(plan.dir, 'hosts'),
		shippedRootPath,
		serviceUrl: service.url,
		plugin: plan.plugin,
		pollMs: plan.pollMs,
		startConcurrency: 4,
	});
	let stopped = false;
	try {
		await pool.ready;
		const pollingSince = Date.now();
		pool.poll();
		// Every host has polled at least once, at its own phase, before the decision.
		await sleep(plan.pollMs * 1.2);

		const before = (await fetch(timestampUrl)).headers.get('etag');
		const decisionAt = Date.now();
		const response = await admin('POST', '/blacklist', {
			uuid: plan.plugin.uuid,
			reason: 'Propagation benchmark: sends the user data to a third party.',
			severity: 'hard',
			confirm: true,
		});
		const adminAnswerMs = Date.now() - decisionAt;
		if (response.status !== 201) {
			throw new Error(`the blacklist entry answered ${response.status}: ${await response.text()}`);
		}
		await response.arrayBuffer();
		const publishMs = (await newTimestampServed(timestampUrl, before)) - decisionAt;

		let giveUp: NodeJS.Timeout | undefined;
		await Promise.race([
			pool.enforced(plan.hosts),
			new Promise((resolve) => {
				giveUp = setTimeout(resolve, plan.giveUpMs);
			}),
		]);
		clearTimeout(giveUp);
		// A little more polling after the last host, so 304s after the change are counted too.
		await sleep(Math.min(plan.pollMs, 10_000));
		const traffic = await pool.stop();
		stopped = true;
		const seconds = (Date.now() - pollingSince) / 1000;

		const spread = enforcementSpread(pool.enforcements.values(), decisionAt);
		const shares = shareFigures(spread.enforced, plan.hosts, plan.pollMs);
		const targetMs = publishMs + TARGET_INTERVALS * plan.pollMs;
		const p99 = shares.find((figure) => figure.share === 0.99)?.ms ?? null;
		const result: PropagationResult = {
			hosts: plan.hosts,
			workers: plan.workers,
			plugins: plan.plugins,
			pollMs: plan.pollMs,
			adminAnswerMs,
			publishMs,
			enforced: pool.enforcements.size,
			shares,
			targetMs,
			targetMet: p99 !== null && p99 <= targetMs,
			detection: { p50: quantile(spread.detection, 0.5), p99: quantile(spread.detection, 0.99) },
			refresh: { p50: quantile(spread.refresh, 0.5), p99: quantile(spread.refresh, 0.99) },
			...summariseTraffic(traffic, seconds),
			simulatorLoad: (plan.hosts * refreshAloneMs) / (plan.workers * plan.pollMs),
			baseline: { conditionalGetMs: conditional, refreshAloneMs },
		};
		if (plan.print) printPropagation(result);
		return result;
	} finally {
		if (!stopped) await pool.stop().catch(() => undefined);
	}
}

/** p50 of sequential conditional GETs of timestamp.json on one keep-alive connection. */
async function conditionalGetMs(url: string, etag: string): Promise<number> {
	const agent = new Agent({ keepAlive: true, maxSockets: 1 });
	try {
		const fetchOnce = countingFetch(agent, () => {});
		const samples: number[] = [];
		for (let i = 0; i < 220; i++) {
			const start = process.hrtime.bigint();
			const response = await fetchOnce(url, { headers: { 'if-none-match': etag } });
			await response.arrayBuffer();
			if (response.status !== 304) throw new Error(`a conditional GET answered ${response.status}`);
			if (i >= 20) samples.push(Number(process.hrtime.bigint() - start) / 1e6);
		}
		return quantile(samples, 0.5);
	} finally {
		agent.destroy();
	}
}

/**
 * One host's refresh and check after a new timestamp, with nothing else running: a probe host
 * starts, an unrelated edit is published, and the probe's next refresh is timed.
 */
async function oneRefreshAlone(
	service: RunningService,
	plan: SimulationPlan,
	shippedRootPath: string,
	admin: (method: string, path: string, body: unknown) => Promise<Response>,
): Promise<number> {
	const probe = createSimulatedHost({
		dir: join(plan.dir, 'probe'),
		shippedRootPath,
		serviceUrl: service.url,
		plugin: plan.plugin,
		pollMs: plan.pollMs,
		onEnforced: () => {},
	});
	try {
		await probe.start();
		const response = await admin('PATCH', '/plugins/synthetic-plugin-1', {
			categories: ['other', 'ui'],
			reason: 'propagation bench: a change for the baseline refresh',
		});
		if (!response.ok) throw new Error(`the baseline edit answered ${response.status}`);
		await response.arrayBuffer();
		const start = process.hrtime.bigint();
		await probe.start();
		return Number(process.hrtime.bigint() - start) / 1e6;
	} finally {
		await probe.stop();
	}
}

/** Polls until timestamp.json differs from `before`; returns when it first did (Date.now). */
async function newTimestampServed(url: string, before: string | null): Promise<number> {
	for (;;) {
		const response = await fetch(url);
		await response.arrayBuffer();
		if (response.headers.get('etag') !== before) return Date.now();
		await sleep(5);
	}
}
