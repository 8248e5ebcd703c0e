/**
 * `createPluginHost({ profile, api, mode })`: a Node host's plugins in one call. It runs the
 * startup check, loads each enabled plugin from its manifest entry, calls `enable(api)` and
 * `disable()`, re-checks the blacklist at the refresh interval (D10, D23) and stops a plugin
 * that became blocked without a restart, disables crash-looping plugins, and falls back to
 * safe mode after start-ups that crashed.
 */
import { realpath } from 'node:fs/promises';
import {
	createVouch,
	type InstalledPluginStatus,
	isVouchError,
	type LoadablePlugin,
	type PluginWatch,
	type StartupReport,
	sanitizeText,
} from '@vouch/library';
import { capabilityLabels, describeEnforcement } from './capability-labels.ts';
import { ENABLE_LIMIT_MS, type FailureKind, judgeFailures } from './crash-loop.ts';
import { hostStatePath, hostStateStore } from './host-state.ts';
import { startInProcessPlugin } from './in-process-plugin.ts';
import { FORK_PLUGIN, startIsolatedPlugin } from './isolated-plugin.ts';
import { planPlugin } from './plugin-plan.ts';
import type { RunningPlugin } from './running-plugin.ts';
import { describeSafeMode, HEALTHY_AFTER_MS, safeModeReason } from './safe-mode.ts';
import { SYSTEM_TIMERS } from './timers.ts';
import type {
	HostNotice,
	HostStartReport,
	PluginHost,
	PluginHostOptions,
	PluginStatus,
} from './types.ts';

const DISABLE_LIMIT_MS = 5_000;

interface Slot {
	status: PluginStatus;
	source: LoadablePlugin;
	running?: RunningPlugin | undefined;
	heartbeat?: unknown;
	/**
	 * Set when the blacklist re-check took the plugin out (blocked, or no longer loadable): it
	 * never starts again in this host, whatever start or restart was already under way.
	 */
	retired?: boolean;
}

