/**
 * `vouch config get|set|unset|list`: settings that stick, so `--registry`, `--profile` and
 * `--service` need not be repeated. `profile` is kept in the user's config directory,
 * `registry` and `service` in the chosen profile's (see core/settings.ts). `list` shows what
 * is in effect and where each value came from: flag, environment, stored setting or the
 * profile's default.
 */
import { existsSync } from 'node:fs';
import type { Command } from '@commander-js/extra-typings';
import { coreError, ExitCode } from '@vouch/library/internal/core/errors';
import { resolveProfile } from '@vouch/library/internal/core/profile';
import {
	globalSettingsFile,
	normaliseSettingValue,
	profileSettingsFile,
	SETTING_KEYS,
	SETTING_SCOPE,
	type SettingKey,
	settingKey,
	writeSetting,
} from '@vouch/library/internal/core/settings';
import { jsonOption, profileOption } from '../common-options.ts';
import type { CliIO } from '../io.ts';
import type {
	ConfigGetJson,
	ConfigListJson,
	ConfigSetJson,
	EffectiveSettingJson,
} from '../json/config.ts';
import { createOutput, type Output } from '../output.ts';
import type { CommandContext } from '../program.ts';
import {
	type EffectiveSetting,
	homeOf,
	resolveProfileChoice,
	resolveSettings,
} from '../settings.ts';
import { safe } from '../style.ts';

/** The variable each key is read from, when it has one (`service` has none, on purpose). */
const ENV_VARIABLE: Readonly<Partial<Record<SettingKey, string>>> = {
	profile: 'VOUCH_PROFILE',
	registry: 'VOUCH_REGISTRY_URL',
};

export function registerConfig(program: Command, { io }: CommandContext): void {
	const config = program
		.command('config')
		.description(
			`show or store settings (${SETTING_KEYS.join(', ')}) so flags need not be repeated`,
		);
	config
		.command('list')
		.description('show each setting in effect and where it comes from')
		.addOption(profileOption())
		.addOption(jsonOption())
		.action((options) => {
			const output = createOutput(io, options.json === true);
			const { settings } = resolveSettings(options, io);
			const all = SETTING_KEYS.map((key) => settings[key]);
			if (output.json) {
				output.result({ ok: true, settings: all.map(settingJson) } satisfies ConfigListJson);
				return;
			}
			for (const setting of all) printSetting(setting, output);
		});
	config
		.command('get')
		.description('print the value of one setting in effect')
		.argument('<key>', SETTING_KEYS.join(' | '))
		.addOption(profileOption())
		.addOption(jsonOption())
		.action((name, options) => {
			const key = settingKey(name);
			const output = createOutput(io, options.json === true);
			const setting = resolveSettings(options, io).settings[key];
			if (output.json) {
				output.result({ ok: true, ...settingJson(setting) } satisfies ConfigGetJson);
				return;
			}
			for (const value of [setting.value].flat()) output.line(safe(value));
			output.detail(describeSource(setting));
		});
	config
		.command('set')
		.description('store a setting (registry, service: for the chosen profile)')
		.argument('<key>', SETTING_KEYS.join(' | '))
		.argument('<value>', 'a profile name or file; a registry file or URL; a service URL')
		.addOption(profileOption())
		.addOption(jsonOption())
		.action(async (name, raw, options) => {
			const key = settingKey(name);
			const output = createOutput(io, options.json === true);
			const value = checkedValue(key, raw, io);
			const file = settingsFileFor(key, options, io);
			await writeSetting(file, key, value);
			if (output.json) {
				output.result({ ok: true, key, value, file } satisfies ConfigSetJson);
				return;
			}
			output.line(`${output.style.green('✓')} ${key} = ${safe(value)}`);
			output.line(output.style.dim(`  stored in ${safe(file)}`));
			shadowNotice(key, options, io, output);
		});
	config
		.command('unset')
		.description('remove a stored setting, going back to the default')
		.argument('<key>', SETTING_KEYS.join(' | '))
		.addOption(profileOption())
		.addOption(jsonOption())
		.action(async (name, options) => {
			const key = settingKey(name);
			const output = createOutput(io, options.json === true);
			const file = settingsFileFor(key, options, io);
			await writeSetting(file, key, undefined);
			if (output.json) {
				output.result({ ok: true, key, file } satisfies ConfigSetJson);
				return;
			}
			output.line(`${output.style.green('✓')} ${key} is no longer set in ${safe(file)}`);
		});
}

/** `profile` sits beside the profiles; `registry` in the chosen profile's directory. */
function settingsFileFor(key: SettingKey, options: { profile?: string }, io: CliIO): string {
	if (SETTING_SCOPE[key] === 'global') return globalSettingsFile(io.env, homeOf(io));
	return profileSettingsFile(resolveProfileChoice(options, io).profile);
}

/** The stored form of a value, refused before it is written if no command could use it. */
function checkedValue(key: SettingKey, raw: string, io: CliIO): string {
	const value = normaliseSettingValue(key, raw, { cwd: io.cwd, home: homeOf(io) });
	const isPath = !/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value) && value.startsWith('/');
	if (key === 'registry' && isPath && !existsSync(value)) {
		throw coreError('INVALID_SETTING', `There is no registry file at ${safe(value)}.`, {
			hint: 'Give the path of a registry file (plugins.toml or .json), or an https:// URL.',
			exitCode: ExitCode.usage,
			details: { key, value },
		});
	}
	if (key === 'profile') {
		// Loading it now turns a typo into an error here, not in every later command.
		resolveProfile({ nameOrFile: value, env: io.env, cwd: io.cwd, home: homeOf(io) });
	}
	return value;
}

/** A stored value that a flag or the environment overrides still surprises: say so. */
function shadowNotice(
	key: SettingKey,
	options: { profile?: string },
	io: CliIO,
	output: Output,
): void {
	const variable =
		key === 'profile' ? 'VOUCH_PROFILE' : key === 'registry' ? 'VOUCH_REGISTRY_URL' : undefined;
	if (variable !== undefined && io.env[variable]?.trim()) {
		output.note(`note: ${variable} is set, and it comes before this setting.`);
	}
	if (key === 'profile' && options.profile !== undefined) {
		output.note('note: --profile was given too; it applies to this command only.');
	}
}

function settingJson(setting: EffectiveSetting): EffectiveSettingJson {
	return {
		key: setting.key,
		value: setting.value,
		source: setting.source,
		file: setting.file,
	};
}

/**
 * Where the value in effect comes from, in words that are true of it: only a stored value is
 * said to be in the file; for any other the file is where `config set` would put one.
 */
function describeSource(setting: EffectiveSetting): string {
	const file = safe(setting.file);
	switch (setting.source) {
		case 'config':
			return `(stored in ${file})`;
		case 'flag':
			return '(from the command line, for this command only)';
		case 'env':
			return `(from the environment: ${ENV_VARIABLE[setting.key] ?? 'a variable'})`;
		default: {
			// An empty value already reads "(not set)" on its own line.
			const what =
				[setting.value].flat().length === 0
					? ''
					: setting.key === 'profile'
						? 'the default; '
						: "the profile's default; ";
			return `(${what}nothing stored: \`vouch config set ${setting.key} <value>\` would store one in ${file})`;
		}
	}
}

function printSetting(setting: EffectiveSetting, output: Output): void {
	const values = [setting.value].flat().map((value) => safe(value));
	output.line(`${setting.key} = ${values.length === 0 ? '(not set)' : values.join(', ')}`);
	output.line(output.style.dim(`  ${describeSource(setting)}`));
}
