/** The propagation figures, computed from what the hosts reported, and their table. */
import type { Enforcement, HostTraffic } from './simulated-host.ts';

export const TARGET_INTERVALS = 1.2;
export const ENFORCED_SHARES = [0.5, 0.9, 0.99, 1] as const;
/** A refresh under load this many times slower than alone: the hosts are fighting for the CPU. */
export const CONTENDED_RATIO = 3;

export interface ShareFigure {
	/** 0.5, 0.9, 0.99 or 1. */
	share: number;
	/** Milliseconds from the decision until that share of the hosts enforced; null if it never did. */
	ms: number | null;
	/** The same as a multiple of the polling interval. */
	intervals: number | null;
}

export interface PropagationResult {
	hosts: number;
	workers: number;
	plugins: number;
	pollMs: number;
	/** Decision (the admin request sent) → the admin API answered. */
	adminAnswerMs: number;
	/** Decision → a GET of timestamp.json returns the new one. */
	publishMs: number;
	enforced: number;
	shares: ShareFigure[];
	/** `publishMs + 1.2 × pollMs`: the issue's target for 99% of the hosts. */
	targetMs: number;
	targetMet: boolean;
	/** Decision → the poll that saw the new timestamp, across hosts. */
	detection: { p50: number; p99: number };
	/** The host's refresh and check after that poll, across hosts, under the simulation's load. */
	refresh: { p50: number; p99: number };
	bytesPerPoll: {
		/** A conditional poll answered 304, on the wire (status line, headers). */
		notModified: number;
		/** A poll answered 200: the new timestamp.json alone. */
		changed: number;
		/** The refresh a 200 starts, all its requests together. */
		refresh: number;
		refreshRequests: number;
		/** Everything a host fetched while polling, divided by its polls. */
		average: number;
	};
	polls: {
		notModified: number;
		changed: number;
		/** Failed rounds (retried at the host's next tick), and how they failed. */
		errors: number;
		errorKinds: Record<string, number>;
	};
	requestsPerSecond: { mean: number; peak: number };
	/**
	 * The hosts' refresh work for one change (hosts × one refresh alone), in intervals of the
	 * workers' time: an upper bound of the load, since a refresh alone also waits on the disk
	 * and the network. Near or above 1 the hosts cannot all refresh within an interval.
	 */
	simulatorLoad: number;
	baseline: {
		/** One conditional GET of timestamp.json, alone (p50 of sequential requests). */
		conditionalGetMs: number;
		/** One host's refresh and check after a new timestamp, alone. */
		refreshAloneMs: number;
	};
}

/** The smallest time by which `share` of `total` hosts had enforced. */
export function shareFigures(
	times: readonly number[],
	total: number,
	pollMs: number,
): ShareFigure[] {
	const sorted = [...times].sort((a, b) => a - b);
	return ENFORCED_SHARES.map((share) => {
		const needed = Math.max(1, Math.ceil(share * total));
		const ms = needed <= sorted.length ? (sorted[needed - 1] as number) : null;
		return { share, ms, intervals: ms === null ? null : ms / pollMs };
	});
}

export function quantile(values: readonly number[], q: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
}

export interface TrafficSummary {
	bytesPerPoll: PropagationResult['bytesPerPoll'];
	polls: PropagationResult['polls'];
	requestsPerSecond: PropagationResult['requestsPerSecond'];
}

export function summariseTraffic(traffic: readonly HostTraffic[], seconds: number): TrafficSummary {
	let polls304 = 0;
	let bytes304 = 0;
	let polls200 = 0;
	let bytes200 = 0;
	let refreshes = 0;
	let refreshRequests = 0;
	let refreshBytes = 0;
	let errors = 0;
	const perSecond = new Map<number, number>();
	const errorKinds: Record<string, number> = {};
	for (const host of traffic) {
		for (const [kind, count] of Object.entries(host.errorKinds)) {
			errorKinds[kind] = (errorKinds[kind] ?? 0) + count;
		}
		polls304 += host.polls304;
		bytes304 += host.bytes304;
		polls200 += host.polls200;
		bytes200 += host.bytes200;
		refreshes += host.refreshes;
		refreshRequests += host.refreshRequests;
		refreshBytes += host.refreshBytes;
		errors += host.errors;
		for (const [second, count] of host.perSecond) {
			perSecond.set(second, (perSecond.get(second) ?? 0) + count);
		}
	}
	const polls = polls304 + polls200;
	const requests = polls + refreshRequests;
	const divide = (a: number, b: number) => (b === 0 ? 0 : a / b);
	return {
		bytesPerPoll: {
			notModified: divide(bytes304, polls304),
			changed: divide(bytes200, polls200),
			refresh: divide(refreshBytes, refreshes),
			refreshRequests: divide(refreshRequests, refreshes),
			average: divide(bytes304 + bytes200 + refreshBytes, polls),
		},
		polls: { notModified: polls304, changed: polls200, errors, errorKinds },
		requestsPerSecond: {
			mean: divide(requests, seconds),
			// Whole seconds only: the first and last are partial.
			peak: Math.max(
				0,
				...[...perSecond.entries()]
					.sort(([a], [b]) => a - b)
					.slice(1, -1)
					.map(([, count]) => count),
			),
		},
	};
}

