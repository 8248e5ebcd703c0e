/** Pure pieces: canonical JSON, the merge of the two verified targets, repository URLs. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRegistryText } from '../../src/registry/parse.ts';
import { CanonicalJsonError, canonicalJson } from '../../src/tuf/canonical-json.ts';
import { mergeRegistryTargets } from '../../src/tuf/client/registry-document.ts';
import { assertFetchable, repositoryUrls } from '../../src/tuf/client/url-policy.ts';
import { banned, plugin, rejectsCode, UUID_A } from './helpers.ts';

const bytes = (value: unknown) =>
	Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('canonicalJson', () => {
	it('sorts keys at every level and drops whitespace', () => {
		assert.equal(canonicalJson({ b: [{ y: 1, x: 2 }], a: 'é' }), '{"a":"é","b":[{"x":2,"y":1}]}');
	});

	it('writes dates as ISO text, and refuses what JSON cannot hold', () => {
		assert.equal(
			canonicalJson({ at: new Date('2026-01-01T00:00:00Z') }),
			'{"at":"2026-01-01T00:00:00.000Z"}',
		);
		assert.throws(() => canonicalJson({ n: Number.NaN }), CanonicalJsonError);
		assert.throws(() => canonicalJson({ f: () => 1 }), CanonicalJsonError);
	});

	it('bounds nesting', () => {
		let deep: unknown = 1;
		for (let i = 0; i < 20; i++) deep = [deep];
		assert.throws(() => canonicalJson(deep, 16), CanonicalJsonError);
		assert.doesNotThrow(() => canonicalJson(deep, 21));
	});
});

describe('mergeRegistryTargets', () => {
	it('puts the blacklist target into the registry document the loader parses', () => {
		const text = mergeRegistryTargets(
			bytes({ api_version: '3.0', plugins: [plugin('alpha', UUID_A)] }),
			bytes({ blacklist: [banned('https://github.com/evil/one')] }),
		);
		const registry = parseRegistryText(text, { label: 'merged', format: 'json' });
		assert.equal(registry.plugins.length, 1);
		assert.equal(registry.blacklist.length, 1);
	});

	it('refuses a registry target that carries its own blacklist', async () => {
		await rejectsCode(
			Promise.resolve().then(() =>
				mergeRegistryTargets(bytes({ plugins: [], blacklist: [] }), bytes({ blacklist: [] })),
			),
			'TUF_TARGET_INVALID',
		);
	});

	it('refuses targets that are not the expected documents', async () => {
		const cases: [unknown, unknown][] = [
			[{ plugins: [] }, { blacklist: {} }],
			[{ plugins: [] }, { blacklist: [], extra: 1 }],
			['[1]', { blacklist: [] }],
			['{"plugins": [', { blacklist: [] }],
			[`${'['.repeat(40)}${']'.repeat(40)}`, { blacklist: [] }],
		];
		for (const [registry, blacklist] of cases) {
			await rejectsCode(
				Promise.resolve().then(() => mergeRegistryTargets(bytes(registry), bytes(blacklist))),
				'TUF_TARGET_INVALID',
			);
		}
		await rejectsCode(
			Promise.resolve().then(() =>
				mergeRegistryTargets(Buffer.from([0xff, 0xfe]), bytes({ blacklist: [] })),
			),
			'TUF_TARGET_INVALID',
		);
	});
});

describe('repositoryUrls', () => {
	it('derives metadata and targets URLs from the base, whatever its form', () => {
		assert.deepEqual(repositoryUrls('https://plugins.example.org/repo?x=1#top'), {
			base: 'https://plugins.example.org/repo/',
			metadata: 'https://plugins.example.org/repo/metadata/',
			targets: 'https://plugins.example.org/repo/targets/',
		});
		assert.equal(repositoryUrls('/srv/tuf').metadata, 'file:///srv/tuf/metadata/');
		assert.equal(repositoryUrls('http://localhost:8080').targets, 'http://localhost:8080/targets/');
	});

	it('keeps credentials out of its refusals', async () => {
		const error = await rejectsCode(
			Promise.resolve().then(() => repositoryUrls('http://user:secret@registry.example/')),
			'TUF_INSECURE_URL',
		);
		assert.doesNotMatch(error.message, /secret/);
	});
});

describe('assertFetchable (D11, D27)', () => {
	const code = (url: string, redirect = false) => {
		try {
			assertFetchable(new URL(url), { redirect });
			return 'ok';
		} catch (error) {
			return (error as { code?: string }).code;
		}
	};

	it('decides loopback on the parsed host', () => {
		assert.equal(code('http://127.1:8080/metadata/1.root.json'), 'ok');
		assert.equal(code('http://[::1]/m'), 'ok');
		assert.equal(code('http://127.0.0.1.nip.io/m'), 'TUF_INSECURE_URL');
		assert.equal(code('http://localhost.evil.com/m'), 'TUF_INSECURE_URL');
	});

	it('reads file:// mirrors, but never lets a redirect lead to one', () => {
		assert.equal(code('file:///srv/tuf/metadata/1.root.json'), 'ok');
		assert.equal(code('file:///etc/passwd', true), 'TUF_UNSUPPORTED_URL');
		assert.equal(code('https://mirror.example/m', true), 'ok');
		assert.equal(code('ftp://mirror.example/m'), 'TUF_UNSUPPORTED_URL');
	});
});
