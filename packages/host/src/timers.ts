/**
 * Time as the host sees it: a clock and timers, injected so that tests drive the 5-minute
 * crash window, the 10-second enable limit and the 30 healthy seconds without waiting.
 */
export interface HostTimers {
	now(): number;
	/**
	 * Milliseconds on a clock that never jumps, for how long a call has waited; `now` when
	 * absent. The wall clock can be set back or forward (NTP, a person), and a call must not
	 * time out early, or late, because of that.
	 */
	monotonicNow?(): number;
	setTimeout(run: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
}

/** Longest delay Node's timers take; a longer one would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

export const SYSTEM_TIMERS: HostTimers = {
	now: () => Date.now(),
	monotonicNow: () => performance.now(),
	setTimeout(run, ms) {
		const handle = setTimeout(run, Math.min(Math.max(0, ms), MAX_TIMER_MS));
		// A pending limit never keeps a host alive on its own.
		handle.unref();
		return handle;
	},
	clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
