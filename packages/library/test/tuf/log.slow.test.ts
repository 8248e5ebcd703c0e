/**
 * The transparency log against a real repository on 127.0.0.1 (D28): every refresh checks the
 * checkpoint's signature, its consistency with the one stored, and that the accepted targets
 * are logged. Each attack plays a hostile mirror or a compromised log, and after each refusal
 * the client still uses the state it verified before.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { openCheckpoint, signCheckpoint } from '../../src/log/checkpoint.ts';
import { generateNoteKey, parseSignerKey, parseVerifierKey } from '../../src/log/note-keys.ts';
import { encodeRegistryLogEntry } from '../../src/log/registry-entry.ts';
import { appendEntries } from '../../src/log/tile-writer.ts';
import { TRUSTED_STATE_FILE } from '../../src/tuf/client/trusted-state.ts';
import { initKeys } from '../../src/tuf/repository/init-keys.ts';
import { rotateLogKey } from '../../src/tuf/repository/log-keys.ts';
import { publishRepository } from '../../src/tuf/repository/publish.ts';
import { proposeRoot, signRoot } from '../../src/tuf/repository/root-signing.ts';
import {
	blacklistUrls,
	makeFixture,
	registryToml,
	rejectsCode,
	type TufFixture,
} from './helpers.ts';

let fixture: TufFixture;
beforeEach(async () => {
	fixture = await makeFixture();
});
afterEach(async () => {
	await fixture.close();
});

const TWO = ['https://github.com/evil/one', 'https://github.com/evil/two'];
const THREE = [...TWO, 'https://github.com/evil/three'];

/** The right-edge tile (`entries` or level `0`) of the log as now published. */
function edgeTile(level: 'entries' | '0'): string {
	const note = fixture.file('log/checkpoint').toString('utf8');
	const size = Number(note.split('\n')[1]);
	return join(fixture.repoDir, 'log', 'tile', level, `000.p`, String(size));
}

function storedLog(name = 'client'): { checkpoint: string; verifierKey: string } {
	const state = JSON.parse(
		readFileSync(join(fixture.dir, name, 'metadata', TRUSTED_STATE_FILE), 'utf8'),
	);
	return state.log;
}

function logSigner() {
	return parseSignerKey(readFileSync(join(fixture.keysDir, 'log.key'), 'utf8').trim());
}

/** The client accepted version 2 with two blacklist entries; checks that it still uses it. */
async function assertKeptSecondState(client: ReturnType<TufFixture['client']>): Promise<void> {
	const cached = await client.loadCached();
	assert.equal(cached.versions.targets, 2);
	assert.deepEqual(blacklistUrls(cached.text), TWO);
}

describe('a good log', () => {
	it('is accepted on every refresh, and its checkpoint stored with the TUF state', async () => {
		const client = fixture.client();
		await client.refresh();
		const first = storedLog();
		assert.match(first.checkpoint, /\n2\n/);
		const published = await fixture.publish(registryToml(TWO));
		// An unrecorded change with its reason, then the publish entry.
		assert.equal(published.log.entriesAdded, 2);
		assert.equal(published.log.size, 4);
		const second = await client.refresh();
		assert.deepEqual(blacklistUrls(second.text), TWO);
		const stored = storedLog();
		assert.equal(openCheckpoint(stored.checkpoint, parseVerifierKey(stored.verifierKey)).size, 4);
	});

	it('is accepted when a publish happened between the metadata and the log being read', async () => {
		const client = fixture.client();
		await client.refresh();
		await fixture.publish(registryToml(TWO));
		// The client reads the version 2 metadata, but the log already holds version 3.
		const timestamp = fixture.file('metadata/timestamp.json');
		const snapshot = fixture.file('metadata/2.snapshot.json');
		await fixture.publish(registryToml(THREE));
		fixture.server.override('/metadata/timestamp.json', { body: timestamp });
		fixture.server.override('/metadata/3.snapshot.json', { body: snapshot });
		const result = await client.refresh();
		assert.equal(result.versions.targets, 2);
	});
});