export function enforcementSpread(
	enforcements: Iterable<Enforcement>,
	decisionAt: number,
): { detection: number[]; refresh: number[]; enforced: number[] } {
	const detection: number[] = [];
	const refresh: number[] = [];
	const enforced: number[] = [];
	for (const item of enforcements) {
		detection.push(item.detectedAt - decisionAt);
		refresh.push(item.refreshMs);
		enforced.push(item.enforcedAt - decisionAt);
	}
	return { detection, refresh, enforced };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const bytes = (n: number) => (n >= 10_000 ? `${(n / 1024).toFixed(1)} KiB` : `${n.toFixed(0)} B`);

export function printPropagation(result: PropagationResult): void {
	const r = result;
	console.log(
		`\nPropagation of a blacklist entry (${r.hosts} hosts in ${r.workers} worker threads, ` +
			`polling every ${seconds(r.pollMs)}, ${r.plugins} plugins, SQLite)`,
	);
	console.log(
		`  publish: decision → new timestamp.json served  ${seconds(r.publishMs).padStart(9)}   ` +
			`(admin API answered in ${seconds(r.adminAnswerMs)})`,
	);
	for (const figure of r.shares) {
		const label = `${(figure.share * 100).toFixed(0)}% of hosts enforcing`;
		const time = figure.ms === null ? 'never' : seconds(figure.ms);
		const intervals = figure.intervals === null ? '' : `${figure.intervals.toFixed(2)} intervals`;
		const target =
			figure.share === 0.99
				? `   target <= ${TARGET_INTERVALS} intervals + publish = ${seconds(r.targetMs)}: ${r.targetMet ? 'met' : 'MISSED'}`
				: '';
		console.log(`  ${label.padEnd(46)} ${time.padStart(9)}   ${intervals}${target}`);
	}
	console.log(
		`  decision → poll sees it (p50 / p99)            ${seconds(r.detection.p50).padStart(9)} / ${seconds(r.detection.p99)}`,
	);
	console.log(
		`  refresh + check under load (p50 / p99)         ${seconds(r.refresh.p50).padStart(9)} / ${seconds(r.refresh.p99)}   ` +
			`one host alone: ${seconds(r.baseline.refreshAloneMs)}  (p50 ${(r.refresh.p50 / r.baseline.refreshAloneMs).toFixed(1)}x)`,
	);
	const b = r.bytesPerPoll;
	console.log(
		`  bytes per poll: 304 ${bytes(b.notModified)}, 200 ${bytes(b.changed)} + refresh ` +
			`${bytes(b.refresh)} in ${b.refreshRequests.toFixed(1)} requests; all polls ${bytes(b.average)} on average`,
	);
	console.log(
		`  hosts' refresh work per change: ${r.simulatorLoad.toFixed(2)} intervals of ${r.workers} workers' time` +
			(r.refresh.p50 >= CONTENDED_RATIO * r.baseline.refreshAloneMs
				? '  (contended: enforcement measures this machine, detection the service)'
				: ''),
	);
	console.log(
		`  polls: ${r.polls.notModified} answered 304, ${r.polls.changed} answered 200, ${r.polls.errors} rounds failed` +
			(r.polls.errors > 0
				? ` (${Object.entries(r.polls.errorKinds)
						.map(([kind, count]) => `${kind}: ${count}`)
						.join(', ')}; retried at the next poll)`
				: ''),
	);
	console.log(
		`  requests/s the service saw: mean ${r.requestsPerSecond.mean.toFixed(0)}, peak ${r.requestsPerSecond.peak} (whole seconds)   ` +
			`conditional GET alone: ${(r.baseline.conditionalGetMs).toFixed(2)} ms round trip (p50)`,
	);
}
