import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isVouchError } from '../../src/core/errors.ts';
import { pluginDirectoryName, safeDirectoryName, xdgPaths } from '../../src/core/paths.ts';

const UUID = '78430c8c-d2ed-4dcf-8b3f-d2bc8b7348ac';
const HOME = '/home/someone';

function throwsCode(fn: () => unknown, code: string): void {
	assert.throws(fn, (error: unknown) => isVouchError(error) && error.code === code);
}

describe('xdgPaths', () => {
	it('defaults to ~/.local/share, ~/.cache and ~/.config', () => {
		assert.deepEqual(xdgPaths('vouch', {}, HOME), {
			data: '/home/someone/.local/share/vouch',
			cache: '/home/someone/.cache/vouch',
			config: '/home/someone/.config/vouch',
		});
	});

	it('honours absolute XDG variables', () => {
		const env = { XDG_DATA_HOME: '/d', XDG_CACHE_HOME: '/c/', XDG_CONFIG_HOME: '/e' };
		assert.deepEqual(xdgPaths('vouch', env, HOME), {
			data: '/d/vouch',
			cache: '/c/vouch',
			config: '/e/vouch',
		});
	});

	it('ignores relative and empty XDG values, as the spec says', () => {
		const env = { XDG_DATA_HOME: 'relative/data', XDG_CACHE_HOME: '', XDG_CONFIG_HOME: './x' };
		assert.deepEqual(xdgPaths('vouch', env, HOME), xdgPaths('vouch', {}, HOME));
	});

	it('needs an absolute home only where no XDG variable stands in', () => {
		throwsCode(() => xdgPaths('vouch', {}, ''), 'NO_HOME_DIRECTORY');
		throwsCode(() => xdgPaths('vouch', {}, 'relative'), 'NO_HOME_DIRECTORY');
		const env = { XDG_DATA_HOME: '/d', XDG_CACHE_HOME: '/c', XDG_CONFIG_HOME: '/e' };
		assert.equal(xdgPaths('vouch', env, '').data, '/d/vouch');
	});

	it('refuses an application name that is not one plain segment', () => {
		for (const name of ['', '..', 'a/b', '../x', '.hidden']) {
			throwsCode(() => xdgPaths(name, {}, HOME), 'USAGE');
		}
	});
});

describe('safeDirectoryName (spec §1, impl §12)', () => {
	it('matches the reference examples', () => {
		assert.equal(safeDirectoryName('Test Plugin'), 'test_plugin');
		assert.equal(safeDirectoryName('Übersetztes Plugin'), 'bersetztes_plugin');
		assert.equal(safeDirectoryName('!!!'), 'plugin');
		assert.equal(safeDirectoryName('ListenBrainz Submitter v2.0'), 'listenbrainz_submitter_v2_0');
		assert.equal(safeDirectoryName('日本語'), 'plugin');
		assert.equal(safeDirectoryName(''), 'plugin');
	});

	it('truncates to 50 characters after trimming', () => {
		const name = safeDirectoryName(`__${'a'.repeat(49)} b`);
		assert.equal(name, `${'a'.repeat(49)}_`);
		assert.equal(safeDirectoryName('x'.repeat(200)).length, 50);
	});

	it('neutralises path tricks', () => {
		assert.equal(safeDirectoryName('../../etc/passwd'), 'etc_passwd');
		assert.equal(safeDirectoryName('a\u0000b'), 'a_b');
		assert.equal(safeDirectoryName('..'), 'plugin');
		assert.equal(safeDirectoryName('C:\\Windows'), 'c_windows');
	});
});

describe('pluginDirectoryName', () => {
	it('appends the lowercased UUID', () => {
		assert.equal(pluginDirectoryName('Test Plugin', UUID.toUpperCase()), `test_plugin_${UUID}`);
	});

	it('refuses a UUID that is not exactly a v4 UUID', () => {
		for (const uuid of [
			'',
			'no_uuid',
			`${UUID}/..`,
			`../${UUID}`,
			'78430c8c-d2ed-1dcf-8b3f-d2bc8b7348ac',
		]) {
			throwsCode(() => pluginDirectoryName('x', uuid), 'INVALID_UUID');
		}
	});

	it('never yields anything but [a-z0-9_] and the UUID, so it stays inside the plugins dir', () => {
		const hostile = fc.oneof(
			fc.string({ maxLength: 80 }),
			fc.string({ unit: 'grapheme', maxLength: 40 }),
			fc
				.array(
					fc.constantFrom('/', '..', '\u0000', '\\', '.', 'ü', '\u202e', 'a', 'Z', '9', ' ', '~'),
					{
						maxLength: 30,
					},
				)
				.map((parts) => parts.join('')),
		);
		const pluginsDir = '/data/plugins';
		fc.assert(
			fc.property(hostile, (name) => {
				const dirName = pluginDirectoryName(name, UUID);
				assert.match(dirName, /^[a-z0-9_]{1,50}_[0-9a-f-]{36}$/);
				assert.ok(dirName.endsWith(`_${UUID}`));
				const full = path.resolve(pluginsDir, dirName);
				assert.equal(path.dirname(full), pluginsDir);
			}),
			{ numRuns: 500 },
		);
	});
});