export function createPluginHost(options: PluginHostOptions): PluginHost {
	const vouch = options.vouch ?? createVouch({ ...options.vouchOptions, profile: options.profile });
	const timers = options.timers ?? SYSTEM_TIMERS;
	const mode = options.mode;
	const heartbeatMs = options.heartbeatMs ?? 10_000;
	const state = hostStateStore(hostStatePath(vouch.profile.dataDir));
	const slots = new Map<string, Slot>();
	const notify = (notice: HostNotice) => options.onNotice?.(notice);
	let watch: PluginWatch | undefined;
	let healthyTimer: unknown;
	/** Whether this start-up raised the marker (and so may clear it on a clean stop). */
	let markerRaised = false;
	let stopping = false;
	/** Starts under way: `stop()` waits for them, so no plugin process starts after it. */
	const starting = new Set<Promise<void>>();

	const who = (slot: Slot) => ({ uuid: slot.status.uuid, name: slot.status.name });

	const halt = (slot: Slot) => {
		if (slot.heartbeat !== undefined) timers.clearTimeout(slot.heartbeat);
		slot.heartbeat = undefined;
		const running = slot.running;
		slot.running = undefined;
		delete slot.status.pid;
		return running;
	};

	/** Stops a plugin politely (its `disable()`), then for certain. */
	const shutDown = async (slot: Slot) => {
		const running = halt(slot);
		if (running === undefined) return;
		await running.disable(DISABLE_LIMIT_MS).catch(() => undefined);
		running.kill();
	};

	/**
	 * Whether a start must be given up: the host is stopping, or a block arrived while the start
	 * awaited the disk. Checked after every wait before the fork; once the process runs, the
	 * block's own shutdown reaches it through `slot.running`.
	 */
	const abandoned = (slot: Slot) => stopping || slot.retired === true;

	const failed = async (slot: Slot, kind: FailureKind, detail: string) => {
		if (abandoned(slot) || slot.status.state === 'disabled') return;
		halt(slot)?.kill();
		const now = timers.now();
		const after = await state.update((s) => {
			s.failures[slot.status.uuid] = [...(s.failures[slot.status.uuid] ?? []), now];
		});
		// A block that came meanwhile decides; a restart or a crash-loop verdict would undo it.
		if (abandoned(slot)) return;
		const verdict = judgeFailures(after.failures[slot.status.uuid] ?? [], now, kind);
		// The detail can be the plugin's own words (an error it threw): sanitised (D24).
		notify({
			kind: 'failure',
			plugin: who(slot),
			message: `${slot.status.name}: ${sanitizeText(detail, { maxLength: 500 })}`,
		});
		if (!verdict.crashLoop) {
			await launch(slot);
			return;
		}
		slot.status.state = 'disabled';
		slot.status.reason = verdict.reason;
		await vouch
			.disable(slot.status.uuid, { kind: 'crash_loop', reason: verdict.reason })
			.catch((error: unknown) => {
				notify({
					kind: 'failure',
					plugin: who(slot),
					message: `could not record the disable: ${String(error)}`,
				});
			});
		notify({
			kind: 'crash_loop',
			plugin: who(slot),
			message: `${slot.status.name} was disabled: ${verdict.reason}`,
		});
	};

	const beat = (slot: Slot, running: RunningPlugin) => {
		slot.heartbeat = timers.setTimeout(() => {
			if (slot.running !== running) return;
			running.ping(heartbeatMs).then(
				() => {
					if (slot.running === running) beat(slot, running);
				},
				() => {
					if (slot.running === running)
						void failed(slot, 'missed-heartbeat', 'it missed a heartbeat');
				},
			);
		}, heartbeatMs);
	};

	const launch = (slot: Slot): Promise<void> => {
		const start = startSlot(slot).finally(() => starting.delete(start));
		starting.add(start);
		return start;
	};

	const startSlot = async (slot: Slot): Promise<void> => {
		if (abandoned(slot)) return;
		slot.status.state = 'starting';
		let running: RunningPlugin;
		try {
			const plan = await planPlugin(slot.source, vouch.profile.dataDir, {
				checkSymlinks: mode === 'isolated',
				javascriptOnly: mode === 'isolated',
			});
			const grants = options.grants?.(who(slot)) ?? {};
			// The permission model grants by path: a granted symlink must become its target.
			const readGrants = await Promise.all((grants.read ?? []).map((path) => realpath(path)));
			if (abandoned(slot)) return;
			const fetchImpl = options.fetch ?? globalThis.fetch;
			running =
				mode === 'isolated'
					? startIsolatedPlugin({
							plan,
							api: options.api,
							fetch: fetchImpl,
							timers,
							readGrants,
							consented: grants.consent ?? [],
							heapMb: options.heapMb ?? 64,
							fork: options.fork ?? FORK_PLUGIN,
							onOutput: (line) => options.onOutput?.(who(slot), line),
						})
					: startInProcessPlugin({ plan, api: options.api, fetch: fetchImpl, timers });
		} catch (error) {
			if (abandoned(slot)) return;
			slot.status.state = 'refused';
			slot.status.reason = isVouchError(error) ? error.message : String(error);
			notify({ kind: 'refused', plugin: who(slot), message: slot.status.reason });
			return;
		}
		slot.running = running;
		if (running.pid !== undefined) slot.status.pid = running.pid;
		running.onExit((why) => {
			if (slot.running === running) void failed(slot, 'crash', why);
		});
		try {
			await running.enable(ENABLE_LIMIT_MS);
		} catch (error) {
			if (slot.running !== running) return;
			const slow = isVouchError(error) && error.code === 'CALL_TIMEOUT';
			const detail = isVouchError(error) ? error.message : String(error);
			await failed(slot, slow ? 'slow-enable' : 'enable-failed', `enable failed: ${detail}`);
			return;
		}
		if (slot.running !== running) return;
		slot.status.state = 'running';
		delete slot.status.reason;
		notify({
			kind: 'started',
			plugin: who(slot),
			message: `${slot.status.name} enabled (${mode})`,
		});
		if (mode === 'isolated') beat(slot, running);
	};

	let handling: Promise<void> = Promise.resolve();
	const onReport = (report: StartupReport) => {
		handling = handling.then(() => applyReport(report)).catch(() => undefined);
	};
	const recheck = async () => {
		if (watch === undefined) onReport(await vouch.startupCheck());
		else await watch.checkNow();
		await handling;
	};

	/** A plugin the blacklist blocked while the host runs stops now, without a restart. */
	const applyReport = async (report: StartupReport) => {
		const hard = new Set(report.quarantined.map((entry) => entry.uuid));
		const loadable = new Set(report.load.map((plugin) => plugin.uuid));
		for (const entry of report.disabled) {
			const slot = slots.get(entry.uuid);
			if (slot === undefined) continue;
			slot.retired = true;
			// A hard block names malware: its `disable()` would be one more chance to act, with the
			// host's API still answering. An isolated process ends at once; an in-process plugin
			// can only be asked to stop.
			if (mode === 'isolated' && entry.kind === 'blacklist' && entry.severity !== 'soft')
				halt(slot)?.kill();
			else await shutDown(slot);
			slot.status.state = 'disabled';
			slot.status.reason = entry.reason;
			const block = blockOf(entry);
			const more = blockLines(entry);
			notify(
				hard.has(entry.uuid)
					? {
							kind: 'quarantined',
							plugin: who(slot),
							message: `${slot.status.name} was blocked and quarantined: ${entry.reason}${more}`,
							...block,
						}
					: {
							kind: 'disabled',
							plugin: who(slot),
							message: `${slot.status.name} was disabled (${entry.kind}): ${entry.reason}${more}${
								entry.severity === 'soft' ? ' You may enable it again after reading this.' : ''
							}`,
							...block,
						},
			);
		}
		let statuses: Promise<Map<string, InstalledPluginStatus> | undefined> | undefined;
		/**
		 * Whether a plugin that left the load list without news in this report is hard-blocked:
		 * another process (the user's `vouch startup-check`, a second host) may have applied the
		 * block first, and a quarantined plugin is not checked again. Unknown counts as blocked:
		 * so does a plugin the store no longer lists (removed in another process, perhaps just after
		 * that process quarantined it), whose block, if any, can no longer be read. Its `disable()`
		 * is only a courtesy to a plugin on its way out.
		 */
		const hardBlocked = async (uuid: string): Promise<boolean> => {
			statuses ??= vouch.list().then(
				(list) => new Map(list.map((status) => [status.plugin.uuid, status])),
				() => undefined,
			);
			const known = await statuses;
			if (known === undefined) return true;
			const status = known.get(uuid);
			if (status === undefined) return true;
			return (
				status.plugin.state === 'quarantined' ||
				(status.blacklisted !== undefined && status.blacklisted.severity !== 'soft')
			);
		};
		for (const slot of slots.values()) {
			if (slot.retired === true || loadable.has(slot.status.uuid)) continue;
			// Also one between a crash and its restart: it has no process, and must not get one.
			slot.retired = true;
			if (slot.status.state === 'disabled' || slot.status.state === 'refused') continue;
			// As above: a hard block's `disable()` would be one more chance to act.
			if (
				mode === 'isolated' &&
				slot.running !== undefined &&
				(await hardBlocked(slot.status.uuid))
			)
				halt(slot)?.kill();
			else await shutDown(slot);
			slot.status.state = 'stopped';
			slot.status.reason = 'no longer allowed to load';
			notify({
				kind: 'disabled',
				plugin: who(slot),
				message: `${slot.status.name} was stopped: it may no longer load`,
			});
		}
	};

	return {
		mode,
		async start(): Promise<HostStartReport> {
			for (const line of describeEnforcement(mode)) notify({ kind: 'mode', message: line });
			const before = await state.read();
			const safe = safeModeReason({
				flag: options.safeMode === true,
				env: options.env ?? process.env,
				unhealthyStarts: before.unhealthyStarts,
			});
			if (safe !== undefined) {
				notify({ kind: 'safe-mode', message: describeSafeMode(safe) });
				return { mode, safeMode: safe, plugins: [], capabilities: capabilityLabels(mode) };
			}
			// The marker goes down before any plugin code runs: a start-up that takes the whole
			// process down leaves it behind, and three in a row mean safe mode.
			await state.update((s) => {
				s.unhealthyStarts += 1;
			});
			markerRaised = true;
			healthyTimer = timers.setTimeout(() => {
				void state.update((s) => {
					s.unhealthyStarts = 0;
				});
			}, HEALTHY_AFTER_MS);
			const report = await vouch.startupCheck();
			for (const warning of report.warnings) notify({ kind: 'startup', message: warning });
			for (const entry of report.disabled)
				notify({
					kind: 'disabled',
					plugin: entry,
					message: `${entry.name} was disabled (${entry.kind}): ${entry.reason}${blockLines(entry)}`,
					...blockOf(entry),
				});
			for (const entry of report.heldBack)
				notify({
					kind: 'startup',
					plugin: entry,
					message: `${entry.name} held back: ${entry.reason}`,
				});
			for (const plugin of report.load) {
				slots.set(plugin.uuid, {
					source: plugin,
					status: { uuid: plugin.uuid, name: plugin.name, state: 'starting' },
				});
			}
			await Promise.all([...slots.values()].map((slot) => launch(slot)));
			watch = vouch.watch({
				onReport,
				onError: (error) =>
					notify({ kind: 'startup', message: `re-check failed: ${String(error)}` }),
				...(options.recheckIntervalMs === undefined
					? {}
					: { intervalMs: options.recheckIntervalMs }),
				...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
			});
			return { mode, plugins: this.plugins(), capabilities: capabilityLabels(mode) };
		},
		recheck,
		plugins: () => [...slots.values()].map((slot) => ({ ...slot.status })),
		async leaveSafeMode() {
			await state.update((s) => {
				s.unhealthyStarts = 0;
			});
		},
		async stop() {
			stopping = true;
			watch?.stop();
			if (healthyTimer !== undefined) timers.clearTimeout(healthyTimer);
			await Promise.all([...slots.values()].map((slot) => shutDown(slot)));
			// A start under way gives up before its fork (`abandoned`), or its process was just shut down.
			await Promise.all([...starting]);
			for (const slot of slots.values())
				if (slot.status.state === 'running') slot.status.state = 'stopped';
			// A start-up that ends cleanly did not crash; one in safe mode changes nothing.
			if (markerRaised) {
				await state.update((s) => {
					s.unhealthyStarts = 0;
				});
			}
		},
	};
}

