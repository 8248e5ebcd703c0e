/**
 * The repository side on real files: key sets, the published layout and versions, expiries,
 * refusals of broken registries and keys, and the pending-root signing rules.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isVouchError } from '../../src/core/errors.ts';
import { keyIdOf } from '../../src/tuf/ed25519.ts';
import { initKeys } from '../../src/tuf/repository/init-keys.ts';
import { readKeySet } from '../../src/tuf/repository/keyset.ts';
import { publishRepository } from '../../src/tuf/repository/publish.ts';
import { proposeRoot, signRoot } from '../../src/tuf/repository/root-signing.ts';
import { makeTempDir } from '../helpers/temp.ts';
import { banned, plugin, registryToml, rejectsCode, UUID_A, UUID_C } from './helpers.ts';

const NOW = new Date('2026-06-01T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;

async function repository(registryText = registryToml()) {
	const dir = makeTempDir('vouch-tuf-repo-');
	const keysDir = join(dir, 'keys');
	const outDir = join(dir, 'repo');
	await initKeys({ dir: keysDir });
	const publish = (text = registryText, now = NOW) =>
		publishRepository({ registryText: text, keysDir, outDir, now, reason: 'Changed by the test.' });
	return { dir, keysDir, outDir, publish, first: await publish() };
}

function readJson(path: string): { signed: Record<string, unknown> } & Record<string, unknown> {
	return JSON.parse(readFileSync(path, 'utf8'));
}

describe('initKeys', () => {
	it('writes private keys 0600, never into keys.json, and a key set that validates', async () => {
		const dir = join(makeTempDir('vouch-tuf-keys-'), 'keys');
		const result = await initKeys({ dir, rootKeys: 3, rootThreshold: 2 });
		assert.deepEqual(readdirSync(dir).sort(), [
			'keys.json',
			'log-key.txt',
			'log.key',
			'root-1.pem',
			'root-2.pem',
			'root-3.pem',
			'snapshot.pem',
			'targets.pem',
			'timestamp.pem',
		]);
		for (const name of readdirSync(dir).filter(
			(file) => file.endsWith('.pem') || file === 'log.key',
		)) {
			assert.equal(statSync(join(dir, name)).mode & 0o777, 0o600, name);
		}
		assert.equal(statSync(dir).mode & 0o777, 0o700);
		const text = readFileSync(join(dir, 'keys.json'), 'utf8');
		assert.doesNotMatch(text, /PRIVATE/);
		assert.doesNotMatch(JSON.stringify(result), /PRIVATE/);
		const keySet = await readKeySet(dir);
		assert.equal(keySet.roles.root.threshold, 2);
		assert.equal(keySet.roles.root.keyIds.length, 3);
		for (const role of ['targets', 'snapshot', 'timestamp'] as const) {
			assert.equal(keySet.roles[role].keyIds.length, 1);
		}
	});

	it('uses the TUF key id: SHA-256 of the canonical public key document', () => {
		const publicHex = 'ab'.repeat(32);
		const canonical = `{"keytype":"ed25519","keyval":{"public":"${publicHex}"},"scheme":"ed25519"}`;
		assert.equal(keyIdOf(publicHex), createHash('sha256').update(canonical).digest('hex'));
	});

	it('never overwrites an existing key set', async () => {
		const dir = join(makeTempDir('vouch-tuf-keys-'), 'keys');
		await initKeys({ dir });
		const before = readFileSync(join(dir, 'root-1.pem'));
		await rejectsCode(initKeys({ dir }), 'TUF_KEYS_EXIST');
		assert.deepEqual(readFileSync(join(dir, 'root-1.pem')), before);
	});

	it('refuses a threshold no set of keys can meet', async () => {
		const dir = makeTempDir('vouch-tuf-keys-');
		await rejectsCode(initKeys({ dir, rootKeys: 2, rootThreshold: 3 }), 'TUF_INVALID_OPTION');
		await rejectsCode(initKeys({ dir, rootKeys: 0 }), 'TUF_INVALID_OPTION');
	});

	it('refuses a key set whose key id does not match its key', async () => {
		const dir = join(makeTempDir('vouch-tuf-keys-'), 'keys');
		await initKeys({ dir });
		const file = join(dir, 'keys.json');
		const document = JSON.parse(readFileSync(file, 'utf8'));
		document.keys[0].public = 'cd'.repeat(32);
		writeFileSync(file, JSON.stringify(document));
		await rejectsCode(readKeySet(dir), 'TUF_KEYS_INVALID');
	});
});

describe('publishRepository', () => {
	it('writes versioned metadata and hash-named targets, with the default expiries', async () => {
		const { outDir, first } = await repository();
		assert.deepEqual(first.versions, { root: 1, targets: 1, snapshot: 1, timestamp: 1 });
		assert.deepEqual(readdirSync(join(outDir, 'metadata')).sort(), [
			'1.root.json',
			'1.snapshot.json',
			'1.targets.json',
			'root.json',
			'timestamp.json',
		]);
		for (const target of [first.targets.registry, first.targets.blacklist]) {
			const bytes = readFileSync(join(outDir, target.file));
			assert.equal(createHash('sha256').update(bytes).digest('hex'), target.sha256);
			assert.equal(target.file, `targets/${target.sha256}.${target.name}`);
		}
		const days = (file: string) =>
			(new Date(readJson(join(outDir, 'metadata', file)).signed.expires as string).getTime() -
				NOW.getTime()) /
			DAY;
		assert.equal(days('timestamp.json'), 1);
		assert.equal(days('1.snapshot.json'), 7);
		assert.equal(days('1.targets.json'), 30);
		assert.equal(days('1.root.json'), 365);
		assert.equal(readJson(join(outDir, 'metadata', 'root.json')).signed.consistent_snapshot, true);
		assert.equal(existsSync(join(outDir, 'pending-root.json')), false);
	});

	it('splits the registry: the blacklist target alone carries the blacklist', async () => {
		const { outDir, first } = await repository();
		const registry = JSON.parse(readFileSync(join(outDir, first.targets.registry.file), 'utf8'));
		const blacklist = JSON.parse(readFileSync(join(outDir, first.targets.blacklist.file), 'utf8'));
		assert.equal('blacklist' in registry, false);
		assert.equal(registry.plugins.length, 2);
		assert.deepEqual(Object.keys(blacklist), ['blacklist']);
		assert.equal(blacklist.blacklist[0].url, 'https://github.com/evil/one');
	});

	it('publishes a blacklist-only change as new targets, snapshot and timestamp, keeping root and registry', async () => {
		const { outDir, first, publish } = await repository();
		const rootBefore = readFileSync(join(outDir, 'metadata', 'root.json'));
		const second = await publish(
			registryToml(['https://github.com/evil/one', 'https://github.com/evil/two']),
		);
		assert.deepEqual(second.versions, { root: 1, targets: 2, snapshot: 2, timestamp: 2 });
		assert.equal(second.targets.registry.sha256, first.targets.registry.sha256);
		assert.notEqual(second.targets.blacklist.sha256, first.targets.blacklist.sha256);
		assert.deepEqual(readFileSync(join(outDir, 'metadata', 'root.json')), rootBefore);
		assert.equal(existsSync(join(outDir, 'metadata', '2.root.json')), false);
		// Old versions stay for clients mid-update.
		assert.ok(existsSync(join(outDir, 'metadata', '1.snapshot.json')));
		assert.ok(existsSync(join(outDir, 'metadata', '2.snapshot.json')));
		const timestamp = readJson(join(outDir, 'metadata', 'timestamp.json'));
		assert.equal(
			(timestamp.signed.meta as Record<string, { version: number }>)['snapshot.json']?.version,
			2,
		);
	});

	it('takes JSON sources and configurable expiries', async () => {
		const dir = makeTempDir('vouch-tuf-repo-');
		const keysDir = join(dir, 'keys');
		await initKeys({ dir: keysDir });
		const text = JSON.stringify({
			plugins: [plugin('gamma', UUID_C)],
			blacklist: [banned('https://github.com/evil/x')],
		});
		const result = await publishRepository({
			registryText: text,
			keysDir,
			outDir: join(dir, 'repo'),
			now: NOW,
			expiries: { timestamp: 0.5, targets: 90 },
		});
		assert.equal(result.expires.timestamp, '2026-06-02T00:00:00Z');
		assert.equal(result.expires.targets, '2026-08-30T12:00:00Z');
		assert.equal(result.expires.snapshot, '2026-06-08T12:00:00Z');
		await rejectsCode(
			publishRepository({
				registryText: text,
				keysDir,
				outDir: join(dir, 'repo'),
				now: NOW,
				expiries: { timestamp: 0 },
			}),
			'TUF_INVALID_OPTION',
		);
	});

	it('refuses registries clients would refuse or read only in part', async () => {
		const { publish, outDir } = await repository();
		const broken = JSON.stringify({ plugins: [plugin('alpha', UUID_A), { id: 'no-uuid' }] });
		await rejectsCode(publish(broken), 'TUF_REGISTRY_INVALID');
		await rejectsCode(
			publish(JSON.stringify({ blacklist: [{ reason: 'no key' }] })),
			'BLACKLIST_INVALID',
		);
		await rejectsCode(publish('plugins = [ unterminated'), 'REGISTRY_PARSE_ERROR');
		// Nothing was signed for the refused sources.
		assert.equal(existsSync(join(outDir, 'metadata', '2.targets.json')), false);
	});

	it('refuses a private key file other users can read', async () => {
		const { keysDir, publish } = await repository();
		chmodSync(join(keysDir, 'timestamp.pem'), 0o644);
		await rejectsCode(publish(), 'TUF_KEY_FILE_INSECURE');
	});

	it('refuses a key file that does not hold the key the key set names', async () => {
		const { keysDir, publish } = await repository();
		writeFileSync(join(keysDir, 'targets.pem'), readFileSync(join(keysDir, 'snapshot.pem')));
		await rejectsCode(publish(), 'TUF_KEY_FILE_INVALID');
	});

	it('refuses to publish under an expired root, and warns a month before', async () => {
		const { publish } = await repository();
		const soon = await publish(registryToml(), new Date(NOW.getTime() + 340 * DAY));
		assert.ok(soon.warnings.some((warning) => warning.includes('Root 1 expires')));
		await rejectsCode(
			publish(registryToml(), new Date(NOW.getTime() + 400 * DAY)),
			'TUF_REPOSITORY_INVALID',
		);
	});

	it('refuses to publish under a root whose expiry clients cannot read, as they count it expired', async () => {
		// `never` is no date at all; a date without a time is one `new Date` reads but TUF's
		// form is not, so clients would refuse everything signed under it.
		for (const expires of ['never', '2099-01-01']) {
			const { outDir, keysDir, publish } = await repository();
			await proposeRoot({ repoDir: outDir, keysDir, now: NOW });
			const pendingFile = join(outDir, 'pending-root.json');
			const pending = readJson(pendingFile);
			pending.signed.expires = expires;
			writeFileSync(pendingFile, JSON.stringify(pending));
			for (const name of ['root-1.pem', 'root-2.pem']) {
				await signRoot({ repoDir: outDir, keyFile: join(keysDir, name) });
			}
			await rejectsCode(publish(), 'TUF_REPOSITORY_INVALID');
			assert.equal(existsSync(join(outDir, 'metadata', '2.root.json')), false, expires);
		}
	});

	it('refuses to extend a repository whose metadata is damaged', async () => {
		const { outDir, publish } = await repository();
		writeFileSync(join(outDir, 'metadata', 'timestamp.json'), '{"signed": 1}');
		await rejectsCode(publish(), 'TUF_REPOSITORY_INVALID');
	});
});

describe('root signing', () => {
	it('needs a pending root to sign', async () => {
		const { outDir, keysDir } = await repository();
		await rejectsCode(
			signRoot({ repoDir: outDir, keyFile: join(keysDir, 'root-1.pem') }),
			'TUF_NO_PENDING_ROOT',
		);
	});

	it('accepts only root keys of the current or the pending root', async () => {
		const { outDir, keysDir, dir } = await repository();
		const newKeys = join(dir, 'new-keys');
		await initKeys({ dir: newKeys });
		await proposeRoot({ repoDir: outDir, keysDir: newKeys, now: NOW });
		await rejectsCode(
			signRoot({ repoDir: outDir, keyFile: join(keysDir, 'timestamp.pem') }),
			'TUF_KEY_NOT_AUTHORIZED',
		);
		const status = await signRoot({ repoDir: outDir, keyFile: join(keysDir, 'root-1.pem') });
		assert.deepEqual(status.currentKeys, { valid: 1, threshold: 2 });
		assert.deepEqual(status.newKeys, { valid: 0, threshold: 2 });
		assert.equal(status.version, 2);
	});

	it('refuses a key file that is not an Ed25519 private key', async () => {
		const { outDir, dir } = await repository();
		await proposeRoot({ repoDir: outDir, keysDir: join(dir, 'keys'), now: NOW });
		const bogus = join(dir, 'bogus.pem');
		writeFileSync(bogus, 'not a key', { mode: 0o600 });
		await rejectsCode(signRoot({ repoDir: outDir, keyFile: bogus }), 'TUF_KEY_FILE_INVALID');
	});

	it('keeps collected signatures unless asked to start over', async () => {
		const { outDir, keysDir } = await repository();
		await proposeRoot({ repoDir: outDir, keysDir, now: NOW });
		await signRoot({ repoDir: outDir, keyFile: join(keysDir, 'root-1.pem') });
		await rejectsCode(
			proposeRoot({ repoDir: outDir, keysDir, now: NOW }),
			'TUF_PENDING_ROOT_EXISTS',
		);
		const fresh = await proposeRoot({ repoDir: outDir, keysDir, now: NOW, replace: true });
		assert.deepEqual(fresh.signedBy, []);
	});

	it('re-signs the same keys as a new root version, extending the root expiry', async () => {
		const { outDir, keysDir, publish } = await repository();
		const later = new Date(NOW.getTime() + 300 * DAY);
		await proposeRoot({ repoDir: outDir, keysDir, now: later });
		for (const name of ['root-1.pem', 'root-2.pem']) {
			await signRoot({ repoDir: outDir, keyFile: join(keysDir, name) });
		}
		const result = await publish(registryToml(), later);
		assert.equal(result.rootPromoted, true);
		// 300 days on, plus the default year.
		assert.equal(result.expires.root, '2028-03-27T12:00:00Z');
		assert.ok(existsSync(join(outDir, 'metadata', '2.root.json')));
	});
});

it('error codes are VouchErrors, so the CLI can print hints', async () => {
	const dir = makeTempDir('vouch-tuf-keys-');
	await assert.rejects(initKeys({ dir, rootKeys: 1, rootThreshold: 2 }), (error: unknown) =>
		isVouchError(error),
	);
});
