/**
 * Which profile, registry and registry service a command uses, and why. Precedence, highest
 * first: the flag, the environment (`VOUCH_PROFILE`, `VOUCH_REGISTRY_URL`), the stored setting
 * (`vouch config set`), the profile's default. The service has no environment variable and no
 * default: reports go only where a flag or a stored setting says. `vouch config list` shows the same answer
 * with its source, so what it prints is what commands do.
 */
import { homedir } from 'node:os';
import { coreError, isVouchError } from '@vouch/library/internal/core/errors';
import { type HostProfile, resolveProfile } from '@vouch/library/internal/core/profile';
import { sanitizeText } from '@vouch/library/internal/core/sanitize';
import {
	globalSettingsFile,
	normaliseSettingValue,
	profileSettingsFile,
	readSettingsFile,
	type SettingKey,
} from '@vouch/library/internal/core/settings';
import type { CommonOptions } from './common-options.ts';
import type { CliIO } from './io.ts';

export type SettingSource = 'flag' | 'env' | 'config' | 'default';

export interface EffectiveSetting {
	key: SettingKey;
	/**
	 * The registry's default is the profile's list of sources, tried in order; the service's
	 * default is the empty list: none.
	 */
	value: string | string[];
	source: SettingSource;
	/** The settings file the key is stored in (whether or not it is set there). */
	file: string;
}

export interface ResolvedSettings {
	/** The profile, its registry sources already replaced by a stored registry. */
	profile: HostProfile;
	settings: Record<SettingKey, EffectiveSetting>;
}

export function homeOf(io: CliIO): string {
	return io.env.HOME ?? homedir();
}

function nonEmpty(value: string | undefined): string | undefined {
	const text = value?.trim();
	return text === undefined || text.length === 0 ? undefined : text;
}

export function resolveSettings(
	options: CommonOptions & { service?: string },
	io: CliIO,
): ResolvedSettings {
	const choice = resolveProfileChoice(options, io);
	const { profile, registry } = chooseRegistry(options, io, choice.profile);
	const service = chooseService(options, io, choice.profile);
	return { profile, settings: { profile: choice.setting, registry, service } };
}

/** `--service`, else the stored setting, else none: no default sends a report anywhere. */
function chooseService(
	options: { service?: string },
	io: CliIO,
	profile: HostProfile,
): EffectiveSetting {
	const file = profileSettingsFile(profile);
	const at = (value: string | string[], source: SettingSource): EffectiveSetting => ({
		key: 'service',
		value,
		source,
		file,
	});
	const flag = nonEmpty(options.service);
	// Checked by the command that uses it, under the report's own error codes.
	if (flag !== undefined) return at(flag, 'flag');
	const stored = readSettingsFile(file, 'profile').service;
	if (stored === undefined) return at([], 'default');
	const value = normaliseSettingValue('service', stored, { cwd: io.cwd, home: homeOf(io), file });
	return at(value, 'config');
}

/** The profile alone, without reading its stored registry (so a bad one can still be fixed). */
export function resolveProfileChoice(
	options: Pick<CommonOptions, 'profile'>,
	io: CliIO,
): { profile: HostProfile; setting: EffectiveSetting } {
	const home = homeOf(io);
	const globalFile = globalSettingsFile(io.env, home);
	const setting = chooseProfile(options, io, globalFile);
	try {
		const profile = resolveProfile({
			nameOrFile: setting.value as string,
			env: io.env,
			cwd: io.cwd,
			home,
		});
		return { profile, setting };
	} catch (error) {
		if (setting.source !== 'config' || !isVouchError(error)) throw error;
		throw coreError(
			'INVALID_SETTING',
			`The stored profile setting cannot be used: ${sanitizeText(error.message, { maxLength: 400 })}`,
			{
				hint: `It is stored in ${sanitizeText(globalFile)}: run \`vouch config set profile <name|file>\` or \`vouch config unset profile\`.`,
				cause: error,
				details: { key: 'profile', file: globalFile },
			},
		);
	}
}

function chooseRegistry(
	options: CommonOptions,
	io: CliIO,
	profile: HostProfile,
): { profile: HostProfile; registry: EffectiveSetting } {
	const file = profileSettingsFile(profile);
	const at = (value: string | string[], source: SettingSource): EffectiveSetting => ({
		key: 'registry',
		value,
		source,
		file,
	});
	const flag = nonEmpty(options.registry);
	if (flag !== undefined) return { profile, registry: at(flag, 'flag') };
	// The profile loader already put VOUCH_REGISTRY_URL in front of the profile's own list.
	if (nonEmpty(io.env.VOUCH_REGISTRY_URL) !== undefined) {
		return { profile, registry: at([...profile.registryUrls], 'env') };
	}
	const stored = readSettingsFile(file, 'profile').registry;
	if (stored === undefined) return { profile, registry: at([...profile.registryUrls], 'default') };
	const value = normaliseSettingValue('registry', stored, { cwd: io.cwd, home: homeOf(io), file });
	return { profile: { ...profile, registryUrls: [value] }, registry: at(value, 'config') };
}

function chooseProfile(
	options: Pick<CommonOptions, 'profile'>,
	io: CliIO,
	globalFile: string,
): EffectiveSetting {
	const at = (value: string, source: SettingSource): EffectiveSetting => ({
		key: 'profile',
		value,
		source,
		file: globalFile,
	});
	const flag = nonEmpty(options.profile);
	if (flag !== undefined) return at(flag, 'flag');
	const env = nonEmpty(io.env.VOUCH_PROFILE);
	if (env !== undefined) return at(env, 'env');
	const stored = readSettingsFile(globalFile, 'global').profile;
	if (stored !== undefined) {
		return at(
			normaliseSettingValue('profile', stored, { cwd: io.cwd, home: homeOf(io), file: globalFile }),
			'config',
		);
	}
	return at('picard', 'default');
}
