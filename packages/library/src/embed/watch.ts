/**
 * D23 while the host runs, rapid response: every `pollIntervalMs` (5 minutes by default) the
 * watch asks the registry whether it changed (`change-probe.ts`: the TUF `timestamp.json`, or
 * the registry file, with `If-None-Match`). An unchanged registry costs one request and a 304.
 * A changed one is refreshed in full (TUF verification included) and the startup check runs
 * on it: a hard block disables and quarantines, a soft block disables, both without a restart,
 * and the report carries the entry's reason, severity, incident link and advice.
 *
 * Besides, every `intervalMs` (the profile's `refresh_interval_hours`) a round runs anyway, as
 * before: it keeps the cache fresh for D1 and re-checks the files of trusted plugins.
 *
 * Fail safe: a poll or a refresh that fails is reported through `onError`, and the last
 * verified registry stays in force; what the probe learnt is kept only once the refresh
 * succeeded, so the next poll tries again. Rounds never overlap, and the timer does not keep
 * a process alive on its own.
 */
import { isVouchError } from '../core/errors.ts';
import type { StartupReport } from '../lifecycle/startup-check.ts';
import { type ChangeProbe, changeProbeFor } from './change-probe.ts';
import { type HostStartupOptions, runStartupRound } from './startup.ts';

export interface WatchOptions extends HostStartupOptions {
	/** Called after every round with what may load now and what was disabled. */
	onReport(report: StartupReport): void;
	/**
	 * A poll, a refresh or a round that failed; the last verified state stays in force and the
	 * next poll still runs.
	 */
	onError?(error: unknown): void;
	/** How often the registry is asked whether it changed. Default 5 minutes, at most `intervalMs`. */
	pollIntervalMs?: number;
	/** A full round at least this often, changed or not. Default: the profile's `refresh_interval_hours`. */
	intervalMs?: number;
	/** Bound of one poll request. Default 30 s. */
	pollTimeoutMs?: number;
}

/** A running watch. */
export interface PluginWatch {
	/** Runs a round now (after any round in progress) and resolves with its report. */
	checkNow(): Promise<StartupReport>;
	/**
	 * Polls now, as the timer does: resolves with the report of the round the poll led to, or
	 * undefined when the registry had not changed (or the poll failed; `onError` was told).
	 */
	pollNow(): Promise<StartupReport | undefined>;
	/** Stops the timer; a round in progress finishes. */
	stop(): void;
}

/** Longest timer Node accepts; a longer interval would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;
export const DEFAULT_POLL_INTERVAL_MS = 5 * 60 * 1000;

/** Starts the watch; the first poll runs after one poll interval, or on `pollNow`. */
export function watchInstalledPlugins(options: WatchOptions): PluginWatch {
	const intervalMs = Math.min(
		options.intervalMs ?? options.profile.refreshIntervalHours * 60 * 60 * 1000,
		MAX_TIMER_MS,
	);
	const pollIntervalMs = Math.max(
		1,
		Math.min(options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS, intervalMs),
	);
	const now = options.now ?? (() => new Date());
	const probes = buildProbes(options);
	let lastRoundAt = now().getTime();
	let running: Promise<unknown> | undefined;
	let stopped = false;

	const report = (error: unknown) => {
		if (!stopped) options.onError?.(error);
	};

	/** Runs `work` after any work in progress: rounds never overlap. */
	const serial = <T>(work: () => Promise<T>): Promise<T> => {
		const previous = running ?? Promise.resolve();
		const next = previous.catch(() => undefined).then(work);
		running = next;
		const settle = () => {
			if (running === next) running = undefined;
		};
		next.then(settle, settle);
		return next;
	};

	const round = async (mode: 'auto' | 'refresh'): Promise<StartupReport> => {
		const result = await runStartupRound(options, mode);
		lastRoundAt = now().getTime();
		if (result.refreshError !== undefined) report(result.refreshError);
		if (!stopped) options.onReport(result.report);
		return result.report;
	};

	const poll = async (): Promise<StartupReport | undefined> => {
		// The sources in order, as the loader reads them: the first that answers speaks for the
		// registry (a mirror is asked only while the sources before it fail).
		let answer: Awaited<ReturnType<ChangeProbe['check']>> | undefined;
		for (const probe of probes) {
			try {
				answer = await probe.check();
				break;
			} catch (error) {
				report(error);
			}
		}
		const changed = answer?.changed === true;
		const due = now().getTime() - lastRoundAt >= intervalMs;
		if (!changed && !due) return undefined;
		// A registry that changed is read from the network; a round that is only due reads the
		// cache first, revalidated once older than the refresh interval, as at startup.
		const result = await runStartupRound(options, changed ? 'refresh' : 'auto');
		lastRoundAt = now().getTime();
		if (result.refreshError === undefined) {
			answer?.accept();
		} else {
			report(result.refreshError);
		}
		if (!stopped) options.onReport(result.report);
		return result.report;
	};

	const tick = () => {
		// A round still in progress covers this tick.
		if (running !== undefined) return;
		serial(poll).catch(report);
	};
	const timer = setInterval(tick, pollIntervalMs);
	timer.unref();

	return {
		checkNow: () => {
			const next = serial(() => round('auto'));
			next.catch(report);
			return next;
		},
		pollNow: () => serial(poll),
		stop() {
			stopped = true;
			clearInterval(timer);
		},
	};
}

/**
 * One probe per source the profile reads, in order. A source no probe can be built for (a
 * transport the refresh itself will refuse) leaves the watch to its interval rounds.
 */
function buildProbes(options: WatchOptions): ChangeProbe[] {
	const sources = options.sources ?? options.profile.registryUrls;
	const probes: ChangeProbe[] = [];
	for (const source of sources) {
		try {
			const probe = changeProbeFor({
				source,
				signed: options.profile.trustedRoot !== undefined,
				fetch: options.fetch ?? fetch,
				cwd: options.cwd ?? process.cwd(),
				...(options.pollTimeoutMs === undefined ? {} : { timeoutMs: options.pollTimeoutMs }),
			});
			if (probe !== undefined) probes.push(probe);
		} catch (error) {
			if (!isVouchError(error)) throw error;
		}
	}
	return probes;
}
