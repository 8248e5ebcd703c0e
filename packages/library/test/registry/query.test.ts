import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listPlugins, searchPlugins } from '../../src/registry/query.ts';
import { loadJson, pluginEntry, UUID_A, UUID_B, UUID_C, UUID_D, UUID_E } from './helpers.ts';

const registry = loadJson([
	pluginEntry('lyrics-fetch', UUID_A, {
		name: 'Lyrics Fetcher',
		description: 'Downloads lyrics',
		trust_level: 'community',
		categories: ['metadata'],
	}),
	pluginEntry('cover-tools', UUID_B, {
		name: 'Cover Tools',
		description: 'Works with cover art and LYRICS tags',
		trust_level: 'trusted',
		categories: ['coverart'],
	}),
	pluginEntry('lyrics', UUID_C, {
		name: 'Something',
		description: 'Exact id match',
		trust_level: 'community',
		categories: ['metadata'],
	}),
	pluginEntry('official-thing', UUID_D, {
		name: 'Official Thing',
		description: 'Has nothing to do with it',
		name_i18n: { de: 'Liedtexte' },
		trust_level: 'official',
		categories: ['ui'],
	}),
	pluginEntry('songtext', UUID_E, {
		name: 'Songtext',
		description: 'x',
		description_i18n: { de: 'Holt Lyrics' },
		trust_level: 'official',
		categories: ['metadata'],
	}),
]);

const ids = (plugins: { id: string }[]) => plugins.map((p) => p.id);

describe('listPlugins', () => {
	it('keeps registry order and applies the filters', () => {
		assert.deepEqual(ids(listPlugins(registry)), [
			'lyrics-fetch',
			'cover-tools',
			'lyrics',
			'official-thing',
			'songtext',
		]);
		assert.deepEqual(ids(listPlugins(registry, { trust: ['official', 'trusted'] })), [
			'cover-tools',
			'official-thing',
			'songtext',
		]);
		assert.deepEqual(ids(listPlugins(registry, { category: 'metadata' })), [
			'lyrics-fetch',
			'lyrics',
			'songtext',
		]);
		assert.deepEqual(ids(listPlugins(registry, { trust: ['community'], category: 'metadata' })), [
			'lyrics-fetch',
			'lyrics',
		]);
		assert.deepEqual(ids(listPlugins(registry, { trust: [] })), []);
	});
});

describe('searchPlugins', () => {
	it('matches case-insensitively over id, name, description and translations', () => {
		assert.deepEqual(
			new Set(ids(searchPlugins(registry, 'LYRICS'))),
			new Set(['lyrics-fetch', 'cover-tools', 'lyrics', 'songtext']),
		);
		assert.deepEqual(ids(searchPlugins(registry, 'liedtexte')), ['official-thing']);
	});

	it('ranks exact id or name matches first, then trust, then registry order', () => {
		assert.deepEqual(ids(searchPlugins(registry, 'lyrics')), [
			'lyrics',
			'songtext',
			'cover-tools',
			'lyrics-fetch',
		]);
		assert.deepEqual(ids(searchPlugins(registry, 'cover tools')), ['cover-tools']);
	});

	it('applies filters and returns everything for an empty query', () => {
		assert.deepEqual(ids(searchPlugins(registry, 'lyrics', { trust: ['community'] })), [
			'lyrics',
			'lyrics-fetch',
		]);
		assert.deepEqual(ids(searchPlugins(registry, '  ', { category: 'ui' })), ['official-thing']);
		assert.deepEqual(ids(searchPlugins(registry, 'no such thing')), []);
	});
});