describe('a refused log', () => {
	let client: ReturnType<TufFixture['client']>;
	beforeEach(async () => {
		client = fixture.client();
		await client.refresh();
		await fixture.publish(registryToml(TWO));
		await client.refresh();
	});

	it('refuses a tampered entry', async () => {
		await fixture.publish(registryToml(THREE));
		const bundle = edgeTile('entries');
		const bytes = readFileSync(bundle);
		const text = bytes.toString('latin1').replace('Changed by the test.', 'Changed by the text.');
		writeFileSync(bundle, Buffer.from(text, 'latin1'));
		await rejectsCode(client.refresh(), 'LOG_BAD_TILE');
		await assertKeptSecondState(client);
	});

	it('refuses a tampered hash tile', async () => {
		await fixture.publish(registryToml(THREE));
		const tile = edgeTile('0');
		const bytes = readFileSync(tile);
		bytes[5] = (bytes[5] as number) ^ 1;
		writeFileSync(tile, bytes);
		await rejectsCode(client.refresh(), 'LOG_BAD_TILE');
		await assertKeptSecondState(client);
	});

	it('refuses a forked log: the same size, another root, validly signed', async () => {
		// A second history of the same length, signed with the real log key.
		const forkDir = join(fixture.dir, 'fork');
		const size = openCheckpoint(
			storedLog().checkpoint,
			parseVerifierKey(storedLog().verifierKey),
		).size;
		const entries = Array.from({ length: size }, (_, i) =>
			encodeRegistryLogEntry({
				sequence: i,
				time: '2026-01-01T00:00:00Z',
				actor: 'a'.repeat(64),
				action: 'publish',
				subject: `targets.json@sha256:${'b'.repeat(64)}`,
				reason: 'Another history.',
				registry_before: 'c'.repeat(64),
				registry_after: 'c'.repeat(64),
				targets_version: i + 1,
			}),
		);
		await appendEntries(forkDir, entries, { signer: logSigner() });
		rmSync(join(fixture.repoDir, 'log'), { recursive: true });
		cpSync(forkDir, join(fixture.repoDir, 'log'), { recursive: true });
		await rejectsCode(client.refresh(), 'LOG_INCONSISTENT');
		await assertKeptSecondState(client);
	});

	it('refuses a longer log that rewrote the stored history', async () => {
		const forkDir = join(fixture.dir, 'fork');
		const entries = Array.from({ length: 9 }, (_, i) =>
			encodeRegistryLogEntry({
				sequence: i,
				time: '2026-01-01T00:00:00Z',
				actor: 'a'.repeat(64),
				action: 'blacklist_add',
				subject: `https://github.com/evil/${i}`,
				reason: 'Rewritten.',
				registry_before: 'c'.repeat(64),
				registry_after: 'c'.repeat(64),
				targets_version: 2,
			}),
		);
		await appendEntries(forkDir, entries, { signer: logSigner() });
		rmSync(join(fixture.repoDir, 'log'), { recursive: true });
		cpSync(forkDir, join(fixture.repoDir, 'log'), { recursive: true });
		await rejectsCode(client.refresh(), 'LOG_INCONSISTENT');
		await assertKeptSecondState(client);
	});

	it('refuses a truncated log (a smaller tree than the one stored)', async () => {
		const before = join(fixture.dir, 'log-before');
		cpSync(join(fixture.repoDir, 'log'), before, { recursive: true });
		await fixture.publish(registryToml(THREE));
		await client.refresh();
		// The log is put back as it was: its checkpoint is genuine, but older than the stored one.
		rmSync(join(fixture.repoDir, 'log'), { recursive: true });
		cpSync(before, join(fixture.repoDir, 'log'), { recursive: true });
		await fixture.publish(registryToml(TWO));
		await rejectsCode(client.refresh(), 'LOG_INCONSISTENT');
		const cached = await client.loadCached();
		assert.equal(cached.versions.targets, 3);
		assert.deepEqual(blacklistUrls(cached.text), THREE);
	});

	it('refuses a checkpoint signed by another key with the same name', async () => {
		await fixture.publish(registryToml(THREE));
		const note = fixture.file('log/checkpoint').toString('utf8');
		const real = openCheckpoint(note, parseVerifierKey(logSigner().verifierKey));
		const other = parseSignerKey(generateNoteKey(real.origin).signerKey);
		fixture.server.override('/log/checkpoint', { body: signCheckpoint(real, [other]) });
		await rejectsCode(client.refresh(), 'LOG_BAD_SIGNATURE');
		await assertKeptSecondState(client);
	});

	it('refuses targets the log does not hold', async () => {
		const before = join(fixture.dir, 'log-before');
		cpSync(join(fixture.repoDir, 'log'), before, { recursive: true });
		await fixture.publish(registryToml(THREE));
		rmSync(join(fixture.repoDir, 'log'), { recursive: true });
		cpSync(before, join(fixture.repoDir, 'log'), { recursive: true });
		await rejectsCode(client.refresh(), 'LOG_NOT_INCLUDED');
		await assertKeptSecondState(client);
		// A new client, with nothing stored, refuses it too.
		await rejectsCode(fixture.client({ name: 'fresh' }).refresh(), 'LOG_NOT_INCLUDED');
	});

	it('refuses a split view: other targets logged for the same version', async () => {
		// A log that extends the stored one, but whose version 3 publish entry names other targets.
		const forkDir = join(fixture.dir, 'split');
		cpSync(join(fixture.repoDir, 'log'), forkDir, { recursive: true });
		const size = openCheckpoint(
			storedLog().checkpoint,
			parseVerifierKey(storedLog().verifierKey),
		).size;
		await appendEntries(
			forkDir,
			[
				encodeRegistryLogEntry({
					sequence: size,
					time: '2026-01-01T00:00:00Z',
					actor: 'a'.repeat(64),
					action: 'publish',
					subject: `targets.json@sha256:${'b'.repeat(64)}`,
					reason: 'Other targets.',
					registry_before: 'c'.repeat(64),
					registry_after: 'c'.repeat(64),
					targets_version: 3,
				}),
			],
			{ signer: logSigner() },
		);
		await fixture.publish(registryToml(THREE));
		rmSync(join(fixture.repoDir, 'log'), { recursive: true });
		cpSync(forkDir, join(fixture.repoDir, 'log'), { recursive: true });
		await rejectsCode(client.refresh(), 'LOG_NOT_INCLUDED');
		await assertKeptSecondState(client);
	});

	it('refuses a repository whose log disappeared', async () => {
		await fixture.publish(registryToml(THREE));
		rmSync(join(fixture.repoDir, 'log'), { recursive: true });
		await rejectsCode(client.refresh(), 'TUF_LOG_MISSING');
		await assertKeptSecondState(client);
	});
});

