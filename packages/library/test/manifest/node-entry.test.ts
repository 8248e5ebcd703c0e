/** `entry` and `network_allow`: what a Node host reads from a manifest, and what it refuses. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { check, pairs } from './helpers.ts';

describe('entry', () => {
	test('a relative module path inside the plugin is kept', () => {
		for (const entry of ['index.mjs', 'src/main.js', 'lib/plugin.cts', 'index.ts']) {
			const result = check({ entry: JSON.stringify(entry) });
			assert.deepEqual(result.errors, [], entry);
			assert.equal(result.manifest?.entry, entry);
		}
		assert.equal(check({}).manifest?.entry, undefined);
	});

	test('a path that leaves the plugin, or is not a module, is an error', () => {
		for (const entry of [
			'../x.js',
			'/etc/x.js',
			'a/../../x.js',
			'a//x.js',
			'C:/x.js',
			'a\\\\x.js',
			'index.py',
			'index',
		]) {
			assert.deepEqual(
				pairs(check({ entry: JSON.stringify(entry) }).errors),
				[['INVALID_ENTRY', 'entry']],
				entry,
			);
		}
		assert.deepEqual(pairs(check({ entry: '3' }).errors), [['WRONG_TYPE', 'entry']]);
	});
});

describe('network_allow', () => {
	test('origins are kept in their canonical form, once', () => {
		const result = check({
			network_allow:
				'["https://API.example.org", "https://api.example.org/", "http://127.0.0.1:8080"]',
		});
		assert.deepEqual(result.errors, []);
		assert.deepEqual(result.manifest?.networkAllow, [
			'https://api.example.org',
			'http://127.0.0.1:8080',
		]);
	});

	test('anything but a bare http(s) origin is an error', () => {
		for (const item of [
			'https://a.example/path',
			'ftp://a.example',
			'https://u:p@a.example',
			'https://a.example?x=1',
			'a.example',
		]) {
			assert.deepEqual(
				pairs(check({ network_allow: JSON.stringify([item]) }).errors),
				[['INVALID_NETWORK_ALLOW', 'network_allow']],
				item,
			);
		}
	});
});
