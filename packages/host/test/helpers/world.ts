/**
 * A host's world for tests: a temp directory with a real profile file, a real registry file
 * (with an empty blacklist), XDG directories, and plugins installed from local
 * directories through the real library. Nothing touches the real home or the network.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createVouch, type Vouch } from '@vouch/library';
import type { HostTimers } from '../../src/timers.ts';
import { type PluginSource, tempDir, writePlugin } from './plugins.ts';

export interface HostTestWorld {
	root: string;
	env: NodeJS.ProcessEnv;
	profileFile: string;
	dataDir: string;
	vouch: Vouch;
	/** Writes the plugin and installs it, enabled. */
	install(source: PluginSource): Promise<{ dir: string; uuid: string }>;
}

export function createHostTestWorld(now: () => Date = () => new Date()): HostTestWorld {
	const root = tempDir();
	const env: NodeJS.ProcessEnv = {
		HOME: join(root, 'home'),
		XDG_DATA_HOME: join(root, 'xdg-data'),
		XDG_CACHE_HOME: join(root, 'xdg-cache'),
		XDG_CONFIG_HOME: join(root, 'xdg-config'),
		PATH: process.env.PATH ?? '/usr/bin:/bin',
	};
	const profileFile = join(root, 'host.toml');
	const registryFile = join(root, 'plugins.json');
	writeFileSync(
		profileFile,
		[
			'name = "testhost"',
			'api_versions = ["3.0"]',
			'registry_urls = ["plugins.json"]',
			'allow_unsigned = true',
			'categories = ["metadata", "other"]',
			'plugins_dir = "state/plugins"',
			'data_dir = "state/data"',
			'cache_dir = "state/cache"',
			'config_dir = "state/config"',
			'refresh_interval_hours = 0.0001',
			'',
		].join('\n'),
	);
	const writeRegistry = (blacklist: unknown[]) =>
		writeFileSync(registryFile, JSON.stringify({ api_version: '3.0', plugins: [], blacklist }));
	writeRegistry([]);
	const vouch = createVouch({ profile: profileFile, env, cwd: root, now });
	return {
		root,
		env,
		profileFile,
		dataDir: join(root, 'state', 'data'),
		vouch,
		async install(source) {
			const plugin = writePlugin(join(root, 'sources'), source);
			await vouch.install(plugin.dir, { yes: true, acceptFindings: true });
			return plugin;
		},
	};
}

/** Timers a test moves by hand: nothing fires until `advance`. */
export class ManualTimers implements HostTimers {
	#now: number;
	#next = 1;
	readonly #due = new Map<number, { at: number; run: () => void }>();

	constructor(start = Date.parse('2026-06-01T12:00:00Z')) {
		this.#now = start;
	}
	now(): number {
		return this.#now;
	}
	setTimeout(run: () => void, ms: number): unknown {
		const id = this.#next++;
		this.#due.set(id, { at: this.#now + ms, run });
		return id;
	}
	clearTimeout(handle: unknown): void {
		this.#due.delete(handle as number);
	}
	/** Moves the clock and runs, in time order, every timer that came due. */
	advance(ms: number): void {
		const until = this.#now + ms;
		for (;;) {
			const next = [...this.#due.entries()]
				.filter(([, t]) => t.at <= until)
				.sort((a, b) => a[1].at - b[1].at)[0];
			if (next === undefined) break;
			this.#due.delete(next[0]);
			this.#now = Math.max(this.#now, next[1].at);
			next[1].run();
		}
		this.#now = until;
	}
	get pending(): number {
		return this.#due.size;
	}
}