describe('log key rotation', () => {
	it('follows a new log key delivered as a TUF target, and the log goes on', async () => {
		const client = fixture.client();
		await client.refresh();
		const oldKey = storedLog().verifierKey;
		await rotateLogKey(fixture.keysDir);
		const published = await fixture.publish(registryToml(TWO));
		assert.notEqual(published.targets.logKey.sha256, undefined);
		const result = await client.refresh();
		assert.deepEqual(blacklistUrls(result.text), TWO);
		const stored = storedLog();
		assert.notEqual(stored.verifierKey, oldKey);
		assert.equal(stored.verifierKey, logSigner().verifierKey);
		// The old key is kept aside, not deleted.
		assert.equal(
			readdirSync(fixture.keysDir).filter((name) => name.endsWith('.retired')).length,
			1,
		);
	});
});

describe('a hand-edited log cache (D25)', () => {
	const stateFile = () => join(fixture.dir, 'client', 'metadata', TRUSTED_STATE_FILE);

	function editState(edit: (state: Record<string, unknown>) => void): void {
		const state = JSON.parse(readFileSync(stateFile(), 'utf8')) as Record<string, unknown>;
		edit(state);
		writeFileSync(stateFile(), JSON.stringify(state));
	}

	/** A second history, signed with the real log key, that the stored checkpoint rules out. */
	async function serveRewrittenLog(): Promise<void> {
		const forkDir = join(fixture.dir, 'fork');
		const entries = Array.from({ length: 9 }, (_, i) =>
			encodeRegistryLogEntry({
				sequence: i,
				time: '2026-01-01T00:00:00Z',
				actor: 'a'.repeat(64),
				action: 'blacklist_add',
				subject: `https://github.com/evil/${i}`,
				reason: 'Rewritten.',
				registry_before: 'c'.repeat(64),
				registry_after: 'c'.repeat(64),
				targets_version: 2,
			}),
		);
		await appendEntries(forkDir, entries, { signer: logSigner() });
		rmSync(join(fixture.repoDir, 'log'), { recursive: true });
		cpSync(forkDir, join(fixture.repoDir, 'log'), { recursive: true });
	}

	let client: ReturnType<TufFixture['client']>;
	beforeEach(async () => {
		client = fixture.client();
		await client.refresh();
		await fixture.publish(registryToml(TWO));
		await client.refresh();
	});

	it('refuses targets stored without their checkpoint, so the history check cannot be dropped', async () => {
		editState((state) => {
			delete state.log;
		});
		await rejectsCode(client.loadCached(), 'TUF_CACHE_TAMPERED');
		await serveRewrittenLog();
		await rejectsCode(client.refresh(), 'TUF_CACHE_TAMPERED');
	});

	it('refuses a stored checkpoint under a key the stored targets do not name', async () => {
		// The attacker's own key, with the log's origin, and an empty tree it signed.
		const stored = storedLog();
		const origin = openCheckpoint(stored.checkpoint, parseVerifierKey(stored.verifierKey)).origin;
		const own = generateNoteKey(origin);
		const empty = signCheckpoint(
			{ origin, size: 0, root: new Uint8Array(createHash('sha256').digest()), extensions: [] },
			[parseSignerKey(own.signerKey)],
		);
		editState((state) => {
			state.log = { checkpoint: empty, verifierKey: own.verifierKey };
		});
		await rejectsCode(client.loadCached(), 'TUF_CACHE_TAMPERED');
		await serveRewrittenLog();
		await rejectsCode(client.refresh(), 'TUF_CACHE_TAMPERED');
	});

	it('still loads the untouched cache', async () => {
		const cached = await client.loadCached();
		assert.deepEqual(blacklistUrls(cached.text), TWO);
	});
});

