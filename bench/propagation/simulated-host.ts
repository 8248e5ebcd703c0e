/**
 * One simulated host: its own trusted state on disk, its own connection, one installed plugin.
 * It polls `timestamp.json` with `If-None-Match`; on a 200 it does what a real client does:
 * the library's TUF refresh (timestamp, snapshot, targets, the registry and blacklist targets,
 * the log, all verified), then the library's blacklist matcher on its plugin. Nothing is shared
 * with other hosts but code and the read-only root it ships with.
 */
import { Agent } from 'node:http';
import { join } from 'node:path';
import { compileBlacklist } from '../../packages/library/src/blacklist/compile.ts';
import type { PluginIdentity } from '../../packages/library/src/blacklist/types.ts';
import { parseRegistryText } from '../../packages/library/src/registry/parse.ts';
import {
	createTufVerifier,
	type TufVerifier,
} from '../../packages/library/src/tuf/client/verifier.ts';
import { countingFetch, type WireRecord } from './counting-fetch.ts';

export interface HostTraffic {
	/** Conditional polls answered 304, and their bytes. */
	polls304: number;
	bytes304: number;
	/** Polls answered 200 (a new timestamp), and the bytes of those responses alone. */
	polls200: number;
	bytes200: number;
	/** The refreshes the 200s started: their requests and bytes. */
	refreshes: number;
	refreshRequests: number;
	refreshBytes: number;
	/** Polls or refreshes that failed (the round is retried at the next tick). */
	errors: number;
	/** Failed rounds by error code (a Vouch error's code, else the message's start). */
	errorKinds: Record<string, number>;
	/** Requests made while polling, by wall-clock second: [second, count]. */
	perSecond: [number, number][];
}

export interface Enforcement {
	/** Wall-clock milliseconds (Date.now) of the 200 poll that saw the new timestamp. */
	detectedAt: number;
	/** When the check of the refreshed blacklist blocked the plugin. */
	enforcedAt: number;
	refreshMs: number;
}

export interface SimulatedHostOptions {
	dir: string;
	shippedRootPath: string;
	serviceUrl: string;
	plugin: PluginIdentity;
	pollMs: number;
	onEnforced(enforcement: Enforcement): void;
}

export interface SimulatedHost {
	/** The first refresh from the shipped root; returns whether the plugin is blocked already. */
	start(): Promise<boolean>;
	/** Starts polling after `phaseMs`, then every poll interval; traffic counts from here. */
	poll(phaseMs: number): void;
	/** Stops polling and waits for a round in progress. */
	stop(): Promise<HostTraffic>;
}

type Activity = 'startup' | 'poll' | 'refresh';

export function createSimulatedHost(options: SimulatedHostOptions): SimulatedHost {
	const agent = new Agent({ keepAlive: true, maxSockets: 1 });
	const traffic: HostTraffic = {
		polls304: 0,
		bytes304: 0,
		polls200: 0,
		bytes200: 0,
		refreshes: 0,
		refreshRequests: 0,
		refreshBytes: 0,
		errors: 0,
		errorKinds: {},
		perSecond: [],
	};
	let activity: Activity = 'startup';
	const perSecond = new Map<number, number>();
	const record = (entry: WireRecord) => {
		if (activity !== 'startup') {
			const second = Math.floor(Date.now() / 1000);
			perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
		}
		if (activity === 'refresh') {
			traffic.refreshRequests++;
			traffic.refreshBytes += entry.bytes;
		} else if (activity === 'poll') {
			if (entry.status === 304) {
				traffic.polls304++;
				traffic.bytes304 += entry.bytes;
			} else if (entry.status === 200) {
				traffic.polls200++;
				traffic.bytes200 += entry.bytes;
			}
		}
	};
	const fetch = countingFetch(agent, record);
	const verifier: TufVerifier = createTufVerifier({
		trustedRootPath: options.shippedRootPath,
		metadataDir: join(options.dir, 'metadata'),
		targetsDir: join(options.dir, 'targets'),
		repositoryUrl: `${options.serviceUrl}/tuf/`,
		fetch,
	});
	const timestampUrl = `${options.serviceUrl}/tuf/metadata/timestamp.json`;
	let etag: string | undefined;
	let enforced = false;
	let round: Promise<void> | undefined;
	let phaseTimer: NodeJS.Timeout | undefined;
	let intervalTimer: NodeJS.Timeout | undefined;

	async function refreshAndCheck(): Promise<boolean> {
		const verified = await verifier.refresh();
		const registry = parseRegistryText(verified.text, { label: 'registry', format: 'json' });
		return compileBlacklist(registry.blacklist).check(options.plugin).blocked;
	}

	async function pollOnce(): Promise<void> {
		activity = 'poll';
		const response = await fetch(timestampUrl, {
			headers: etag === undefined ? {} : { 'if-none-match': etag },
		});
		if (response.status === 304) return;
		await response.arrayBuffer();
		if (response.status !== 200) throw new Error(`timestamp.json answered ${response.status}`);
		const detectedAt = Date.now();
		activity = 'refresh';
		traffic.refreshes++;
		const blocked = await refreshAndCheck();
		// Only after a verified refresh: a timestamp whose refresh failed is polled again.
		etag = response.headers.get('etag') ?? undefined;
		if (blocked && !enforced) {
			enforced = true;
			const enforcedAt = Date.now();
			options.onEnforced({ detectedAt, enforcedAt, refreshMs: enforcedAt - detectedAt });
		}
	}

	function tick(): void {
		// A round still in progress covers this tick, as in the library's watcher.
		if (round !== undefined) return;
		round = pollOnce()
			.catch((error: unknown) => {
				traffic.errors++;
				const code = (error as { code?: unknown }).code;
				const kind =
					typeof code === 'string'
						? code
						: (error instanceof Error ? error.message : String(error)).slice(0, 60);
				traffic.errorKinds[kind] = (traffic.errorKinds[kind] ?? 0) + 1;
			})
			.finally(() => {
				round = undefined;
				activity = 'poll';
			});
	}

	return {
		async start() {
			activity = 'startup';
			const first = await fetch(timestampUrl);
			await first.arrayBuffer();
			const blocked = await refreshAndCheck();
			etag = first.headers.get('etag') ?? undefined;
			return blocked;
		},
		poll(phaseMs) {
			activity = 'poll';
			phaseTimer = setTimeout(() => {
				tick();
				intervalTimer = setInterval(tick, options.pollMs);
			}, phaseMs);
		},
		async stop() {
			clearTimeout(phaseTimer);
			clearInterval(intervalTimer);
			await round;
			agent.destroy();
			return { ...traffic, perSecond: [...perSecond] };
		},
	};
}
