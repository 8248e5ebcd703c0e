/**
 * How often dead workers are replaced: at most `max` replacements in any `windowMs`. A worker
 * that dies at once on every start (a bad disk, a broken database) would otherwise be replaced
 * in a tight loop for ever; past the budget the primary stops replacing and says why.
 */
export interface RestartBudgetOptions {
	max: number;
	windowMs: number;
	/** Milliseconds, monotonic; injected for tests. */
	now?: () => number;
}

export interface RestartBudget {
	/** Takes one replacement; false when the budget for the window is spent. */
	take(): boolean;
}

export const DEFAULT_RESTART_BUDGET = { max: 10, windowMs: 60_000 } as const;

export function createRestartBudget(options: RestartBudgetOptions): RestartBudget {
	const now = options.now ?? (() => performance.now());
	const recent: number[] = [];
	return {
		take() {
			const at = now();
			while (recent.length > 0 && at - (recent[0] as number) >= options.windowMs) recent.shift();
			if (recent.length >= options.max) return false;
			recent.push(at);
			return true;
		},
	};
}
