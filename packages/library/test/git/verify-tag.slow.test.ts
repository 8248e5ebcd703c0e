import assert from 'node:assert/strict';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isVouchError } from '../../src/core/errors.ts';
import { createGit, type Git } from '../../src/git/index.ts';
import { createPluginRepo, runTestGit, type TestRepo, testGitEnv } from '../helpers/git-repos.ts';
import { allowedSignersFile, forgeTag, makeSigningKey, signTag } from '../helpers/ssh-signing.ts';
import { makeTempDir } from '../helpers/temp.ts';
import { plainGit } from './plain-git.ts';
import { isShallow } from './upstream.ts';

const scratch = makeTempDir('vouch-git-verify-tag-');
const git: Git = createGit({ env: testGitEnv() });
let counter = 0;
const dest = () => join(scratch, `clone-${counter++}`);

const author = makeSigningKey('author@example.invalid');
const stranger = makeSigningKey('stranger@example.invalid');
const allowed = allowedSignersFile([author]);

async function rejectsCode(
	promise: Promise<unknown>,
	code: string,
	check: (details: Record<string, unknown>) => void = () => {},
): Promise<void> {
	await assert.rejects(promise, (error: unknown) => {
		assert.ok(isVouchError(error), String(error));
		assert.equal(error.code, code, error.message);
		check(error.details ?? {});
		return true;
	});
}

/** A shallow clone of `tag`, made the way installs make it. */
async function cloneTag(upstream: TestRepo, tag: string): Promise<string> {
	const dir = dest();
	await git.clone({ url: upstream.url, dest: dir, ref: tag, refType: 'tag' });
	return dir;
}

function writeScript(name: string, body: string): { path: string; marker: string } {
	const marker = join(scratch, `${name}-ran`);
	const path = join(scratch, name);
	writeFileSync(path, `#!/bin/sh\ntouch '${marker}'\n${body}\nexit 0\n`);
	chmodSync(path, 0o755);
	return { path, marker };
}

describe('verifyTag: what passes', () => {
	it('accepts a tag signed by an allowed key, naming the key and the tagged commit', async () => {
		const upstream = createPluginRepo();
		const commit = upstream.commitOf();
		const tagObject = signTag(upstream, 'v1.0', author);
		const dir = await cloneTag(upstream, 'v1.0');
		const result = await git.verifyTag({ dir, tag: 'v1.0', allowedSignersFile: allowed });
		assert.deepEqual(result, {
			verified: true,
			tagObject,
			commit,
			principal: 'signer-1',
			keyFingerprint: author.fingerprint,
		});
	});

	it('verifies in the depth-1 clone installs make, and after fetching a newer tag into it', async () => {
		const upstream = createPluginRepo();
		signTag(upstream, 'v1.0', author);
		const next = upstream.commit({ 'lib.py': 'NEW = 1\n' });
		signTag(upstream, 'v2.0', author);
		upstream.commit({ 'lib.py': 'NEWER = 1\n' });

		const dir = dest();
		await git.clone({ url: upstream.url, dest: dir, ref: 'v1.0' }); // type found by trying
		assert.ok(isShallow(dir));
		assert.equal(
			runTestGit(dir, ['cat-file', '-t', 'refs/tags/v1.0']),
			'tag',
			'tag object fetched',
		);
		await git.verifyTag({ dir, tag: 'v1.0', allowedSignersFile: allowed });

		assert.equal((await git.fetch({ dir, ref: 'v2.0', refType: 'tag' })).commit, next);
		assert.ok(isShallow(dir));
		const result = await git.verifyTag({ dir, tag: 'v2.0', allowedSignersFile: allowed });
		assert.equal(result.commit, next);
	});
});

