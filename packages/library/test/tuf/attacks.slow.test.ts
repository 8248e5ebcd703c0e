/**
 * Each attack a TUF client must survive, played against a real repository served on
 * 127.0.0.1: the server (or the local cache) is made to lie, and the client must refuse with
 * the code naming that attack, and keep nothing it was fed.
 */
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Metadata, MetadataKind, MetaFile, Signature, Timestamp } from '@tufjs/models';
import type { JSONObject } from '@tufjs/models/dist/utils/types.js';
import { readShippedRoot } from '../../src/tuf/client/trusted-state.ts';
import { generateEd25519Key, parsePrivateKey, signerFor } from '../../src/tuf/ed25519.ts';
import { expiryText, SPEC_VERSION } from '../../src/tuf/metadata.ts';
import { initKeys } from '../../src/tuf/repository/init-keys.ts';
import { readKeySet } from '../../src/tuf/repository/keyset.ts';
import { buildRoot, proposeRoot, signRoot } from '../../src/tuf/repository/root-signing.ts';
import { makeFixture, registryToml, rejectsCode, type TufFixture } from './helpers.ts';

const DAY = 24 * 60 * 60 * 1000;

let fixture: TufFixture;
beforeEach(async () => {
	fixture = await makeFixture();
});
afterEach(async () => {
	await fixture.close();
});

function json(bytes: Buffer): {
	signed: Record<string, unknown>;
	signatures: { keyid: string; sig: string }[];
} {
	return JSON.parse(bytes.toString('utf8'));
}

/** The sha256-prefixed name of a published target, e.g. the blacklist. */
function targetFileName(name: string): string {
	const found = readdirSync(join(fixture.repoDir, 'targets')).find((file) =>
		file.endsWith(`.${name}`),
	);
	assert.ok(found);
	return found;
}

describe('rollback', () => {
	it('refuses a timestamp older than the one the client trusts', async () => {
		const oldTimestamp = fixture.file('metadata/timestamp.json');
		await fixture.publish(
			registryToml(['https://github.com/evil/one', 'https://github.com/evil/two']),
		);
		const client = fixture.client();
		assert.equal((await client.refresh()).versions.timestamp, 2);
		fixture.server.override('/metadata/timestamp.json', { body: oldTimestamp });
		await rejectsCode(client.refresh(), 'TUF_ROLLBACK');
		// The verified state did not move backwards.
		assert.equal((await client.loadCached()).versions.timestamp, 2);
	});

	it('refuses a new timestamp that points at an older snapshot (a stolen timestamp key)', async () => {
		await fixture.publish();
		const client = fixture.client();
		assert.equal((await client.refresh()).versions.snapshot, 2);
		const timestampKey = signerFor(
			parsePrivateKey(readFileSync(join(fixture.keysDir, 'timestamp.pem'))),
		);
		const forged = new Metadata(
			new Timestamp({
				version: 3,
				specVersion: SPEC_VERSION,
				expires: expiryText(new Date(Date.now() + DAY)),
				snapshotMeta: new MetaFile({ version: 1 }),
			}),
		);
		forged.sign((bytes) => timestampKey.sign(bytes));
		fixture.server.override('/metadata/timestamp.json', { body: JSON.stringify(forged.toJSON()) });
		await rejectsCode(client.refresh(), 'TUF_ROLLBACK');
	});
});

describe('freeze', () => {
	it('refuses a repository whose timestamp has expired by the system clock', async () => {
		await fixture.publish(registryToml(), new Date(Date.now() - 3 * DAY));
		await rejectsCode(fixture.client().refresh(), 'TUF_METADATA_EXPIRED');
	});

	it('refuses a frozen mirror once the caller clock passes the timestamp expiry', async () => {
		const later = new Date(Date.now() + 2 * DAY);
		const client = fixture.client({ now: () => later });
		await rejectsCode(client.refresh(), 'TUF_METADATA_EXPIRED');
	});

	it('keeps serving the last verified copy offline, with its past expiry for the D1 policy', async () => {
		let clock = new Date();
		const client = fixture.client({ now: () => clock });
		const fresh = await client.refresh();
		clock = new Date(Date.now() + 2 * DAY);
		await rejectsCode(client.refresh(), 'TUF_METADATA_EXPIRED');
		const cached = await client.loadCached();
		assert.equal(cached.offline, true);
		assert.deepEqual(cached.expiresAt, fresh.expiresAt);
		assert.ok(cached.expiresAt.getTime() < clock.getTime());
	});

	for (const expires of [
		'never',
		'2026-13-45T00:00:00Z',
		'9999-12-31',
		'+275760-09-13T00:00:00Z',
	]) {
		it(`refuses a timestamp whose expiry is not a TUF date: ${expires}`, async () => {
			// A timestamp key holder (the most exposed key) signs an expiry that is not TUF's
			// form: tuf-js compares the clock with an invalid date, which is never in the past.
			const signer = signerFor(
				parsePrivateKey(readFileSync(join(fixture.keysDir, 'timestamp.pem'))),
			);
			const timestamp = json(fixture.file('metadata/timestamp.json'));
			timestamp.signed.expires = expires;
			timestamp.signed.version = 2;
			const forged = Metadata.fromJSON(MetadataKind.Timestamp, timestamp as unknown as JSONObject);
			forged.sign((bytes) => signer.sign(bytes), false);
			fixture.server.override('/metadata/timestamp.json', {
				body: JSON.stringify(forged.toJSON()),
			});
			await rejectsCode(fixture.client().refresh(), 'TUF_METADATA_EXPIRED');
		});
	}
});

