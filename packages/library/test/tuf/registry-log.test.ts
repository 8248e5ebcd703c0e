/**
 * What a publish writes to the transparency log: journal records, an `edit` entry that needs a
 * reason, the `publish` entry; and what it refuses before writing anything.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openCheckpoint } from '../../src/log/checkpoint.ts';
import { parseVerifierKey } from '../../src/log/note-keys.ts';
import { readLogEntries } from '../../src/log/read-entries.ts';
import { TileLog } from '../../src/log/tile-reader.ts';
import { directoryTileReader } from '../../src/log/tile-writer.ts';
import { appendJournal, journalPathFor } from '../../src/registry/edit/journal.ts';
import { initKeys } from '../../src/tuf/repository/init-keys.ts';
import { publishRepository } from '../../src/tuf/repository/publish.ts';
import { makeTempDir } from '../helpers/temp.ts';
import { registryToml, rejectsCode } from './helpers.ts';

const NOW = new Date('2026-06-01T12:00:00Z');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function repository() {
	const dir = makeTempDir('vouch-registry-log-');
	const keysDir = join(dir, 'keys');
	const outDir = join(dir, 'repo');
	const file = join(dir, 'plugins.toml');
	await initKeys({ dir: keysDir, logOrigin: 'example.org/log' });
	writeFileSync(file, registryToml());
	const publish = (extra: { reason?: string; actor?: string } = {}) =>
		publishRepository({
			registryText: readFileSync(file, 'utf8'),
			keysDir,
			outDir,
			now: NOW,
			journalPath: journalPathFor(file),
			...extra,
		});
	await publish();
	const entries = async () => {
		const key = readFileSync(join(keysDir, 'log-key.txt'), 'utf8').trim();
		const checkpoint = openCheckpoint(
			readFileSync(join(outDir, 'log', 'checkpoint')),
			parseVerifierKey(key),
		);
		const log = new TileLog({
			readTile: directoryTileReader(join(outDir, 'log')),
			size: checkpoint.size,
			root: checkpoint.root,
		});
		return (await readLogEntries(log, 0, log.size)).map((read) => read.entry);
	};
	const edit = async (blacklist: string[], record?: Record<string, unknown>) => {
		const before = readFileSync(file, 'utf8');
		const after = registryToml(blacklist);
		writeFileSync(file, after);
		if (record !== undefined) {
			await appendJournal(journalPathFor(file), {
				registrySha256Before: sha256(before),
				registrySha256After: sha256(after),
				...record,
			} as never);
		}
	};
	return { dir, file, outDir, publish, entries, edit };
}

describe('publishing into the log', () => {
	it('starts the log with the registry as it stands, then a publish entry naming the targets', async () => {
		const { entries, outDir } = await repository();
		const logged = await entries();
		assert.deepEqual(
			logged.map((entry) => entry.action),
			['edit', 'publish'],
		);
		assert.equal(logged[0]?.registry_before, sha256(''));
		const targets = readFileSync(join(outDir, 'metadata', '1.targets.json'));
		assert.equal(logged[1]?.subject, `targets.json@sha256:${sha256(targets.toString('latin1'))}`);
		assert.equal(logged[1]?.targets_version, 1);
	});

	it('logs journal records with their own reason and actor, and empties the journal', async () => {
		const { entries, edit, publish, file } = await repository();
		await edit(['https://github.com/evil/one', 'https://github.com/evil/two'], {
			schema: 'vouch-registry-change-v1',
			action: 'blacklist.add',
			subject: 'https://github.com/evil/two',
			at: '2026-05-31T08:00:00Z',
			fields: [],
			reason: 'Steals tokens.',
			actor: `key:${'d'.repeat(64)}`,
			report: null,
		});
		const result = await publish();
		assert.equal(result.log.entriesAdded, 2);
		const logged = (await entries()).slice(2);
		assert.deepEqual(
			logged.map((entry) => [entry.action, entry.reason, entry.targets_version]),
			[
				['blacklist_add', 'Steals tokens.', 2],
				['publish', 'Targets metadata version 2 published.', 2],
			],
		);
		// The recorded actor is kept; the publish is the targets key's.
		assert.equal(logged[0]?.actor, 'd'.repeat(64));
		assert.notEqual(logged[1]?.actor, 'd'.repeat(64));
		assert.equal(result.log.publishIndex, 3);
		assert.equal(logged[0]?.time, '2026-05-31T08:00:00Z');
		assert.equal(readFileSync(journalPathFor(file), 'utf8'), '');
	});

	it('refuses a hand edit or a recorded change without a reason, writing nothing', async () => {
		const { edit, publish, outDir, entries } = await repository();
		const timestamp = readFileSync(join(outDir, 'metadata', 'timestamp.json'));
		await edit(['https://github.com/evil/one', 'https://github.com/evil/two']);
		await rejectsCode(publish(), 'TUF_LOG_REASON_REQUIRED');
		await rejectsCode(publish({ reason: '   ' }), 'TUF_LOG_REASON_REQUIRED');
		assert.deepEqual(readFileSync(join(outDir, 'metadata', 'timestamp.json')), timestamp);
		assert.equal((await entries()).length, 2);
		// A recorded change that comes after an unrecorded one: the gap needs the reason too.
		await edit(
			[
				'https://github.com/evil/one',
				'https://github.com/evil/two',
				'https://github.com/evil/three',
			],
			{
				schema: 'vouch-registry-change-v1',
				action: 'blacklist.add',
				subject: 'https://github.com/evil/three',
				at: '2026-05-31T08:00:00Z',
				fields: [],
				reason: null,
				actor: null,
				report: null,
			},
		);
		await rejectsCode(publish(), 'TUF_LOG_REASON_REQUIRED');
		await publish({ reason: 'Reviewed the reports.' });
		const logged = (await entries()).slice(2);
		assert.deepEqual(
			logged.map((entry) => [entry.action, entry.reason]),
			[
				['edit', 'Reviewed the reports.'],
				['blacklist_add', 'Reviewed the reports.'],
				['publish', 'Targets metadata version 2 published.'],
			],
		);
		for (let i = 1; i < logged.length; i++) {
			assert.equal(logged[i]?.registry_before, logged[i - 1]?.registry_after);
		}
	});

	it('does not log a record twice when a publish crashed before emptying the journal', async () => {
		const { edit, publish, file, entries } = await repository();
		const record = {
			action: 'blacklist_add',
			subject: 'https://github.com/evil/two',
			reason: 'Steals tokens.',
		};
		await edit(['https://github.com/evil/one', 'https://github.com/evil/two'], record);
		const journal = readFileSync(journalPathFor(file));
		await publish();
		writeFileSync(journalPathFor(file), journal);
		await publish();
		const actions = (await entries()).map((entry) => entry.action);
		assert.deepEqual(actions, ['edit', 'publish', 'blacklist_add', 'publish', 'publish']);
	});

	it('logs a change made again after it was undone, rather than taking it for a logged one', async () => {
		const { edit, publish, entries } = await repository();
		const block = {
			action: 'blacklist_add',
			subject: 'https://github.com/evil/two',
			reason: 'Steals tokens.',
		};
		const unblock = {
			action: 'blacklist_remove',
			subject: 'https://github.com/evil/two',
			reason: 'Blocked by mistake.',
		};
		const both = ['https://github.com/evil/one', 'https://github.com/evil/two'];
		await edit(both, block);
		await publish();
		await edit(['https://github.com/evil/one'], unblock);
		await publish();
		// The same record as the first: same action, subject, reason, before and after.
		await edit(both, block);
		await publish();
		const actions = (await entries()).map((entry) => entry.action);
		assert.deepEqual(actions, [
			'edit',
			'publish',
			'blacklist_add',
			'publish',
			'blacklist_remove',
			'publish',
			'blacklist_add',
			'publish',
		]);
	});

	it('refuses an entry the log cannot hold before writing anything', async () => {
		const { edit, file, publish } = await repository();
		const record = {
			action: 'blacklist_add',
			subject: 'https://github.com/evil/two',
			reason: 'Bad\u0007bell',
		};
		// The journal refuses it when the edit is recorded...
		await assert.rejects(
			edit(['https://github.com/evil/one', 'https://github.com/evil/two'], record),
		);
		// ...and a journal written by other means is refused by the publish.
		const before = sha256(registryToml());
		writeFileSync(
			journalPathFor(file),
			`${JSON.stringify({ ...record, registrySha256Before: before, registrySha256After: sha256(readFileSync(file, 'utf8')) })}\n`,
		);
		await rejectsCode(publish(), 'REGISTRY_JOURNAL_INVALID');
	});
});