describe('verifyTag: what is refused', () => {
	it('refuses a tag signed by a key that is not allowed, naming that key', async () => {
		const upstream = createPluginRepo();
		signTag(upstream, 'v1.0', stranger);
		const dir = await cloneTag(upstream, 'v1.0');
		await rejectsCode(
			git.verifyTag({ dir, tag: 'v1.0', allowedSignersFile: allowed }),
			'GIT_SIGNER_NOT_ALLOWED',
			(details) => assert.equal(details.keyFingerprint, stranger.fingerprint),
		);
		// The same tag passes once the key is allowed: the refusal was about the key alone.
		const both = allowedSignersFile([author, stranger]);
		const result = await git.verifyTag({ dir, tag: 'v1.0', allowedSignersFile: both });
		assert.equal(result.principal, 'signer-2');
	});

	it('refuses an annotated tag without a signature', async () => {
		const upstream = createPluginRepo();
		upstream.tag('v1.0', { message: 'not signed' });
		const dir = await cloneTag(upstream, 'v1.0');
		await rejectsCode(
			git.verifyTag({ dir, tag: 'v1.0', allowedSignersFile: allowed }),
			'GIT_TAG_UNSIGNED',
		);
	});

	it('refuses a lightweight tag', async () => {
		const upstream = createPluginRepo();
		upstream.tag('v1.0');
		const dir = await cloneTag(upstream, 'v1.0');
		await rejectsCode(
			git.verifyTag({ dir, tag: 'v1.0', allowedSignersFile: allowed }),
			'GIT_TAG_NOT_ANNOTATED',
		);
	});

	it('refuses a missing tag', async () => {
		const upstream = createPluginRepo();
		signTag(upstream, 'v1.0', author);
		const dir = await cloneTag(upstream, 'v1.0');
		await rejectsCode(
			git.verifyTag({ dir, tag: 'v1', allowedSignersFile: allowed }),
			'GIT_REF_NOT_FOUND',
		);
	});

	it('refuses a signed tag re-pointed at another commit, its signature copied', async () => {
		const upstream = createPluginRepo();
		const signed = signTag(upstream, 'v1.0', author);
		const other = upstream.commit({ 'backdoor.py': 'import os\n' });
		forgeTag(upstream, 'v1.0', signed, (text) => text.replace(/^object \S+/, `object ${other}`));
		const dir = await cloneTag(upstream, 'v1.0');
		assert.equal(runTestGit(dir, ['rev-parse', 'HEAD']), other, 'the clone got the forged tag');
		await rejectsCode(
			git.verifyTag({ dir, tag: 'v1.0', allowedSignersFile: allowed }),
			'GIT_SIGNATURE_INVALID',
		);
	});

	it('refuses a signed tag whose message was edited', async () => {
		const upstream = createPluginRepo();
		const signed = signTag(upstream, 'v1.0', author, { message: 'release 1.0' });
		forgeTag(upstream, 'v1.0', signed, (text) => text.replace('release 1.0', 'release 1.0!'));
		const dir = await cloneTag(upstream, 'v1.0');
		await rejectsCode(
			git.verifyTag({ dir, tag: 'v1.0', allowedSignersFile: allowed }),
			'GIT_SIGNATURE_INVALID',
		);
	});

	it('refuses an older signed release served under a newer tag name', async () => {
		const upstream = createPluginRepo();
		const old = signTag(upstream, 'v0.9', author);
		upstream.commit({ 'fix.py': 'FIXED = True\n' });
		upstream.git(['update-ref', 'refs/tags/v1.0', old]);
		const dir = await cloneTag(upstream, 'v1.0');
		await rejectsCode(
			git.verifyTag({ dir, tag: 'v1.0', allowedSignersFile: allowed }),
			'GIT_SIGNATURE_INVALID',
			(details) => assert.equal(details.signedAs, 'v0.9'),
		);
		// Control: git's own check accepts it, the signature being sound.
		const control = await plainGit(dir, [
			'-c',
			`gpg.ssh.allowedSignersFile=${allowed}`,
			'verify-tag',
			'v1.0',
		]);
		assert.equal(control.exitCode, 0, control.stderr);
	});

	it('reports a missing allowed-signers file as an invalid argument', async () => {
		const upstream = createPluginRepo();
		signTag(upstream, 'v1.0', author);
		const dir = await cloneTag(upstream, 'v1.0');
		const missing = join(scratch, 'no-such-allowed-signers');
		await rejectsCode(
			git.verifyTag({ dir, tag: 'v1.0', allowedSignersFile: missing }),
			'GIT_INVALID_ARGUMENT',
		);
	});

	it('refuses tag names git would read as options before running git', async () => {
		await rejectsCode(
			git.verifyTag({ dir: scratch, tag: '--help', allowedSignersFile: allowed }),
			'GIT_INVALID_ARGUMENT',
		);
	});
});