describe('mix-and-match', () => {
	it('refuses a snapshot other than the one the timestamp names', async () => {
		const firstSnapshot = fixture.file('metadata/1.snapshot.json');
		await fixture.publish();
		fixture.server.override('/metadata/2.snapshot.json', { body: firstSnapshot });
		await rejectsCode(fixture.client().refresh(), 'TUF_MIX_AND_MATCH');
	});

	it('refuses targets metadata other than the one the snapshot names', async () => {
		const firstTargets = fixture.file('metadata/1.targets.json');
		await fixture.publish(registryToml(['https://github.com/evil/two']));
		fixture.server.override('/metadata/2.targets.json', { body: firstTargets });
		await rejectsCode(fixture.client().refresh(), 'TUF_MIX_AND_MATCH');
	});
});

describe('target integrity', () => {
	it('refuses a blacklist whose bytes differ from the signed hash, and stores nothing', async () => {
		const name = targetFileName('blacklist.json');
		const genuine = fixture.file(`targets/${name}`).toString('utf8');
		// Same length, one entry's URL changed: only the hash can tell.
		const altered = genuine.replace('evil/one', 'evil/onf');
		assert.notEqual(altered, genuine);
		fixture.server.override(`/targets/${name}`, { body: altered });
		const client = fixture.client();
		await rejectsCode(client.refresh(), 'TUF_TARGET_HASH_MISMATCH');
		assert.equal(existsSync(join(fixture.dir, 'client', 'targets', name)), false);
		await rejectsCode(client.loadCached(), 'TUF_NO_CACHE');
	});

	it('refuses a target longer than its signed length', async () => {
		const name = targetFileName('registry.json');
		fixture.server.override(`/targets/${name}`, {
			body: Buffer.concat([fixture.file(`targets/${name}`), Buffer.from(' '.repeat(4096))]),
		});
		await rejectsCode(fixture.client().refresh(), 'TUF_TARGET_HASH_MISMATCH');
	});
});

describe('signatures', () => {
	it('refuses metadata whose signature no longer matches its content', async () => {
		const timestamp = json(fixture.file('metadata/timestamp.json'));
		timestamp.signed.version = 7;
		fixture.server.override('/metadata/timestamp.json', { body: JSON.stringify(timestamp) });
		await rejectsCode(fixture.client().refresh(), 'TUF_BAD_SIGNATURE');
	});

	it('refuses a timestamp signed only by a key the root does not list', async () => {
		const stranger = signerFor(parsePrivateKey(generateEd25519Key().privatePem));
		// The genuine content, re-signed by an outsider.
		const timestamp = Metadata.fromJSON(
			MetadataKind.Timestamp,
			json(fixture.file('metadata/timestamp.json')) as unknown as JSONObject,
		);
		timestamp.sign((bytes) => stranger.sign(bytes), false);
		fixture.server.override('/metadata/timestamp.json', {
			body: JSON.stringify(timestamp.toJSON()),
		});
		await rejectsCode(fixture.client().refresh(), 'TUF_BELOW_THRESHOLD');
	});

	it('refuses a new root signed by fewer old root keys than the threshold', async () => {
		const newKeys = join(fixture.dir, 'new-keys');
		await initKeys({ dir: newKeys });
		await proposeRoot({ repoDir: fixture.repoDir, keysDir: newKeys, now: new Date() });
		// One of the two old signatures needed, and both new ones.
		await signRoot({ repoDir: fixture.repoDir, keyFile: join(fixture.keysDir, 'root-1.pem') });
		await signRoot({ repoDir: fixture.repoDir, keyFile: join(newKeys, 'root-1.pem') });
		const status = await signRoot({
			repoDir: fixture.repoDir,
			keyFile: join(newKeys, 'root-2.pem'),
		});
		assert.equal(status.complete, false);
		fixture.server.override('/metadata/2.root.json', {
			body: fixture.file('pending-root.json'),
		});
		await rejectsCode(fixture.client().refresh(), 'TUF_BELOW_THRESHOLD');
	});
});

