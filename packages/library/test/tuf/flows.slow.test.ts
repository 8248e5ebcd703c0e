/**
 * The legitimate flows a TUF client must accept, against a real repository on 127.0.0.1:
 * a blacklist update, a root rotation, threshold signing of a first root, and the verifier
 * seam the registry loader calls.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { parseRegistryText } from '../../src/registry/parse.ts';
import { createTufVerifier } from '../../src/tuf/client/verifier.ts';
import { initKeys } from '../../src/tuf/repository/init-keys.ts';
import { publishRepository } from '../../src/tuf/repository/publish.ts';
import { proposeRoot, signRoot } from '../../src/tuf/repository/root-signing.ts';
import { makeTempDir } from '../helpers/temp.ts';
import {
	blacklistUrls,
	makeFixture,
	registryToml,
	rejectsCode,
	serveDirectory,
	type TufFixture,
} from './helpers.ts';

let fixture: TufFixture;
beforeEach(async () => {
	fixture = await makeFixture();
});
afterEach(async () => {
	await fixture.close();
});

describe('blacklist update', () => {
	it('reaches the client without a registry release, downloading only the blacklist', async () => {
		const client = fixture.client();
		const first = await client.refresh();
		assert.deepEqual(blacklistUrls(first.text), ['https://github.com/evil/one']);
		const registryTarget = readdirSync(join(fixture.repoDir, 'targets')).find((name) =>
			name.endsWith('.registry.json'),
		) as string;

		const published = await fixture.publish(
			registryToml(['https://github.com/evil/one', 'https://github.com/evil/two']),
		);
		assert.equal(published.rootPromoted, false);
		assert.equal(published.targets.registry.file, `targets/${registryTarget}`);
		fixture.server.requests.length = 0;

		const second = await client.refresh();
		assert.deepEqual(second.versions, { root: 1, timestamp: 2, snapshot: 2, targets: 2 });
		assert.deepEqual(blacklistUrls(second.text), [
			'https://github.com/evil/one',
			'https://github.com/evil/two',
		]);
		// The unchanged registry target came from the client's cache.
		assert.equal(fixture.server.requests.includes(`/targets/${registryTarget}`), false);
		assert.ok(fixture.server.requests.includes(`/${published.targets.blacklist.file}`));
		// The merged document is what the loader parses: the new entry blocks.
		const registry = parseRegistryText(second.text, { label: 'tuf', format: 'json' });
		assert.equal(registry.blacklist.length, 2);
		assert.equal(registry.plugins.length, 2);
	});

	it('reports the verified expiry that drives the D1 staleness policy', async () => {
		const result = await fixture.client().refresh();
		const timestamp = JSON.parse(fixture.file('metadata/timestamp.json').toString('utf8'));
		assert.equal(result.signed, true);
		assert.equal(result.format, 'json');
		assert.deepEqual(result.expiresAt, new Date(timestamp.signed.expires));
	});

	it('serves the verifier seam: the loader hands the repository URL as the source', async () => {
		const verifier = createTufVerifier({
			trustedRootPath: join(fixture.repoDir, 'metadata', '1.root.json'),
			metadataDir: join(fixture.dir, 'seam', 'metadata'),
			targetsDir: join(fixture.dir, 'seam', 'targets'),
		});
		// The text the loader fetched is not trusted, so not used.
		const verified = await verifier.verify({ source: fixture.server.base, text: 'ignored' });
		assert.equal(verified.signed, true);
		assert.deepEqual(blacklistUrls(verified.text), ['https://github.com/evil/one']);
	});

	it('reads a repository through file:// as well', async () => {
		const verifier = createTufVerifier({
			trustedRootPath: join(fixture.repoDir, 'metadata', '1.root.json'),
			metadataDir: join(fixture.dir, 'file', 'metadata'),
			targetsDir: join(fixture.dir, 'file', 'targets'),
			repositoryUrl: fixture.repoDir,
		});
		assert.equal((await verifier.refresh()).versions.targets, 1);
	});
});

describe('root rotation', () => {
	it('is accepted when the new root is signed by a threshold of the old and of the new keys', async () => {
		const client = fixture.client();
		await client.refresh();
		const newKeys = join(fixture.dir, 'new-keys');
		// The log goes on under its own key: the new key set takes the log key over.
		await initKeys({ dir: newKeys, logKeyFrom: fixture.keysDir });
		await proposeRoot({ repoDir: fixture.repoDir, keysDir: newKeys, now: new Date() });
		for (const keyFile of [
			join(fixture.keysDir, 'root-1.pem'),
			join(fixture.keysDir, 'root-3.pem'),
			join(newKeys, 'root-2.pem'),
		]) {
			await signRoot({ repoDir: fixture.repoDir, keyFile });
		}
		const status = await signRoot({
			repoDir: fixture.repoDir,
			keyFile: join(newKeys, 'root-3.pem'),
		});
		assert.deepEqual(status.currentKeys, { valid: 2, threshold: 2 });
		assert.deepEqual(status.newKeys, { valid: 2, threshold: 2 });
		assert.equal(status.complete, true);

		// The old online keys are no longer listed: publishing with them is refused.
		await rejectsCode(fixture.publish(), 'TUF_KEY_MISSING');
		const published = await publishRepository({
			registryText: registryToml(['https://github.com/evil/three']),
			keysDir: newKeys,
			outDir: fixture.repoDir,
			now: new Date(),
			reason: 'Blacklisted evil/three.',
		});
		assert.equal(published.rootPromoted, true);
		assert.equal(published.versions.root, 2);
		assert.equal(existsSync(join(fixture.repoDir, 'pending-root.json')), false);

		// A client that trusted root 1 moves to root 2 and accepts the new online keys.
		const rotated = await client.refresh();
		assert.equal(rotated.versions.root, 2);
		assert.deepEqual(blacklistUrls(rotated.text), ['https://github.com/evil/three']);
		// A new client that ships only root 1 walks the same chain.
		assert.equal((await fixture.client({ name: 'fresh' }).refresh()).versions.root, 2);
		// The stored chain re-verifies from the shipped root, offline.
		assert.equal((await client.loadCached()).versions.root, 2);
	});

	it('keeps publishing under the current root while a rotation is short of signatures', async () => {
		const newKeys = join(fixture.dir, 'new-keys');
		// The log goes on under its own key: the new key set takes the log key over.
		await initKeys({ dir: newKeys, logKeyFrom: fixture.keysDir });
		await proposeRoot({ repoDir: fixture.repoDir, keysDir: newKeys, now: new Date() });
		await signRoot({ repoDir: fixture.repoDir, keyFile: join(fixture.keysDir, 'root-2.pem') });
		const published = await fixture.publish();
		assert.equal(published.rootPromoted, false);
		assert.equal(published.pendingRoot?.version, 2);
		assert.equal(published.pendingRoot?.complete, false);
		assert.equal((await fixture.client().refresh()).versions.root, 1);
	});
});

describe('threshold signing of a first root', () => {
	it('collects root signatures offline until the threshold is met, then publishes', async () => {
		const dir = makeTempDir('vouch-tuf-threshold-');
		const keysDir = join(dir, 'keys');
		const repoDir = join(dir, 'repo');
		const holders = join(dir, 'holders');
		await initKeys({ dir: keysDir, rootKeys: 3, rootThreshold: 2 });
		// The root key holders take their keys away; only the online keys stay.
		mkdirSync(holders);
		for (const name of ['root-1.pem', 'root-2.pem', 'root-3.pem']) {
			renameSync(join(keysDir, name), join(holders, name));
		}
		const publish = () =>
			publishRepository({
				registryText: registryToml(),
				keysDir,
				outDir: repoDir,
				now: new Date(),
			});
		await rejectsCode(publish(), 'TUF_ROOT_NOT_FULLY_SIGNED');
		const once = await signRoot({ repoDir, keyFile: join(holders, 'root-2.pem') });
		assert.deepEqual(once.newKeys, { valid: 1, threshold: 2 });
		assert.equal(once.currentKeys, undefined);
		await rejectsCode(publish(), 'TUF_ROOT_NOT_FULLY_SIGNED');
		const twice = await signRoot({ repoDir, keyFile: join(holders, 'root-3.pem') });
		assert.equal(twice.complete, true);
		const published = await publish();
		assert.equal(published.rootPromoted, true);

		const shipped = join(dir, 'root.json');
		copyFileSync(join(repoDir, 'metadata', 'root.json'), shipped);
		const server = await serveDirectory(repoDir);
		try {
			const verifier = createTufVerifier({
				trustedRootPath: shipped,
				metadataDir: join(dir, 'client', 'metadata'),
				targetsDir: join(dir, 'client', 'targets'),
				repositoryUrl: server.base,
			});
			assert.equal((await verifier.refresh()).versions.root, 1);
		} finally {
			await server.close();
		}
	});
});
