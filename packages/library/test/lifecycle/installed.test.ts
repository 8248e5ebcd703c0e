/** Naming installed plugins (`lifecycle/installed.ts`): which words address which plugin. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVouchError } from '../../src/core/errors.ts';
import {
	addressOf,
	entryOfLocalCopy,
	findInstalled,
	registryIdOf,
} from '../../src/lifecycle/installed.ts';
import type { StoreState } from '../../src/lifecycle/store/index.ts';
import { buildRegistryIndex } from '../../src/registry/index.ts';
import { parseRegistryText } from '../../src/registry/parse.ts';
import { pluginRecord } from './store/helpers.ts';

const LYRICS = '11111111-1111-4111-8111-111111111111';
const COVERS = '22222222-2222-4222-8222-222222222222';
const OLD_COVERS = '33333333-3333-4333-8333-333333333333';
const OTHER = '44444444-4444-4444-8444-444444444444';

const index = buildRegistryIndex(
	parseRegistryText(
		JSON.stringify({
			api_version: '3.0',
			plugins: [
				entry('lyrics', LYRICS, 'https://example.org/me/lyrics'),
				{
					...entry('covers', COVERS, 'https://example.org/me/covers'),
					redirect_from_uuid: [OLD_COVERS],
				},
			],
			blacklist: [],
		}),
		{ label: 'test' },
	),
);

function entry(id: string, uuid: string, url: string) {
	return {
		id,
		uuid,
		name: id,
		description: 'x',
		git_url: url,
		categories: ['metadata'],
		added_at: '2026-01-01T00:00:00Z',
		updated_at: '2026-01-01T00:00:00Z',
	};
}

const context = { cwd: '/work', home: '/home/me', index };

function localCopy(uuid: string, name: string, origin?: string) {
	return pluginRecord(uuid, {
		name,
		source: {
			kind: 'git',
			url: `/home/me/src/${name}`,
			canonicalUrl: `/home/me/src/${name}`,
			ref: 'main',
			refType: 'branch',
			commit: 'b'.repeat(40),
		},
		...(origin === undefined ? {} : { originUrl: origin }),
	});
}

function stateOf(...plugins: ReturnType<typeof pluginRecord>[]): StoreState {
	return {
		version: 1,
		plugins: Object.fromEntries(plugins.map((plugin) => [plugin.uuid, plugin])),
		enabled: [],
	};
}

describe('the registry entry of a local copy', () => {
	it('is the entry owning its UUID, now or before, when the origin agrees or is unknown', () => {
		assert.equal(entryOfLocalCopy({ uuid: LYRICS }, index)?.id, 'lyrics');
		assert.equal(
			entryOfLocalCopy({ uuid: LYRICS, origin: 'https://EXAMPLE.org/me/lyrics.git' }, index)?.id,
			'lyrics',
		);
		assert.equal(entryOfLocalCopy({ uuid: OLD_COVERS }, index)?.id, 'covers');
	});

	it("is none for a clone of one plugin's repository carrying another's UUID", () => {
		assert.equal(
			entryOfLocalCopy({ uuid: LYRICS, origin: 'https://example.org/me/covers' }, index),
			undefined,
		);
		assert.equal(
			entryOfLocalCopy({ uuid: LYRICS, origin: 'https://example.org/stranger/lyrics' }, index),
			undefined,
		);
		assert.equal(entryOfLocalCopy({ uuid: OTHER }, index), undefined);
	});

	it('names only local copies: a remote fork with a registered UUID keeps no registry id', () => {
		const fork = pluginRecord(LYRICS, { name: 'lyrics-fork' });
		assert.equal(registryIdOf(fork, index), undefined);
		assert.equal(registryIdOf(localCopy(LYRICS, 'lyrics-clone'), index), 'lyrics');
		assert.equal(registryIdOf(localCopy(LYRICS, 'lyrics-clone'), undefined), undefined);
	});
});

describe('finding an installed plugin', () => {
	const clone = localCopy(LYRICS, 'my-lyrics', 'https://example.org/me/lyrics');
	const recorded = pluginRecord(COVERS, { name: 'Cover Art', registryId: 'covers' });
	const stranger = pluginRecord(OTHER, { name: 'stranger' });
	const state = stateOf(clone, recorded, stranger);

	it('by registry id (any case), UUID, directory or name, through one resolver', () => {
		for (const word of ['lyrics', 'LYRICS', LYRICS, '/home/me/src/my-lyrics', 'my-lyrics']) {
			assert.equal(findInstalled(state, word, context).uuid, LYRICS, word);
		}
		assert.equal(findInstalled(state, 'covers', context).uuid, COVERS);
		// The recorded id needs no registry.
		assert.equal(findInstalled(state, 'covers', { cwd: '/work', home: '/home/me' }).uuid, COVERS);
	});

	it('list shows the registry id, else a name that works, else the UUID', () => {
		assert.equal(addressOf(clone, state, context), 'lyrics');
		assert.equal(addressOf(recorded, state, context), 'covers');
		assert.equal(addressOf(stranger, state, context), 'stranger');
		const twin = pluginRecord('55555555-5555-4555-8555-555555555555', { name: 'Stranger' });
		const crowded = stateOf(clone, recorded, stranger, twin);
		// Two plugins answer to "stranger": neither is shown by it.
		assert.equal(addressOf(stranger, crowded, context), OTHER);
		assert.equal(addressOf(recorded, stateOf(recorded), context), 'covers');
	});

	it('an unknown word suggests the closest ids and names, in the hint and the details', () => {
		try {
			findInstalled(state, 'lyrcis', context);
			assert.fail('expected NOT_INSTALLED');
		} catch (error) {
			assert.ok(isVouchError(error));
			assert.equal(error.code, 'NOT_INSTALLED');
			assert.deepEqual(error.details?.suggestions, ['lyrics']);
			assert.match(String(error.hint), /Did you mean lyrics\?/);
		}
	});
});
