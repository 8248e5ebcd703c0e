import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isVouchError } from '../../src/core/errors.ts';
import {
	normaliseSettingValue,
	readSettingsFile,
	settingKey,
	writeSetting,
} from '../../src/core/settings.ts';
import { makeTempDir } from '../helpers/temp.ts';

const codeOf = (fn: () => unknown): string | undefined => {
	try {
		fn();
	} catch (error) {
		return isVouchError(error) ? error.code : 'NOT_VOUCH';
	}
	return undefined;
};

describe('settings', () => {
	it('keys are a closed set, with a suggestion for a typo', () => {
		assert.equal(settingKey('registry'), 'registry');
		try {
			settingKey('regsitry');
			assert.fail('accepted');
		} catch (error) {
			assert.ok(isVouchError(error));
			assert.equal(error.code, 'UNKNOWN_SETTING');
			assert.deepEqual(error.details?.similar, ['registry']);
		}
		assert.equal(
			codeOf(() => settingKey('__proto__')),
			'UNKNOWN_SETTING',
		);
	});

	it('writes atomically, keeps other keys, and unsets', async () => {
		const dir = makeTempDir('vouch-settings-');
		const file = join(dir, 'nested', 'config.toml');
		assert.deepEqual(readSettingsFile(file, 'profile'), {}, 'an absent file holds nothing');
		await writeSetting(file, 'registry', '/srv/mirror/plugins.toml');
		assert.deepEqual(readSettingsFile(file, 'profile'), { registry: '/srv/mirror/plugins.toml' });
		await writeSetting(file, 'registry', undefined);
		assert.deepEqual(readSettingsFile(file, 'profile'), {});
		assert.match(readFileSync(file, 'utf8'), /vouch config/);
	});

	it('keeps the file to its owner: a registry URL may carry a token', async (t) => {
		if (process.platform === 'win32') return t.skip('no POSIX modes');
		const file = join(makeTempDir('vouch-settings-'), 'config.toml');
		writeFileSync(file, '', { mode: 0o644 });
		await writeSetting(file, 'registry', 'https://reader:s3cret@plugins.example.org/plugins.toml');
		assert.equal(statSync(file).mode & 0o077, 0, (statSync(file).mode & 0o777).toString(8));
	});

	it('a key from the other file, an unknown key or a non-string is refused naming the file', () => {
		const dir = makeTempDir('vouch-settings-');
		const file = join(dir, 'config.toml');
		for (const text of [
			'profile = "picard"\n',
			'colour = "x"\n',
			'registry = 3\n',
			'registry = [\n',
		]) {
			writeFileSync(file, text);
			try {
				readSettingsFile(file, 'profile');
				assert.fail(text);
			} catch (error) {
				assert.ok(isVouchError(error), text);
				assert.equal(error.code, 'INVALID_SETTING', text);
				assert.equal(error.details?.file, file, text);
			}
		}
	});

	it('values: paths become absolute, URLs must pass the registry-source rule', () => {
		const context = { cwd: '/srv/app', home: '/home/u' };
		assert.equal(normaliseSettingValue('registry', './r.toml', context), '/srv/app/r.toml');
		assert.equal(normaliseSettingValue('registry', '~/r.toml', context), '/home/u/r.toml');
		assert.equal(
			normaliseSettingValue('registry', 'https://example.org/plugins.toml', context),
			'https://example.org/plugins.toml',
		);
		assert.equal(normaliseSettingValue('profile', 'picard', context), 'picard');
		for (const bad of ['http://example.org/p.toml', 'ext::sh -c x', 'ftp://x/y', 'a\nb', '']) {
			assert.equal(
				codeOf(() => normaliseSettingValue('registry', bad, context)),
				'INVALID_SETTING',
				bad,
			);
		}
		// A stored relative path is refused: its meaning would depend on the directory.
		assert.equal(
			codeOf(() =>
				normaliseSettingValue('registry', 'r.toml', { ...context, file: '/c/config.toml' }),
			),
			'INVALID_SETTING',
		);
	});

	it('service: https or loopback http only, without credentials, and never a path', () => {
		const context = { cwd: '/srv/app', home: '/home/u' };
		for (const good of ['https://plugins.example.org/', 'http://127.0.0.1:8080/']) {
			assert.equal(normaliseSettingValue('service', good, context), good);
		}
		for (const bad of [
			'http://plugins.example.org/',
			'https://user:token@plugins.example.org/',
			'/srv/service',
			'file:///srv/service',
			'ssh://h/s',
			'',
		]) {
			assert.equal(
				codeOf(() => normaliseSettingValue('service', bad, context)),
				'INVALID_SETTING',
				bad,
			);
		}
	});
});