describe('local cache', () => {
	const stateFile = () => join(fixture.dir, 'client', 'metadata', 'trusted-metadata.json');

	function editState(edit: (state: Record<string, unknown>) => void): void {
		const state = JSON.parse(readFileSync(stateFile(), 'utf8')) as Record<string, unknown>;
		edit(state);
		writeFileSync(stateFile(), JSON.stringify(state));
	}

	it('refuses cached metadata edited to stay fresh longer', async () => {
		const client = fixture.client();
		await client.refresh();
		editState((state) => {
			const timestamp = JSON.parse(state.timestamp as string);
			timestamp.signed.expires = '2099-01-01T00:00:00Z';
			state.timestamp = JSON.stringify(timestamp);
		});
		await rejectsCode(client.refresh(), 'TUF_CACHE_TAMPERED');
		await rejectsCode(client.loadCached(), 'TUF_CACHE_TAMPERED');
		// Only an explicit reset gets past it; the refresh after it verifies from the shipped root.
		await client.resetCache();
		assert.equal((await client.refresh()).versions.timestamp, 1);
	});

	it('refuses a planted root that does not chain from the shipped root', async () => {
		const client = fixture.client();
		await client.refresh();
		// A well-formed root 2, signed by its own (the attacker's) keys only.
		const planted = join(fixture.dir, 'planted-keys');
		await initKeys({ dir: planted, rootThreshold: 1, rootKeys: 1 });
		const forged = buildRoot(await readKeySet(planted), 2, expiryText(new Date(Date.now() + DAY)));
		const plantedKey = signerFor(parsePrivateKey(readFileSync(join(planted, 'root-1.pem'))));
		forged.sign((bytes) => plantedKey.sign(bytes));
		editState((state) => {
			state.roots = [JSON.stringify(forged.toJSON())];
		});
		await rejectsCode(client.refresh(), 'TUF_CACHE_TAMPERED');
	});

	it('refuses an edited cached target offline, and a refresh replaces it', async () => {
		const client = fixture.client();
		await client.refresh();
		const dir = join(fixture.dir, 'client', 'targets');
		const name = readdirSync(dir).find((file) => file.endsWith('.blacklist.json')) as string;
		writeFileSync(
			join(dir, name),
			readFileSync(join(dir, name), 'utf8').replace('evil/one', 'evil/onf'),
		);
		await rejectsCode(client.loadCached(), 'TUF_CACHE_TAMPERED');
		await client.refresh();
		assert.match((await client.loadCached()).text, /evil\/one/);
	});
});

