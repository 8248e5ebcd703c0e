/**
 * Settings the user stores so they need not repeat them on every command (`vouch config`).
 * The set of keys is closed: a typo is an error with a suggestion, never a silently ignored
 * line. Each key lives where it belongs:
 *
 * - `profile` picks the host profile, so it cannot live inside one: it is in
 *   `<XDG_CONFIG_HOME>/vouch/config.toml`.
 * - `registry` belongs to a host (Picard's registry means nothing to another application):
 *   it is in the profile's own config directory, `<config_dir>/config.toml`.
 * - `service`, the registry service community reports go to (D22), belongs to the host too,
 *   beside `registry`. It has no default: nothing is sent anywhere until it is set.
 *
 * Values are checked when they are set and again when they are read, since the file can be
 * edited by hand; a bad stored value names the file it came from.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseToml, stringify as stringifyToml, TomlError } from 'smol-toml';
import { readFileBoundedSync, writeFileAtomic } from './atomic-fs.ts';
import { closestMatches } from './edit-distance.ts';
import { coreError, ExitCode, isVouchError, type VouchError } from './errors.ts';
import { xdgPaths } from './paths.ts';
import { sanitizeText } from './sanitize.ts';
import { checkTransport, gitTransportOf } from './transport-policy.ts';

export const SETTING_KEYS = ['profile', 'registry', 'service'] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];
export type StoredSettings = Partial<Record<SettingKey, string>>;

/** Which file holds a key: the user's global file, or the chosen profile's. */
export const SETTING_SCOPE: Readonly<Record<SettingKey, 'global' | 'profile'>> = {
	profile: 'global',
	registry: 'profile',
	service: 'profile',
};

const MAX_SETTINGS_BYTES = 16 * 1024;
const MAX_VALUE_LENGTH = 2048;

export function isSettingKey(value: string): value is SettingKey {
	return (SETTING_KEYS as readonly string[]).includes(value);
}

/** The key, or an `UNKNOWN_SETTING` error that suggests the closest one. */
export function settingKey(name: string): SettingKey {
	if (isSettingKey(name)) return name;
	const similar = closestMatches(name, SETTING_KEYS, 3);
	const suggestion = similar.length > 0 ? `Did you mean "${similar[0]}"? ` : '';
	throw coreError(
		'UNKNOWN_SETTING',
		`There is no setting called "${sanitizeText(name, { maxLength: 64 })}".`,
		{
			hint: `${suggestion}Settings: ${SETTING_KEYS.join(', ')}.`,
			exitCode: ExitCode.usage,
			details: { key: sanitizeText(name, { maxLength: 64 }), known: [...SETTING_KEYS], similar },
		},
	);
}

/** `<XDG_CONFIG_HOME>/vouch/config.toml`: where `profile` is kept. */
export function globalSettingsFile(env: NodeJS.ProcessEnv, home: string): string {
	return join(xdgPaths('vouch', env, home).config, 'config.toml');
}

/** `<profile config_dir>/config.toml`: where the profile's `registry` is kept. */
export function profileSettingsFile(profile: { configDir: string }): string {
	return join(profile.configDir, 'config.toml');
}

/**
 * The settings stored in `file` that belong to `scope`; an absent file holds none. A file
 * that cannot be read or parsed, a key from the other scope, or an unknown key is an
 * `INVALID_SETTING` naming the file, so the user knows what to fix.
 */
export function readSettingsFile(file: string, scope: 'global' | 'profile'): StoredSettings {
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(
			readFileBoundedSync(file, MAX_SETTINGS_BYTES),
		);
	} catch (error) {
		if (isVouchError(error) && error.code === 'FILE_NOT_FOUND') return {};
		const reason = error instanceof Error ? error.message : String(error);
		throw badFile(file, `cannot be read (${sanitizeText(reason, { maxLength: 200 })})`, error);
	}
	let data: Record<string, unknown>;
	try {
		data = parseToml(text, { maxDepth: 2 }) as Record<string, unknown>;
	} catch (error) {
		if (!(error instanceof TomlError)) throw error;
		throw badFile(file, `is not valid TOML at line ${error.line}`, error);
	}
	const settings: StoredSettings = {};
	for (const [key, value] of Object.entries(data)) {
		if (!isSettingKey(key) || SETTING_SCOPE[key] !== scope) {
			throw badFile(file, `has an unknown key "${sanitizeText(key, { maxLength: 64 })}"`);
		}
		if (typeof value !== 'string' || value.length === 0 || value.length > MAX_VALUE_LENGTH) {
			throw badFile(file, `has a ${key} that is not a non-empty string`);
		}
		settings[key] = value;
	}
	return settings;
}

