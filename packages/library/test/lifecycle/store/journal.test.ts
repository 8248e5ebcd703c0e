/**
 * Journals that are not ours: a file in the journal folder that does not read as a journal is
 * dropped without acting on it, so it can neither block the store for good nor make recovery
 * move or delete paths it names.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTempDir } from '../../helpers/temp.ts';
import { entries, pluginRecord, readTree, storeWorld, writeTree } from './helpers.ts';

const A = '11111111-1111-4111-8111-111111111111';

describe('a malformed journal', () => {
	// The same for every case, so that the paths the journals name can be written down here.
	const root = makeTempDir('vouch-journal-');
	const victim = join(root, 'victim');
	const malformed: [string, string][] = [
		['cut short', '{"kind":"remove","id":"x","uu'],
		['not an object', '[]'],
		['null', 'null'],
		['an unknown kind', JSON.stringify({ kind: 'format-disk', id: 'x', uuid: A })],
		['missing fields', JSON.stringify({ kind: 'place', id: 'x', uuid: A })],
		['a relative path', JSON.stringify({ kind: 'remove', id: 'x', uuid: A, path: '../../victim' })],
		[
			'an extra field',
			JSON.stringify({ kind: 'remove', id: 'x', uuid: A, path: victim, also: 'this' }),
		],
		[
			'an invalid record',
			JSON.stringify({
				kind: 'place',
				id: 'x',
				uuid: A,
				staged: victim,
				target: victim,
				backup: victim,
				before: null,
				after: { uuid: A },
				enabledBefore: false,
				enabledAfter: true,
			}),
		],
	];
	for (const [label, content] of malformed) {
		it(`${label}: dropped, nothing touched, the store keeps working`, async () => {
			const world = storeWorld();
			writeTree(victim, { 'keep.txt': 'keep' });
			await world.store.transaction(async (state) => {
				state.plugins[A] = pluginRecord(A);
			});
			const before = await world.store.read();
			mkdirSync(join(world.dataDir, 'journal'), { recursive: true });
			writeFileSync(join(world.dataDir, 'journal', 'zz-bad.json'), content);
			assert.deepEqual(await world.store.recover(), []);
			assert.deepEqual(entries(join(world.dataDir, 'journal')), []);
			assert.deepEqual(await world.store.read(), before);
			assert.deepEqual(readTree(victim), { 'keep.txt': 'keep' });
		});
	}
});
