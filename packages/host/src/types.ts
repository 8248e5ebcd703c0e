/** What `createPluginHost` takes and what it reports. */
import type { ProfileChoice, Vouch, VouchOptions } from '@vouch/library';
import type { CapabilityLabel, HostMode } from './capability-labels.ts';
import type { ForkPlugin } from './isolated-plugin.ts';
import type { ConsentedCapability } from './permissions.ts';
import type { HostApi } from './running-plugin.ts';
import type { SafeModeReason } from './safe-mode.ts';
import type { HostTimers } from './timers.ts';

export interface PluginHostOptions {
	/** The host profile (see `createVouch`); ignored when `vouch` is given. */
	profile?: ProfileChoice;
	/** Further `createVouch` options (registry, env, cwd, clock); ignored when `vouch` is given. */
	vouchOptions?: Omit<VouchOptions, 'profile'>;
	/** A Vouch already bound to the profile. */
	vouch?: Vouch;
	/** The host's API: named functions; isolated plugins call them with JSON arguments. */
	api: HostApi;
	mode: HostMode;
	/** Start with no plugins (`--safe-mode`). */
	safeMode?: boolean;
	/** Read for `VOUCH_SAFE_MODE`. Default: `process.env`. */
	env?: NodeJS.ProcessEnv;
	/** Clock and timers. Default: the system's. */
	timers?: HostTimers;
	/** Used by `api.fetch`. Default: the global `fetch`. */
	fetch?: typeof fetch;
	/** How isolated plugin processes are started. */
	fork?: ForkPlugin;
	/** Per plugin: extra paths it may read, and the capabilities a person agreed to. */
	grants?: (plugin: { uuid: string; name: string }) => PluginGrants;
	/** Heap cap of each isolated plugin, in MB. Default 64. */
	heapMb?: number;
	/** How often an isolated plugin must answer a ping. Default 10 s. */
	heartbeatMs?: number;
	/** The blacklist re-check interval. Default: the profile's `refresh_interval_hours` (D23). */
	recheckIntervalMs?: number;
	/**
	 * How often the registry is asked whether it changed (TUF `timestamp.json` or the registry
	 * file, with ETags); a change is applied at once (D23). Default 5 minutes, never longer than
	 * `recheckIntervalMs`.
	 */
	pollIntervalMs?: number;
	/** Everything the host has to tell the user. Sanitised. */
	onNotice?(notice: HostNotice): void;
	/** A line a plugin printed, sanitised. */
	onOutput?(plugin: { uuid: string; name: string }, line: string): void;
}

export interface PluginGrants {
	read?: readonly string[];
	consent?: readonly ConsentedCapability[];
}

export type HostNoticeKind =
	| 'mode'
	| 'safe-mode'
	| 'started'
	| 'refused'
	| 'failure'
	| 'crash_loop'
	| 'quarantined'
	| 'disabled'
	| 'startup';

export interface HostNotice {
	kind: HostNoticeKind;
	plugin?: { uuid: string; name: string };
	message: string;
	/**
	 * For a plugin the blacklist stopped: the entry's severity, incident page and advice, and
	 * for a soft block the reasons of any further soft entries that matched (D4), sanitised.
	 */
	block?: {
		severity?: 'hard' | 'soft';
		incident?: string;
		advice?: string;
		alsoSoftReasons?: string[];
	};
}

export type PluginRunState = 'starting' | 'running' | 'stopped' | 'disabled' | 'refused';

export interface PluginStatus {
	uuid: string;
	name: string;
	state: PluginRunState;
	pid?: number;
	/** Why it is not running, when it is not. */
	reason?: string;
}

export interface HostStartReport {
	mode: HostMode;
	/** Set when no plugins were loaded because of safe mode. */
	safeMode?: SafeModeReason;
	plugins: PluginStatus[];
	/** What each capability means in this mode (enforced, brokered, declared only, not enforced). */
	capabilities: CapabilityLabel[];
}

export interface PluginHost {
	readonly mode: HostMode;
	/** Startup check, safe mode, then every enabled plugin loaded and enabled. */
	start(): Promise<HostStartReport>;
	/** Runs the blacklist re-check now (it also runs at the interval). */
	recheck(): Promise<void>;
	plugins(): PluginStatus[];
	/** Forgets crashed start-ups, so the next start loads plugins again. */
	leaveSafeMode(): Promise<void>;
	/** Disables and ends every plugin; a clean stop counts as a healthy start-up. */
	stop(): Promise<void>;
}