describe("verifyTag: the clone's own configuration changes nothing", () => {
	it('never runs a gpg.ssh.program the repository configures', async () => {
		const upstream = createPluginRepo();
		signTag(upstream, 'v1.0', stranger);
		const dir = await cloneTag(upstream, 'v1.0');
		const fake = writeScript(
			'fake-ssh-keygen',
			'case "$*" in *find-principals*) echo signer-1 ;; *) echo \'Good "git" signature for signer-1 with ED25519 key SHA256:forged\' ;; esac',
		);
		runTestGit(dir, ['config', 'gpg.ssh.program', fake.path]);
		await rejectsCode(
			git.verifyTag({ dir, tag: 'v1.0', allowedSignersFile: allowed }),
			'GIT_SIGNER_NOT_ALLOWED',
		);
		assert.equal(existsSync(fake.marker), false, 'the configured program was not run');
		// Control: with that config, plain git runs the script and calls the tag good.
		const control = await plainGit(dir, [
			'-c',
			`gpg.ssh.allowedSignersFile=${allowed}`,
			'verify-tag',
			'v1.0',
		]);
		assert.equal(control.exitCode, 0, control.stderr);
		assert.equal(existsSync(fake.marker), true);
	});

	it('ignores an allowed-signers file and trust settings the repository configures', async () => {
		const upstream = createPluginRepo();
		signTag(upstream, 'v1.0', stranger);
		const dir = await cloneTag(upstream, 'v1.0');
		const permissive = allowedSignersFile([stranger]);
		runTestGit(dir, ['config', 'gpg.ssh.allowedSignersFile', permissive]);
		runTestGit(dir, ['config', 'gpg.minTrustLevel', 'undefined']);
		runTestGit(dir, ['config', 'gpg.format', 'openpgp']);
		await rejectsCode(
			git.verifyTag({ dir, tag: 'v1.0', allowedSignersFile: allowed }),
			'GIT_SIGNER_NOT_ALLOWED',
		);
	});

	it('refuses an OpenPGP-armoured signature without running the gpg program configured', async () => {
		const upstream = createPluginRepo();
		const commit = upstream.commitOf();
		const file = join(scratch, 'pgp-tag');
		writeFileSync(
			file,
			[
				`object ${commit}`,
				'type commit',
				'tag v1.0',
				'tagger Test Author <author@example.invalid> 1700000000 +0000',
				'',
				'release 1.0',
				'-----BEGIN PGP SIGNATURE-----',
				'',
				'iQEzBAABCAAdFiEEAAAAAAAAAAAAAAAAAAAAAAAAAAAFAmVvAAAACgkQAAAAAAAAAAA=',
				'-----END PGP SIGNATURE-----',
				'',
			].join('\n'),
		);
		const id = upstream.git(['hash-object', '-t', 'tag', '-w', file]);
		upstream.git(['update-ref', 'refs/tags/v1.0', id]);
		const dir = await cloneTag(upstream, 'v1.0');
		const fake = writeScript('fake-gpg', 'echo "[GNUPG:] GOODSIG 0000000000000000 Forged"');
		runTestGit(dir, ['config', 'gpg.program', fake.path]);
		await rejectsCode(
			git.verifyTag({ dir, tag: 'v1.0', allowedSignersFile: allowed }),
			'GIT_SIGNATURE_INVALID',
		);
		assert.equal(existsSync(fake.marker), false, 'the configured gpg was not run');
		// Control: plain git picks gpg from the armour, even with gpg.format=ssh, and runs it.
		await plainGit(dir, ['-c', 'gpg.format=ssh', 'verify-tag', 'v1.0']);
		assert.equal(existsSync(fake.marker), true);
	});
});
