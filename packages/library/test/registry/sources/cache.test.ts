import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
	encodeCacheFile,
	type RegistryCacheEntry,
	readRegistryCache,
	registryCachePath,
	registryCacheUrl,
	writeRegistryCache,
} from '../../../src/registry/sources/cache.ts';
import { makeTempDir } from '../../helpers/temp.ts';

const URL_A = 'https://plugins.example.org/plugins.toml';
const NOW = new Date('2026-11-28T12:00:00Z');

function entry(overrides: Partial<RegistryCacheEntry> = {}): RegistryCacheEntry {
	return {
		url: URL_A,
		format: 'toml',
		etag: '"abc"',
		lastModified: 'Sat, 21 Nov 2026 10:00:00 GMT',
		fetchedAt: new Date('2026-11-28T10:00:00Z'),
		text: 'api_version = "3.0"\n# é\n',
		...overrides,
	};
}

describe('registry cache keys', () => {
	it('keys on the URL without credentials, fragment or default port, spelled either case', () => {
		const path = registryCachePath('/c', URL_A);
		assert.match(path, /^\/c\/registry\/[0-9a-f]{64}\.cache$/);
		for (const variant of [
			'https://user:secret@plugins.example.org/plugins.toml',
			'HTTPS://Plugins.Example.org:443/plugins.toml#top',
			`  ${URL_A}  `,
		]) {
			assert.equal(registryCachePath('/c', variant), path, variant);
		}
		assert.notEqual(registryCachePath('/c', `${URL_A}?v=2`), path);
		assert.notEqual(registryCachePath('/c', 'https://mirror.example.org/plugins.toml'), path);
		assert.equal(registryCacheUrl('https://u:p@x.example/a'), 'https://x.example/a');
	});
});

describe('registry cache files', () => {
	it('round-trips the body, validators, format and contact time', async () => {
		const dir = makeTempDir();
		await writeRegistryCache(dir, entry());
		const read = await readRegistryCache(dir, URL_A, { now: NOW });
		assert.equal(read.state, 'hit');
		assert.deepEqual(read.state === 'hit' && read.entry, entry());
	});

	it('never stores credentials', async () => {
		const dir = makeTempDir();
		await writeRegistryCache(
			dir,
			entry({ url: 'https://user:hunter2@plugins.example.org/plugins.toml' }),
		);
		const [name] = readdirSync(join(dir, 'registry'));
		const raw = readFileSync(join(dir, 'registry', name ?? ''), 'utf8');
		assert.equal(raw.includes('hunter2'), false);
		assert.equal((await readRegistryCache(dir, URL_A, { now: NOW })).state, 'hit');
	});

	it('reports a missing file as missing', async () => {
		assert.deepEqual(await readRegistryCache(makeTempDir(), URL_A, { now: NOW }), {
			state: 'missing',
		});
	});

	it('reports every kind of damaged or foreign file as invalid, never throws', async () => {
		const good = encodeCacheFile(entry());
		const text = good.toString('utf8');
		const [magic = '', header = ''] = text.split('\n');
		const body = text.slice(magic.length + header.length + 2);
		const withHeader = (change: (h: Record<string, unknown>) => void) => {
			const parsed = JSON.parse(header) as Record<string, unknown>;
			change(parsed);
			return `${magic}\n${JSON.stringify(parsed)}\n${body}`;
		};
		const cases: Record<string, string | Buffer> = {
			garbage: 'not a cache at all',
			empty: '',
			'no header': `${magic}\n`,
			'header not JSON': `${magic}\n{nope\n${body}`,
			'unknown key': withHeader((h) => {
				h.signed = true;
			}),
			truncated: good.subarray(0, good.length - 3),
			'body edited, digest kept': `${magic}\n${header}\n${body.replace('3.0', '9.9')}`,
			'another URL': withHeader((h) => {
				h.url = 'https://other.example.org/plugins.toml';
			}),
			'fetched in the future': withHeader((h) => {
				h.fetchedAt = '2027-01-01T00:00:00Z';
			}),
			'bad date': withHeader((h) => {
				h.fetchedAt = 'yesterday';
			}),
		};
		for (const [name, content] of Object.entries(cases)) {
			const dir = makeTempDir();
			const path = registryCachePath(dir, URL_A);
			mkdirSync(join(dir, 'registry'));
			writeFileSync(path, content);
			const read = await readRegistryCache(dir, URL_A, { now: NOW });
			assert.equal(read.state, 'invalid', name);
		}
	});

	it('treats an oversized file as invalid without reading it all', async () => {
		const dir = makeTempDir();
		await writeRegistryCache(dir, entry({ text: `# ${'x'.repeat(4000)}\n` }));
		const read = await readRegistryCache(dir, URL_A, { now: NOW, maxBytes: 1000 });
		assert.equal(read.state, 'invalid');
		assert.equal((await readRegistryCache(dir, URL_A, { now: NOW })).state, 'hit');
	});

	it('drops stored validators that are not plain header values', async () => {
		const dir = makeTempDir();
		await writeRegistryCache(dir, entry({ etag: '"a"\r\nx-evil: 1' }));
		const read = await readRegistryCache(dir, URL_A, { now: NOW });
		assert.equal(read.state === 'hit' && read.entry.etag, undefined);
	});

	it('replaces the file atomically, leaving no temp files', async () => {
		const dir = makeTempDir();
		await writeRegistryCache(dir, entry());
		await writeRegistryCache(dir, entry({ text: 'api_version = "3.1"\n' }));
		assert.equal(readdirSync(join(dir, 'registry')).length, 1);
		const read = await readRegistryCache(dir, URL_A, { now: NOW });
		assert.equal(read.state === 'hit' && read.entry.text, 'api_version = "3.1"\n');
	});
});
