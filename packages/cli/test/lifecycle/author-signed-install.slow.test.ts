/**
 * Author signatures in install and update (D19b), end to end through the CLI: a registry entry
 * lists its authors' SSH keys, the plugin is served over git smart HTTP on 127.0.0.1, and only
 * a release tag signed by one of those keys installs or updates. Refusals exit 3.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
	makeSigningKey,
	type SigningKey,
	signTag,
} from '../../../library/test/helpers/ssh-signing.ts';
import { type CliRun, parseJson } from '../helpers/cli.ts';
import { createWorld, registryEntry, type ServedPlugin, type World } from './world.ts';

const SPEC = { name: 'signed-author', uuid: '4a5b6c7d-8e9f-4a0b-8c1d-2e3f4a5b6c7d' };
let world: World;
let plugin: ServedPlugin;
let author: SigningKey;
let stranger: SigningKey;

function errorOf(run: CliRun): { code?: string; details?: { reason?: string } } {
	return (parseJson(run).error ?? {}) as { code?: string; details?: { reason?: string } };
}

function vouch(args: string[]): Promise<CliRun> {
	return world.vouch([...args, '--registry', world.registryFile, '--yes', '--json']);
}

before(async () => {
	world = await createWorld();
	author = makeSigningKey('author@example.invalid');
	stranger = makeSigningKey('someone-else@example.invalid');
	plugin = world.serve(SPEC);
	signTag(plugin.repo, 'v1.0.0', author);
	world.publish(plugin);
	world.writeRegistry([
		registryEntry(plugin, SPEC, {
			trust_level: 'trusted',
			versioning_scheme: 'semver',
			signers: [author.line],
		}),
	]);
});
after(() => world.close());

describe('author-signed releases (D19b)', () => {
	it('refuses a branch, since only a tag carries a signature', async () => {
		const run = await vouch(['install', SPEC.name, '--ref', 'main']);
		assert.equal(run.code, 3, run.stdout);
		assert.equal(errorOf(run).code, 'AUTHOR_SIGNATURE_INVALID');
		assert.equal(errorOf(run).details?.reason, 'not-a-tag');
	});

	it('installs the tag signed by a listed key, and records who signed it', async () => {
		const run = await vouch(['install', SPEC.name]);
		assert.equal(run.code, 0, run.stdout + run.stderr);
		const installed = parseJson(run).plugin as {
			source: { ref: string };
			authorSignature: { tag: string; keyFingerprint?: string; signedRegistry: boolean };
		};
		assert.equal(installed.source.ref, 'v1.0.0');
		assert.deepEqual(installed.authorSignature, {
			tag: 'v1.0.0',
			keyFingerprint: author.fingerprint,
			signedRegistry: false,
		});
		assert.match(run.stderr, /unsigned registry: author keys not verified/);
		const info = await world.vouch(['info', SPEC.name, '--registry', world.registryFile]);
		assert.match(info.stdout, /Signed: +tag v1\.0\.0 by author key SHA256:/);
	});

	it('keeps the installed release when the next tag is signed by a key the registry does not list', async () => {
		plugin.repo.commit({ 'later.py': 'x = 1\n' });
		signTag(plugin.repo, 'v1.1.0', stranger);
		world.publish(plugin);
		const run = await vouch(['update', SPEC.name]);
		assert.equal(run.code, 3, run.stdout);
		assert.equal(errorOf(run).code, 'AUTHOR_SIGNATURE_INVALID');
		assert.equal(errorOf(run).details?.reason, 'unknown-signer');
		assert.equal((await world.state()).plugins[SPEC.uuid]?.source.ref, 'v1.0.0');
	});

	it('refuses an unsigned annotated tag, and updates once a listed key signs a release', async () => {
		plugin.repo.commit({ 'later.py': 'x = 2\n' });
		plugin.repo.tag('v1.2.0', { message: 'unsigned release' });
		world.publish(plugin);
		const unsigned = await vouch(['update', SPEC.name]);
		assert.equal(unsigned.code, 3, unsigned.stdout);
		assert.equal(errorOf(unsigned).details?.reason, 'unsigned-tag');

		plugin.repo.commit({ 'later.py': 'x = 3\n' });
		signTag(plugin.repo, 'v1.3.0', author);
		world.publish(plugin);
		const signed = await vouch(['update', SPEC.name]);
		assert.equal(signed.code, 0, signed.stdout + signed.stderr);
		const record = (await world.state()).plugins[SPEC.uuid];
		assert.equal(record?.source.ref, 'v1.3.0');
		assert.equal(record?.authorSignature?.tag, 'v1.3.0');
	});
});