/** Sets (or with `undefined`, removes) one key, keeping the others; written atomically. */
export async function writeSetting(
	file: string,
	key: SettingKey,
	value: string | undefined,
): Promise<void> {
	const current = readSettingsFile(file, SETTING_SCOPE[key]);
	if (value === undefined) delete current[key];
	else current[key] = value;
	await mkdir(dirname(file), { recursive: true });
	const header = '# Written by `vouch config`; `vouch config list` shows what is in effect.\n';
	// Owner only: a private registry's URL may carry a token (`https://user:token@host/...`),
	// which Vouch redacts wherever it prints one; other users of the machine must not read it.
	await writeFileAtomic(file, `${header}${stringifyToml(current)}\n`, { mode: 0o600 });
}

export interface SettingValueContext {
	/** Base for a relative path given on the command line. */
	cwd: string;
	home: string;
	/** The file the value is stored in, for the hint of a bad stored value. */
	file?: string;
}

/**
 * Checks a value for `key` and returns the form that is stored: a local path becomes
 * absolute (a relative one would change meaning with the directory a command runs in), a
 * registry URL must pass the registry-source transport rule (D11).
 */
export function normaliseSettingValue(
	key: SettingKey,
	value: string,
	context: SettingValueContext,
): string {
	const text = value.trim();
	if (text.length === 0 || text.length > MAX_VALUE_LENGTH || hasControlCharacter(text)) {
		throw badValue(key, value, 'must be a single line of text', context.file);
	}
	if (key === 'profile' && /^[a-z][a-z0-9_-]*$/i.test(text) && !/[./\\]/.test(text)) {
		// A plain word is a built-in profile name; resolving it is the profile loader's job.
		return text;
	}
	if (key === 'service') {
		// The service's own rule (https, or http to loopback) lives in the transport policy.
		if (checkTransport(text, { kind: 'service' }).allowed && !/^[a-z]+:\/\/[^/]*@/i.test(text)) {
			return text;
		}
		throw badValue(
			key,
			value,
			'is not an address reports may go to (https://, or http:// to this machine, without credentials)',
			context.file,
		);
	}
	if (gitTransportOf(text) === 'remote-helper') {
		throw badValue(key, value, 'names a git remote helper, which Vouch never runs', context.file);
	}
	if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text)) {
		if (key === 'profile') throw badValue(key, value, 'must be a name or a file', context.file);
		if (checkTransport(text, { kind: 'registry-source' }).allowed) return text;
		throw badValue(
			key,
			value,
			'is not an address Vouch reads a registry from (https://, http:// to this machine, file:// or a path)',
			context.file,
		);
	}
	const expanded = text === '~' ? context.home : text.replace(/^~\//, `${context.home}/`);
	if (!isAbsolute(expanded) && context.file !== undefined) {
		throw badValue(key, value, 'must be an absolute path', context.file);
	}
	return resolve(context.cwd, expanded);
}

function hasControlCharacter(text: string): boolean {
	for (const char of text) {
		const code = char.charCodeAt(0);
		if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
	}
	return false;
}

function badValue(key: SettingKey, value: string, problem: string, file?: string): VouchError {
	const shown = sanitizeText(value, { maxLength: 200 });
	return coreError('INVALID_SETTING', `The ${key} setting "${shown}" ${problem}.`, {
		hint:
			file === undefined
				? `Give a valid ${key}.`
				: `It is stored in ${sanitizeText(file)}: run \`vouch config set ${key} <value>\` or \`vouch config unset ${key}\`.`,
		exitCode: file === undefined ? ExitCode.usage : ExitCode.error,
		details: { key, ...(file === undefined ? {} : { file }) },
	});
}

function badFile(file: string, problem: string, cause?: unknown): VouchError {
	return coreError('INVALID_SETTING', `The settings file ${sanitizeText(file)} ${problem}.`, {
		hint: `Fix or delete ${sanitizeText(file)}; \`vouch config list\` shows which keys live in which file.`,
		...(cause === undefined ? {} : { cause }),
		details: { file },
	});
}