describe('key ids (TUF spec: a client computes each key id itself)', () => {
	type RootSigned = {
		version: number;
		keys: Record<string, unknown>;
		roles: Record<string, { keyids: string[]; threshold: number }>;
	};

	/** The first root, edited, then signed by every root key as its maintainers would. */
	function editedRoot(edit: (signed: RootSigned) => void): Buffer {
		const root = json(fixture.file('metadata/1.root.json'));
		edit(root.signed as RootSigned);
		const metadata = Metadata.fromJSON(MetadataKind.Root, root as unknown as JSONObject);
		for (const file of readdirSync(fixture.keysDir).filter((name) =>
			/^root-\d+\.pem$/.test(name),
		)) {
			const signer = signerFor(parsePrivateKey(readFileSync(join(fixture.keysDir, file))));
			metadata.sign((bytes) => signer.sign(bytes), true);
		}
		return Buffer.from(JSON.stringify(metadata.toJSON()));
	}

	const timestampId = (signed: RootSigned) => signed.roles.timestamp?.keyids[0] as string;

	it('refuses a root that lists one key under two ids, so one signature cannot count twice', async () => {
		const client = fixture.client();
		await client.refresh();
		const alias = 'ab'.repeat(32);
		// Root 2 lists the timestamp key a second time, under an id that is not its digest, and
		// asks for two timestamp signatures.
		const root2 = editedRoot((signed) => {
			const realId = timestampId(signed);
			signed.version = 2;
			signed.keys[alias] = signed.keys[realId];
			signed.roles.timestamp = { keyids: [realId, alias], threshold: 2 };
		});
		fixture.server.override('/metadata/2.root.json', { body: root2 });
		await fixture.publish(
			registryToml(['https://github.com/evil/one', 'https://github.com/evil/two']),
		);
		// The genuine next timestamp, signed by the one timestamp key under both ids.
		const signer = signerFor(parsePrivateKey(readFileSync(join(fixture.keysDir, 'timestamp.pem'))));
		const timestamp = Metadata.fromJSON(
			MetadataKind.Timestamp,
			json(fixture.file('metadata/timestamp.json')) as unknown as JSONObject,
		);
		timestamp.sign((bytes) => signer.sign(bytes), false);
		timestamp.sign((bytes) => new Signature({ keyID: alias, sig: signer.sign(bytes).sig }), true);
		fixture.server.override('/metadata/timestamp.json', {
			body: JSON.stringify(timestamp.toJSON()),
		});
		await rejectsCode(client.refresh(), 'TUF_KEY_ID_MISMATCH');
		// Nothing of it was kept: the client still trusts root 1 and the first timestamp.
		const cached = await client.loadCached();
		assert.equal(cached.versions.root, 1);
		assert.equal(cached.versions.timestamp, 1);
	});

	/** The key a root lists in hex, in other spellings tuf-js reads as that very key. */
	const sameKeyAs: Record<string, (publicHex: string) => string> = {
		'as a PEM public key': (publicHex) =>
			createPublicKey({
				key: Buffer.concat([
					Buffer.from('302a300506032b6570032100', 'hex'),
					Buffer.from(publicHex, 'hex'),
				]),
				format: 'der',
				type: 'spki',
			})
				.export({ format: 'pem', type: 'spki' })
				.toString(),
		// Node reads hex up to the last whole byte: a trailing half byte is dropped.
		'in hex with a trailing half byte': (publicHex) => `${publicHex}f`,
	};

	for (const [spelling, spell] of Object.entries(sameKeyAs)) {
		it(`refuses a root that lists one key a second time ${spelling}`, async () => {
			const client = fixture.client();
			await client.refresh();
			const alias = 'ef'.repeat(32);
			const root2 = editedRoot((signed) => {
				const realId = timestampId(signed);
				const key = signed.keys[realId] as { keyval: { public: string } };
				signed.version = 2;
				signed.keys[alias] = { ...key, keyval: { public: spell(key.keyval.public) } };
				signed.roles.timestamp = { keyids: [realId, alias], threshold: 2 };
			});
			fixture.server.override('/metadata/2.root.json', { body: root2 });
			await fixture.publish(
				registryToml(['https://github.com/evil/one', 'https://github.com/evil/two']),
			);
			const signer = signerFor(
				parsePrivateKey(readFileSync(join(fixture.keysDir, 'timestamp.pem'))),
			);
			const timestamp = Metadata.fromJSON(
				MetadataKind.Timestamp,
				json(fixture.file('metadata/timestamp.json')) as unknown as JSONObject,
			);
			timestamp.sign((bytes) => signer.sign(bytes), false);
			timestamp.sign((bytes) => new Signature({ keyID: alias, sig: signer.sign(bytes).sig }), true);
			fixture.server.override('/metadata/timestamp.json', {
				body: JSON.stringify(timestamp.toJSON()),
			});
			await rejectsCode(client.refresh(), 'TUF_KEY_ID_MISMATCH');
			assert.equal((await client.loadCached()).versions.root, 1);
		});
	}

	it('refuses a shipped root, correctly signed, that lists one key under two ids, whatever their case', async () => {
		const shipped = join(fixture.dir, 'odd-shipped-root.json');
		writeFileSync(
			shipped,
			editedRoot((signed) => {
				const realId = timestampId(signed);
				const key = signed.keys[realId] as { keyval: { public: string } };
				const other = 'cd'.repeat(32);
				signed.keys[other] = {
					...key,
					keyval: { ...key.keyval, public: key.keyval.public.toUpperCase() },
				};
				signed.roles.timestamp = { keyids: [realId, other], threshold: 2 };
			}),
		);
		const error = await rejectsCode(readShippedRoot(shipped), 'TUF_TRUSTED_ROOT_INVALID');
		assert.match(error.message, /same key/);
	});

	it("accepts a root whose key ids are not this client's digests, as other TUF tools write them", async () => {
		const shipped = join(fixture.dir, 'renamed-shipped-root.json');
		writeFileSync(
			shipped,
			editedRoot((signed) => {
				const realId = timestampId(signed);
				const other = 'cd'.repeat(32);
				signed.keys[other] = signed.keys[realId];
				delete signed.keys[realId];
				signed.roles.timestamp = { keyids: [other], threshold: 1 };
			}),
		);
		const root = await readShippedRoot(shipped);
		assert.ok(root !== undefined);
	});
});
