/**
 * Where Vouch keeps its files (XDG base directories), and the directory name a plugin is
 * installed under. The plugin name comes from an untrusted manifest, so the directory
 * name is built from a strict alphabet and can never leave the plugins directory.
 */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { coreError } from './errors.ts';
import { isUuidV4, normaliseUuid } from './uuid.ts';

export interface XdgPaths {
	data: string;
	cache: string;
	config: string;
}

const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * `<base>/<appName>` for data, cache and config. An `XDG_*_HOME` value counts only when it is
 * an absolute path (the XDG spec says relative values are invalid and must be ignored).
 */
export function xdgPaths(
	appName: string,
	env: NodeJS.ProcessEnv = process.env,
	home: string = homedir(),
): XdgPaths {
	if (!SAFE_SEGMENT.test(appName) || appName.includes('..')) {
		throw coreError('USAGE', 'The application name must be a single plain path segment.');
	}
	const base = (variable: string, fallback: readonly string[]): string => {
		const value = env[variable];
		if (value !== undefined && isAbsolute(value)) return join(value, appName);
		if (!isAbsolute(home)) {
			throw coreError(
				'NO_HOME_DIRECTORY',
				`There is no home directory to put ${appName} files in.`,
				{
					hint: `Set HOME, or set ${variable} to an absolute path.`,
				},
			);
		}
		return join(home, ...fallback, appName);
	};
	return {
		data: base('XDG_DATA_HOME', ['.local', 'share']),
		cache: base('XDG_CACHE_HOME', ['.cache']),
		config: base('XDG_CONFIG_HOME', ['.config']),
	};
}

const MAX_SAFE_NAME_LENGTH = 50;

/**
 * The reference's name sanitising: lowercase, every run outside `[a-z0-9]` becomes `_`,
 * `_` trimmed from both ends, cut to 50 characters, `plugin` when nothing is left. Only
 * `[a-z0-9_]` survives, so `../../x`, `/`, NUL or any non-ASCII cannot form a path.
 */
export function safeDirectoryName(name: string): string {
	const text = typeof name === 'string' ? name : '';
	const safe = text
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '_')
		.replace(/^_+|_+$/g, '')
		.slice(0, MAX_SAFE_NAME_LENGTH);
	return safe.length === 0 ? 'plugin' : safe;
}

/** `<safe name>_<uuid>`: the install directory and internal key of a plugin. */
export function pluginDirectoryName(name: string, uuid: string): string {
	const id = normaliseUuid(uuid);
	// The UUID ends up in a path too, so it must be exactly the v4 shape and nothing else.
	if (!isUuidV4(id)) throw coreError('INVALID_UUID', 'The plugin UUID is not a v4 UUID.');
	return `${safeDirectoryName(name)}_${id}`;
}
