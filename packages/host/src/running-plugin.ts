/** A plugin the host has started, whichever the mode: the calls the host makes on it. */
export interface RunningPlugin {
	/** Loads the entry and calls its `enable(api)`; rejects on failure or after `timeoutMs`. */
	enable(timeoutMs: number): Promise<void>;
	/** Calls the plugin's `disable()`, if it has one. */
	disable(timeoutMs: number): Promise<void>;
	/** Resolves when the plugin answers; rejects when it does not within `timeoutMs`. */
	ping(timeoutMs: number): Promise<void>;
	/** Ends the plugin's process (isolated mode); a no-op in-process. */
	kill(): void;
	/** Called once if the plugin's process ends on its own (never in-process). */
	onExit(listener: (why: string) => void): void;
	/** The process id, when the plugin has its own process. */
	readonly pid: number | undefined;
}

/** What a host's own API looks like to the host: named functions taking and returning JSON. */
export type HostApi = Readonly<Record<string, (...args: never[]) => unknown>>;

/** Bounds on a call from a plugin into the host API. */
export const MAX_API_ARGS = 100;
