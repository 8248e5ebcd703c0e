/**
 * What the host needs to start one plugin, read from disk before any plugin code runs: its
 * manifest (entry, capabilities, network allow-list), the real path of its directory and
 * entry, and its data directory. Real paths matter: the permission model grants by path, and
 * a path with a symlink in it would grant the wrong tree.
 */
import { mkdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Capability, readManifest, sanitizeText } from '@vouch/library';
import { hostError } from './errors.ts';
import { assertNoSymlinkEscape, isInside } from './symlinks.ts';

export interface PluginPlan {
	uuid: string;
	/** Sanitised, for display. */
	name: string;
	/** Real path of the plugin's directory. */
	dir: string;
	/** Real path of the entry module, inside `dir`. */
	entry: string;
	/** Real path of the plugin's data directory (created if missing). */
	dataDir: string;
	/** Capabilities set to true; an undeclared table grants none. */
	declared: Capability[];
	/** Origins `api.fetch` may reach. */
	networkAllow: string[];
}

export interface PlanInput {
	uuid: string;
	name: string;
	path: string;
}

/** `<profile data dir>/plugin-data/<uuid>`: where the library keeps (and purges) plugin data. */
export function pluginDataDir(profileDataDir: string, uuid: string): string {
	return join(profileDataDir, 'plugin-data', uuid.toLowerCase());
}

export async function planPlugin(
	plugin: PlanInput,
	profileDataDir: string,
	options: { checkSymlinks: boolean; javascriptOnly?: boolean },
): Promise<PluginPlan> {
	const name = sanitizeText(plugin.name, { maxLength: 100 });
	const dir = await realpath(plugin.path);
	const result = await readManifest(dir);
	const manifest = result.manifest;
	if (manifest === undefined) {
		throw hostError('ENTRY_INVALID', `${name}: its MANIFEST.toml is not valid.`, {
			hint: 'Run `vouch validate` on the plugin.',
		});
	}
	if (manifest.entry === undefined) {
		throw hostError('ENTRY_INVALID', `${name}: the manifest names no entry module.`, {
			hint: 'Add `entry = "index.mjs"` (a path inside the plugin) to MANIFEST.toml.',
		});
	}
	let entry: string;
	try {
		entry = await realpath(join(dir, manifest.entry));
	} catch (cause) {
		throw hostError('ENTRY_INVALID', `${name}: its entry module does not exist.`, { cause });
	}
	if (!isInside(dir, entry) || !(await stat(entry)).isFile()) {
		throw hostError('ENTRY_INVALID', `${name}: its entry module is not a file inside the plugin.`);
	}
	// An isolated process may read nothing but the plugin: no TypeScript loader can run there.
	if (options.javascriptOnly === true && /\.[mc]?ts$/.test(entry)) {
		throw hostError('ENTRY_INVALID', `${name}: an isolated plugin's entry must be JavaScript.`, {
			hint: 'Ship the plugin compiled to JavaScript, or run it in-process.',
		});
	}
	const wantedData = pluginDataDir(profileDataDir, plugin.uuid);
	await mkdir(wantedData, { recursive: true, mode: 0o700 });
	const dataDir = await realpath(wantedData);
	if (options.checkSymlinks) {
		await assertNoSymlinkEscape(dir, `${name}: plugin directory`);
		await assertNoSymlinkEscape(dataDir, `${name}: data directory`);
	}
	return {
		uuid: plugin.uuid.toLowerCase(),
		name,
		dir,
		entry,
		dataDir,
		declared: manifest.capabilities.status === 'declared' ? manifest.capabilities.granted : [],
		networkAllow: manifest.networkAllow ?? [],
	};
}
