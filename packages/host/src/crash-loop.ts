/**
 * The crash-loop rule (issue part 2), in one place: a plugin is disabled with reason
 * `crash_loop` after 3 failures (crashes, failed enables, missed heartbeats) within 5
 * minutes, or at once after an enable slower than 10 seconds. In isolated mode every failure
 * belongs to the one process it happened in, so the culprit is known without bisecting.
 */
export const CRASH_WINDOW_MS = 5 * 60 * 1000;
export const CRASH_LIMIT = 3;
export const ENABLE_LIMIT_MS = 10_000;

export type FailureKind = 'crash' | 'enable-failed' | 'missed-heartbeat' | 'slow-enable';

export interface CrashVerdict {
	/** Disable the plugin now. */
	crashLoop: boolean;
	/** Failures inside the window, this one included. */
	recent: number;
	/** Why, for the notice and the disabled reason. */
	reason: string;
}

const WORDS: Record<FailureKind, string> = {
	crash: 'a crash',
	'enable-failed': 'a failed enable',
	'missed-heartbeat': 'a missed heartbeat',
	'slow-enable': 'a slow enable',
};

/** Applies the rule to one plugin's failure times (ms), the new one last. */
export function judgeFailures(
	times: readonly number[],
	now: number,
	kind: FailureKind,
): CrashVerdict {
	const recent = times.filter((time) => time > now - CRASH_WINDOW_MS && time <= now).length;
	if (kind === 'slow-enable') {
		return {
			crashLoop: true,
			recent,
			reason: `crash_loop: enable took longer than ${ENABLE_LIMIT_MS / 1000} s`,
		};
	}
	return {
		crashLoop: recent >= CRASH_LIMIT,
		recent,
		reason: `crash_loop: ${recent} failures within ${CRASH_WINDOW_MS / 60_000} minutes (the last: ${WORDS[kind]})`,
	};
}
