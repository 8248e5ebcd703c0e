/**
 * The host profile the demo's `vouch` commands use (`<dataDir>/demo-profile.toml`): the service's
 * signed registry as the only source, the TUF root to trust, and every directory the CLI writes
 * (plugins, data, cache, settings) inside `<dataDir>/host/`, so trying the demo never touches
 * the user's own plugins or configuration.
 */
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '@vouch/library/internal/core/atomic-fs';
import { normaliseBaseUrl } from './registry-document.ts';

export const DEMO_PROFILE_FILE = 'demo-profile.toml';
export const DEMO_HOST_DIR = 'host';
export const DEMO_PROFILE_NAME = 'vouch-demo';
/** The root a host ships, copied from the repository (relative to the data directory). */
export const DEMO_TRUSTED_ROOT = join(DEMO_HOST_DIR, 'trusted-root.json');

export interface DemoProfileOptions {
	/**
	 * The root metadata the demo host trusts: the TUF repository's first root
	 * (`metadata/1.root.json`). Clients start from it and follow any rotation.
	 */
	rootFile: string;
}

export interface DemoProfile {
	profileFile: string;
	hostDir: string;
	/** The service's TUF repository, as the profile names it. */
	registryUrl: string;
}

export async function writeDemoProfile(
	dataDir: string,
	baseUrl: string,
	options: DemoProfileOptions,
): Promise<DemoProfile> {
	const root = resolve(dataDir);
	const hostDir = join(root, DEMO_HOST_DIR);
	const shipped = join(root, DEMO_TRUSTED_ROOT);
	if (!(await sameBytes(options.rootFile, shipped))) {
		// Another root means another ecosystem (new keys, a new log). What the demo host
		// verified and installed under the old one would only fail against it: start afresh.
		await rm(hostDir, { recursive: true, force: true });
	}
	await mkdir(hostDir, { recursive: true, mode: 0o700 });
	await copyFile(options.rootFile, shipped);
	const registryUrl = `${normaliseBaseUrl(baseUrl)}tuf/`;
	const profileFile = join(root, DEMO_PROFILE_FILE);
	const lines = [
		'# The demo host behind `npm start`; paths are relative to this file.',
		`name = "${DEMO_PROFILE_NAME}"`,
		'api_versions = ["3.0"]',
		`registry_urls = [${JSON.stringify(registryUrl)}]`,
		`trusted_root = ${JSON.stringify(DEMO_TRUSTED_ROOT)}`,
		'allow_unsigned = false',
		// Short, so that a blacklist change made on the admin pages reaches the demo host within
		// minutes, as the next command refreshes.
		'refresh_interval_hours = 0.05',
		`plugins_dir = ${JSON.stringify(join(DEMO_HOST_DIR, 'plugins'))}`,
		`data_dir = ${JSON.stringify(join(DEMO_HOST_DIR, 'data'))}`,
		`cache_dir = ${JSON.stringify(join(DEMO_HOST_DIR, 'cache'))}`,
		`config_dir = ${JSON.stringify(join(DEMO_HOST_DIR, 'config'))}`,
		'',
	];
	await writeFileAtomic(profileFile, lines.join('\n'));
	return { profileFile, hostDir, registryUrl };
}

/** Whether `shipped` exists with the same bytes as `source`. */
async function sameBytes(source: string, shipped: string): Promise<boolean> {
	const wanted = await readFile(source);
	try {
		return wanted.equals(await readFile(shipped));
	} catch {
		return false;
	}
}
