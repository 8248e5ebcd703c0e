/**
 * What `createVouch` takes and what its operations return. Every option has a safe default:
 * no prompter means nobody is there to agree, so whatever needs agreement is refused with a
 * typed error (see `consent.ts`); no reporter means nothing is said.
 */
import type { BlacklistVerdict } from '../blacklist/types.ts';
import type { HostProfile } from '../core/profile.ts';
import type { DisableReason } from '../lifecycle/enablement.ts';
import type { InstallResult } from '../lifecycle/install.ts';
import type { LifecycleReporter, Prompter } from '../lifecycle/prompter.ts';
import type { StartupReport } from '../lifecycle/startup-check.ts';
import type { InstalledPlugin } from '../lifecycle/store/index.ts';
import type { UninstallResult } from '../lifecycle/uninstall.ts';
import type { UpdateOutcome } from '../lifecycle/update.ts';
import type { TrustLevel } from '../registry/model.ts';
import type { SourceFailure } from '../registry/sources/index.ts';
import type { ReportReceipt, ReportRequest, ReportStatus } from '../report/report-schema.ts';
import type { ScanReport } from '../scan/types.ts';
import type { ReportInput } from './build-report.ts';
import type { ProfileChoice } from './profile.ts';
import type { PluginWatch } from './watch.ts';
import type { LifecycleGit } from './wiring.ts';

/** How `createVouch` is set up; every field is optional. */
export interface VouchOptions {
	/** A built-in profile name, a profile file path, or a `HostProfile`. Default: `VOUCH_PROFILE`, else `picard`. */
	profile?: ProfileChoice | undefined;
	/** Read the registry from here (a file, a URL, or several in order) instead of the profile's list. */
	registry?: string | readonly string[] | undefined;
	/** Registry requests. Default: the global `fetch`. */
	fetch?: typeof fetch;
	/** The clock. Default: the system clock. */
	now?: () => Date;
	/** Git for fetching plugins. Default: system git through Vouch's own runner (D11, D27). */
	git?: LifecycleGit;
	/** How to ask the user. Default: nobody to ask, so every question is a refusal (D12). */
	prompter?: Prompter;
	/** Progress, information and warnings. Default: silent. */
	reporter?: LifecycleReporter;
	/** Environment variables (HOME, XDG directories, VOUCH_*). Default: `process.env`. */
	env?: NodeJS.ProcessEnv;
	/** Base for relative paths. Default: `process.cwd()`. */
	cwd?: string;
	/** Expansion of `~`. Default: `HOME`, else the user's home directory. */
	home?: string;
	/**
	 * The registry service's base URL, where community reports go (D22): https, or http to this
	 * machine. No default: without it `report` and `reportStatus` refuse (`REPORT_NO_SERVICE`).
	 */
	service?: string | undefined;
	/** The host application's own version, attached to reports beside the profile name. */
	hostVersion?: string | undefined;
	/** An account token of the service: reports then count as trusted. Default: anonymous. */
	serviceToken?: string | undefined;
	/** Time bound of one request to the service, body included. Default 20 s. */
	serviceTimeoutMs?: number | undefined;
}

/** Flags shared by everything that fetches a plugin. All default to false. */
export interface FetchFlags {
	/** Allow pre-release version tags. */
	pre?: boolean;
	/** Allow http:// and git:// to hosts other than this machine (D11). */
	allowInsecureTransport?: boolean;
	/** DANGEROUS: go on without a fresh blacklist (D1); a warning is still reported. */
	allowStaleBlacklist?: boolean;
	/** The user agreed to the trust warning (it is still reported). */
	yes?: boolean;
	/** The user accepted high-severity scan findings (D21); `yes` does not cover them. */
	acceptFindings?: boolean;
}

export interface InstallFlags extends FetchFlags {
	/** Branch, tag or full commit id. Default: the newest compatible release. */
	ref?: string;
	/** Fetch again and replace the installed copy. */
	reinstall?: boolean;
	/** DANGEROUS: install even if the blacklist blocks it. */
	forceBlacklisted?: boolean;
	/** Enable after installing. Default true. */
	enable?: boolean;
}

export interface UpdateFlags extends FetchFlags {
	/** Move to this branch, tag or commit (switch-ref) instead of updating within the current ref. */
	ref?: string;
	/** The user accepted capabilities the new version adds (D20). */
	grantCapabilities?: boolean;
}

/** What the user agreed to when enabling a plugin. */
export interface EnableFlags {
	/** The user agreed to enable a plugin the blacklist marks as not recommended. */
	yes?: boolean;
	/** DANGEROUS: enable without a fresh blacklist. */
	allowStaleBlacklist?: boolean;
}

