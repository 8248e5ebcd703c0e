/**
 * From an edit command to the transparency log (D28): each registry edit appends its change
 * record to the journal beside the file, and the next publish logs it with the reason and the
 * actor the maintainer gave, needing no `--reason` of its own. A hand edit beside them is still
 * refused without one.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { journalPathFor, readJournal } from '@vouch/library/internal/registry/edit/journal';
import { makeTempDir } from '../../library/test/helpers/temp.ts';
import { registryToml } from '../../library/test/tuf/helpers.ts';
import { parseJson, runVouch } from './helpers/cli.ts';
import { assertJsonError, assertJsonOutput } from './json/schema-check.ts';

const EVIL = 'https://github.com/evil/journal';

describe('registry edits reach the log through the journal', () => {
	let dir: string;
	const registryFile = () => join(dir, 'plugins.toml');
	const maintainer = (argv: string[]) => runVouch(argv, { cwd: dir, now: () => new Date() });
	const publish = (...extra: string[]) =>
		maintainer([
			'registry',
			'publish',
			'plugins.toml',
			'--keys',
			'keys',
			'--out',
			'repo',
			...extra,
			'--json',
		]);

	before(async () => {
		dir = makeTempDir('vouch-edit-journal-');
		const keys = await maintainer(['registry', 'keys', 'init', '--dir', 'keys', '--json']);
		assert.equal(keys.code, 0, keys.stderr);
		writeFileSync(registryFile(), registryToml([]));
		const first = await publish();
		assert.equal(first.code, 0, first.stdout + first.stderr);
	});

	it('logs a blacklist entry and a trust change with their reasons and actors', async () => {
		const blacklist = await maintainer([
			'registry',
			'blacklist',
			'add',
			'--url',
			EVIL,
			'--reason',
			'Uploads the user library.',
			'--actor',
			'alice',
			'--yes',
			'--json',
		]);
		assert.equal(blacklist.code, 0, blacklist.stdout + blacklist.stderr);
		const trust = await maintainer([
			'registry',
			'plugin',
			'edit',
			'alpha',
			'--trust',
			'trusted',
			'--reason',
			'Reviewed by two maintainers.',
			'--key',
			join('keys', 'targets.pem'),
			'--json',
		]);
		assert.equal(trust.code, 0, trust.stdout + trust.stderr);
		const keyId = (parseJson(trust).change as { actor: string }).actor.replace(/^key:/, '');
		assert.match(keyId, /^[0-9a-f]{64}$/);
		const journal = await readJournal(journalPathFor(registryFile()));
		assert.deepEqual(
			journal.map((record) => [record.action, record.reason]),
			[
				['blacklist_add', 'Uploads the user library.'],
				['trust_change', 'Reviewed by two maintainers.'],
			],
		);

		// No --reason: every change since the last publish has its own record.
		const published = assertJsonOutput(await publish(), 'registry publish');
		assert.equal((published.log as { entriesAdded: number }).entriesAdded, 3);
		assert.equal(readFileSync(journalPathFor(registryFile()), 'utf8'), '');

		const show = await maintainer(['registry', 'log', 'show', 'repo', '--json']);
		const entries = assertJsonOutput(show, 'registry log show').entries as {
			action: string;
			reason: string;
			actor: string;
		}[];
		const trustEntry = entries.find((entry) => entry.action === 'trust_change');
		assert.equal(trustEntry?.reason, 'Reviewed by two maintainers.');
		assert.equal(trustEntry?.actor, keyId);
		const blacklistEntry = entries.find((entry) => entry.action === 'blacklist_add');
		assert.equal(blacklistEntry?.reason, 'Uploads the user library.');
		const verify = await maintainer(['registry', 'log', 'verify', 'repo', '--json']);
		assert.equal(assertJsonOutput(verify, 'registry log verify').ok, true);
	});

	it('still refuses a hand edit made beside a recorded one, until a reason is given', async () => {
		const added = await maintainer([
			'registry',
			'blacklist',
			'add',
			'--uuid',
			'0b5e8f7a-51a4-4c51-9d8c-1f3b1f0d2c11',
			'--reason',
			'Same author, same payload.',
			'--yes',
			'--json',
		]);
		assert.equal(added.code, 0, added.stdout + added.stderr);
		writeFileSync(
			registryFile(),
			readFileSync(registryFile(), 'utf8').replace('Plugin beta', 'Plugin beta, renamed'),
		);
		assertJsonError(await publish(), 1, 'TUF_LOG_REASON_REQUIRED');
		const withReason = assertJsonOutput(
			await publish('--reason', 'Renamed beta by hand.'),
			'registry publish',
		);
		assert.equal((withReason.log as { entriesAdded: number }).entriesAdded, 3);
	});

	it('logs a reason given over several lines on one line, and publishes it', async () => {
		const added = await maintainer([
			'registry',
			'blacklist',
			'add',
			'--url',
			'https://github.com/evil/second',
			'--reason',
			'Same payload as the first.\nReported by two users.',
			'--yes',
			'--json',
		]);
		assert.equal(added.code, 0, added.stdout + added.stderr);
		const published = assertJsonOutput(await publish(), 'registry publish');
		assert.equal(published.ok, true);
		const show = await maintainer(['registry', 'log', 'show', 'repo', '--json']);
		const entries = assertJsonOutput(show, 'registry log show').entries as { reason: string }[];
		assert.ok(
			entries.some((entry) => entry.reason === 'Same payload as the first. Reported by two users.'),
		);
	});
});