describe('a refresh that TUF accepts and the log refuses', () => {
	it('stores nothing new: not the new root, targets, blacklist or checkpoint', async () => {
		const client = fixture.client();
		await client.refresh();
		const stateFile = join(fixture.dir, 'client', 'metadata', TRUSTED_STATE_FILE);
		const before = readFileSync(stateFile);
		const logBefore = join(fixture.dir, 'log-before');
		cpSync(join(fixture.repoDir, 'log'), logBefore, { recursive: true });
		// A root rotation and a new blacklist, all validly signed...
		const newKeys = join(fixture.dir, 'new-keys');
		await initKeys({ dir: newKeys, logKeyFrom: fixture.keysDir });
		await proposeRoot({ repoDir: fixture.repoDir, keysDir: newKeys, now: new Date() });
		for (const keyFile of [
			join(fixture.keysDir, 'root-1.pem'),
			join(fixture.keysDir, 'root-3.pem'),
			join(newKeys, 'root-2.pem'),
			join(newKeys, 'root-3.pem'),
		]) {
			await signRoot({ repoDir: fixture.repoDir, keyFile });
		}
		const published = await publishRepository({
			registryText: registryToml(THREE),
			keysDir: newKeys,
			outDir: fixture.repoDir,
			now: new Date(),
			reason: 'Changed by the test.',
		});
		assert.equal(published.versions.root, 2);
		// ...served beside the log as it was, which does not hold them.
		rmSync(join(fixture.repoDir, 'log'), { recursive: true });
		cpSync(logBefore, join(fixture.repoDir, 'log'), { recursive: true });
		await rejectsCode(client.refresh(), 'LOG_NOT_INCLUDED');
		assert.deepEqual(readFileSync(stateFile), before);
		const cached = await client.loadCached();
		assert.equal(cached.versions.root, 1);
		assert.equal(cached.versions.targets, 1);
		assert.deepEqual(blacklistUrls(cached.text), ['https://github.com/evil/one']);
	});
});