type DisabledEntry = StartupReport['disabled'][number];

/** The blacklist entry's fields a notice carries; already sanitised by the library (D24). */
function blockOf(entry: DisabledEntry): Pick<HostNotice, 'block'> {
	if (entry.kind !== 'blacklist') return {};
	return {
		block: {
			...(entry.severity === undefined ? {} : { severity: entry.severity }),
			...(entry.incident === undefined ? {} : { incident: entry.incident }),
			...(entry.advice === undefined ? {} : { advice: entry.advice }),
			...(entry.alsoSoftReasons === undefined ? {} : { alsoSoftReasons: entry.alsoSoftReasons }),
		},
	};
}

/**
 * The advice, the incident link and any further soft entries' reasons as sentences after the
 * reason, for hosts that show only `message`: a user who enables it again accepts them all.
 */
function blockLines(entry: DisabledEntry): string {
	const parts: string[] = [];
	if (entry.advice !== undefined) parts.push(` Advice: ${sanitizeText(entry.advice)}`);
	if (entry.incident !== undefined) parts.push(` Incident: ${sanitizeText(entry.incident)}`);
	for (const reason of entry.alsoSoftReasons ?? [])
		parts.push(` Also not recommended: ${sanitizeText(reason)}.`);
	return parts.join('');
}
