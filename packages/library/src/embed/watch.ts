/**
 * D23 while the host runs: the startup check again at the profile's refresh interval, so a
 * blacklist entry published after start reaches a running host without a restart. Each round
 * reads the registry as `runStartupCheck` does (cache first, refreshed once it is older than
 * the interval), disables what the blacklist now names, and hands the report to the host.
 *
 * Rounds never overlap: a slow network delays the next round instead of stacking them. The
 * timer does not keep a process alive on its own.
 */
import type { StartupReport } from '../lifecycle/startup-check.ts';
import { type HostStartupOptions, runStartupCheck } from './startup.ts';

export interface WatchOptions extends HostStartupOptions {
	/** Called after every round with what may load now and what was disabled. */
	onReport(report: StartupReport): void;
	/** A round that failed as a whole (the local state unreadable, say); the next round still runs. */
	onError?(error: unknown): void;
	/** Default: the profile's `refresh_interval_hours`. */
	intervalMs?: number;
}

/** A running watch. */
export interface PluginWatch {
	/** Runs a round now (after any round in progress) and resolves with its report. */
	checkNow(): Promise<StartupReport>;
	/** Stops the timer; a round in progress finishes. */
	stop(): void;
}

/** Longest timer Node accepts; a longer interval would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

/** Starts the startup check at an interval; the first round runs after one interval, or on `checkNow`. */
export function watchInstalledPlugins(options: WatchOptions): PluginWatch {
	const intervalMs = Math.min(
		options.intervalMs ?? options.profile.refreshIntervalHours * 60 * 60 * 1000,
		MAX_TIMER_MS,
	);
	let running: Promise<StartupReport> | undefined;
	let stopped = false;

	const round = (): Promise<StartupReport> => {
		const previous = running ?? Promise.resolve(undefined);
		const next = previous
			.catch(() => undefined)
			.then(() => runStartupCheck(options))
			.then((report) => {
				if (!stopped) options.onReport(report);
				return report;
			});
		running = next;
		next.then(
			() => {
				if (running === next) running = undefined;
			},
			(error: unknown) => {
				if (running === next) running = undefined;
				options.onError?.(error);
			},
		);
		return next;
	};

	const timer = setInterval(() => {
		// A round still in progress covers this tick.
		if (running === undefined) round().catch(() => {});
	}, intervalMs);
	timer.unref();

	return {
		checkNow: round,
		stop() {
			stopped = true;
			clearInterval(timer);
		},
	};
}
