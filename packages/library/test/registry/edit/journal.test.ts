import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isVouchError } from '../../../src/core/errors.ts';
import {
	appendJournal,
	clearJournal,
	parseJournal,
	readJournal,
} from '../../../src/registry/edit/journal.ts';
import { makeTempDir } from '../../helpers/temp.ts';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

function editorRecord(overrides: Record<string, unknown> = {}) {
	return {
		schema: 'vouch-registry-change-v1',
		action: 'blacklist.add',
		subject: 'https://github.com/evil/one',
		at: '2026-05-01T10:00:00Z',
		fields: [{ field: 'url', from: null, to: 'https://github.com/evil/one' }],
		reason: 'Malware',
		actor: `key:${'c'.repeat(64)}`,
		report: 'https://reports.example.org/1',
		registrySha256Before: A,
		registrySha256After: B,
		...overrides,
	};
}

function refused(run: () => unknown): void {
	assert.throws(
		run,
		(error: unknown) => isVouchError(error) && error.code === 'REGISTRY_JOURNAL_INVALID',
	);
}

describe('the change journal', () => {
	it('reads the editing commands’ records in the log’s words', () => {
		const [record] = parseJournal(`${JSON.stringify(editorRecord())}\n`);
		assert.deepEqual(record, {
			action: 'blacklist_add',
			subject: 'https://github.com/evil/one',
			reason: 'Malware',
			actor: 'c'.repeat(64),
			report: 'https://reports.example.org/1',
			registrySha256Before: A,
			registrySha256After: B,
			time: '2026-05-01T10:00:00.000Z',
		});
		const trust = parseJournal(
			`${JSON.stringify(editorRecord({ action: 'plugin.edit', fields: [{ field: 'trust_level', from: 'community', to: 'trusted' }], actor: 'alice', reason: null, report: null }))}\n`,
		)[0];
		assert.equal(trust?.action, 'trust_change');
		assert.equal(trust?.actor, undefined, 'a name is no key id');
		assert.equal(trust?.reason, undefined, 'no reason stays no reason');
	});

	it('refuses a record cut off by a crash, a malformed one and an unknown action', () => {
		refused(() => parseJournal(JSON.stringify(editorRecord())));
		refused(() => parseJournal('{"action":"blacklist_add"}\n'));
		refused(() => parseJournal(`${JSON.stringify(editorRecord({ action: 'plugin.explode' }))}\n`));
		refused(() =>
			parseJournal(
				`${JSON.stringify({ action: 'blacklist_add', subject: 'x', reason: 'r', registrySha256Before: A, registrySha256After: 'nothex' })}\n`,
			),
		);
	});

	it('appends whole lines, and empties once logged', async () => {
		const path = join(makeTempDir('vouch-journal-'), 'plugins.toml.changes.jsonl');
		assert.deepEqual(await readJournal(path), []);
		await appendJournal(path, {
			action: 'plugin_add',
			subject: 'alpha',
			reason: 'New plugin.',
			registrySha256Before: A,
			registrySha256After: B,
		});
		await appendJournal(path, editorRecord() as never);
		assert.equal((await readJournal(path)).length, 2);
		assert.equal(readFileSync(path, 'utf8').split('\n').length, 3);
		await clearJournal(path);
		assert.deepEqual(await readJournal(path), []);
		writeFileSync(path, 'not json\n');
		await assert.rejects(
			readJournal(path),
			(error: unknown) => isVouchError(error) && error.code === 'REGISTRY_JOURNAL_INVALID',
		);
	});
});