/** An installed plugin and where its files are. */
export interface InstallOutcome extends InstallResult {
	path: string;
}

/** One installed plugin as `list` shows it: trust now, not at install (D6). */
export interface InstalledPluginStatus {
	plugin: InstalledPlugin;
	path: string;
	enabled: boolean;
	/** Undefined when no registry could be read. */
	trust?: TrustLevel;
	/** Sanitised. */
	impersonation?: string;
	/**
	 * The blocking entry: reason and severity, with its incident link and advice when given, and
	 * for a soft block the reasons of any further soft entries that matched (all sanitised).
	 */
	blacklisted?: {
		reason: string;
		severity: string;
		incident?: string;
		advice?: string;
		alsoSoftReasons?: string[];
	};
}

/** Where the registry came from, and how much it can be relied on. */
export interface RegistryStatus {
	source: string;
	signed: boolean;
	fromCache: boolean;
	offline: boolean;
	fetchedAt: Date;
	/** `fresh`, `aging`, `stale` or `missing` (D1). */
	blacklistFreshness: string;
}

/** The plugin to look up; give what is known of it. */
export interface BlacklistQuery {
	/** The plugin's git URL or local path, in any spelling (D2). */
	url?: string;
	uuid?: string;
	/** The plugin's version, for entries with a version range. */
	version?: string;
}

/** The answer of the blacklist, and which registry gave it. */
export interface BlacklistCheck {
	verdict: BlacklistVerdict;
	registry: RegistryStatus;
}

/** What a refresh read. */
export interface RefreshResult {
	registry: RegistryStatus;
	/** The server answered 304: nothing changed, and the freshness clock restarted. */
	unchanged: boolean;
	plugins: number;
	blacklistEntries: number;
	/** Sources that could not be read before one could. */
	failures: SourceFailure[];
	warnings: string[];
}

/** What the host does with each round of `watch`. */
export interface WatchHandlers {
	/** Called after every round with what may load now and what was disabled. */
	onReport(report: StartupReport): void;
	/** A round that failed as a whole; the next round still runs. */
	onError?(error: unknown): void;
	/** A full round at least this often. Default: the profile's `refresh_interval_hours`. */
	intervalMs?: number;
	/**
	 * How often the registry is asked whether it changed (TUF `timestamp.json` or the registry
	 * file, with ETags; D23). Default 5 minutes, never longer than `intervalMs`.
	 */
	pollIntervalMs?: number;
}

/** The operations of a Vouch bound to one profile. */
export interface Vouch {
	readonly profile: HostProfile;
	/** What may load now: the blacklist, D1 and the integrity re-check applied, changes recorded. */
	startupCheck(): Promise<StartupReport>;
	/** The startup check again at an interval, while the host runs (D23). */
	watch(handlers: WatchHandlers): PluginWatch;
	/** Whether the blacklist blocks a plugin. Throws when no registry can be read (D1). */
	checkBlacklist(query: BlacklistQuery): Promise<BlacklistCheck>;
	/** Installs from a registry id or UUID, a git URL, or a local directory. */
	install(target: string, flags?: InstallFlags): Promise<InstallOutcome>;
	/** Updates within the installed ref (a commit pin never moves), or switches to `flags.ref`. */
	update(target: string, flags?: UpdateFlags): Promise<UpdateOutcome>;
	/** Settings and data stay unless `purge`. */
	uninstall(target: string, options?: { purge?: boolean }): Promise<UninstallResult>;
	/** Enables an installed plugin; never a hard-blacklisted one. */
	enable(target: string, flags?: EnableFlags): Promise<InstalledPlugin>;
	/**
	 * Disables an installed plugin; its files stay. Needs no registry. `why` defaults to the
	 * user; a host that stops a crashing plugin passes `{ kind: 'crash_loop', reason }`.
	 */
	disable(target: string, why?: DisableReason): Promise<InstalledPlugin>;
	/** Every installed plugin, by name, with trust and blacklist state. */
	list(): Promise<InstalledPluginStatus[]>;
	/** Static analysis of an installed plugin or a plugin directory; never runs its code. */
	scan(target: string): Promise<ScanReport>;
	/** Contacts the registry now, whatever the cache holds; fails when no source answers. */
	refresh(): Promise<RefreshResult>;
	/**
	 * The community report about a plugin (installed, else registered) as it would be sent:
	 * what the host knows is attached. Show it to the user before passing it to `report`.
	 */
	prepareReport(target: string, input: ReportInput): Promise<ReportRequest>;
	/** Sends a report to `service`; the receipt's token is shown to the user once. */
	report(request: ReportRequest): Promise<ReportReceipt>;
	/** What became of a report, through the reporter token the receipt gave. */
	reportStatus(token: string): Promise<ReportStatus>;
}
