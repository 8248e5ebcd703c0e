import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { ExitCode, isVouchError } from '../../src/core/errors.ts';
import { createGit } from '../../src/git/index.ts';
import {
	type AuthorSignatureDeps,
	type AuthorSignatureInput,
	checkAuthorSignature,
	makePrivateTempDir,
} from '../../src/lifecycle/author-signature.ts';
import type { TagVerifierPort } from '../../src/lifecycle/ports.ts';
import { createPluginRepo, runTestGit, type TestRepo, testGitEnv } from '../helpers/git-repos.ts';
import { forgeTag, makeSigningKey, signTag } from '../helpers/ssh-signing.ts';
import { makeTempDir } from '../helpers/temp.ts';

const scratch = makeTempDir('vouch-author-signature-');
const git = createGit({ env: testGitEnv() });
let counter = 0;

const author = makeSigningKey('author@example.invalid');
const coAuthor = makeSigningKey('co-author@example.invalid');
const stranger = makeSigningKey('stranger@example.invalid');

interface Harness {
	deps: AuthorSignatureDeps;
	/** The temporary directories handed out. */
	made: string[];
	/** The requests git was given. */
	calls: Parameters<TagVerifierPort['verifyTag']>[0][];
}

function harness(inspect: (file: string) => void = () => {}): Harness {
	const made: string[] = [];
	const calls: Harness['calls'] = [];
	return {
		made,
		calls,
		deps: {
			git: {
				async verifyTag(request) {
					calls.push(request);
					inspect(request.allowedSignersFile);
					return git.verifyTag(request);
				},
			},
			async makeTempDir() {
				const dir = await makePrivateTempDir();
				made.push(dir);
				return dir;
			},
		},
	};
}

/** A depth-1 clone of `tag`, as installs stage it; returns the input for the check. */
async function staged(
	upstream: TestRepo,
	tag: string,
	signers: readonly string[],
	signedRegistry = true,
): Promise<AuthorSignatureInput> {
	const dir = join(scratch, `stage-${counter++}`);
	const { commit } = await git.clone({ url: upstream.url, dest: dir, ref: tag, refType: 'tag' });
	return { pluginId: 'example', dir, ref: tag, refType: 'tag', commit, signers, signedRegistry };
}

async function refused(promise: Promise<unknown>, reason: string): Promise<void> {
	await assert.rejects(promise, (error: unknown) => {
		assert.ok(isVouchError(error), String(error));
		assert.equal(error.code, 'AUTHOR_SIGNATURE_INVALID', error.message);
		assert.equal(error.exitCode, ExitCode.blocked);
		assert.equal(error.details?.reason, reason, error.message);
		return true;
	});
}

describe('checkAuthorSignature: when it applies', () => {
	it('requires nothing of a plugin without signers, and runs nothing', async () => {
		const h = harness();
		const input: AuthorSignatureInput = {
			pluginId: 'example',
			dir: scratch,
			ref: 'main',
			refType: 'branch',
			commit: 'a'.repeat(40),
			signers: [],
			signedRegistry: true,
		};
		assert.deepEqual(await checkAuthorSignature(input, h.deps), { state: 'not-required' });
		assert.equal(h.calls.length + h.made.length, 0);
	});

	it('refuses a branch, a commit or the default branch when the registry lists signers', async () => {
		const h = harness();
		const base = {
			pluginId: 'example',
			dir: scratch,
			commit: 'a'.repeat(40),
			signers: [author.line],
			signedRegistry: true,
		};
		await refused(
			checkAuthorSignature({ ...base, ref: 'main', refType: 'branch' }, h.deps),
			'not-a-tag',
		);
		const commit = { ...base, ref: 'a'.repeat(40), refType: 'commit' as const };
		await refused(checkAuthorSignature(commit, h.deps), 'not-a-tag');
		const none = { ...base, ref: undefined, refType: undefined };
		await refused(checkAuthorSignature(none, h.deps), 'not-a-tag');
		assert.equal(h.calls.length + h.made.length, 0, 'refused before git or files');
	});

	it('refuses a malformed key line before git runs', async () => {
		const upstream = createPluginRepo();
		signTag(upstream, 'v1.0', author);
		const h = harness();
		const input = await staged(upstream, 'v1.0', [
			author.line,
			`${author.line}\nsigner-9 namespaces="git" ${stranger.line}`,
		]);
		await refused(checkAuthorSignature(input, h.deps), 'invalid-signer-key');
		assert.equal(h.calls.length + h.made.length, 0);
	});

	it('sanitises the names it repeats', async () => {
		const h = harness();
		const input: AuthorSignatureInput = {
			pluginId: 'evil\u001b[2J\u001b]0;title\u0007',
			dir: scratch,
			ref: 'main\u001b[31m',
			refType: 'branch',
			commit: 'a'.repeat(40),
			signers: [author.line],
			signedRegistry: true,
		};
		await assert.rejects(checkAuthorSignature(input, h.deps), (error: Error) => {
			assert.ok(![...error.message].some((c) => c < ' '), JSON.stringify(error.message));
			assert.match(error.message, /evil/);
			return true;
		});
	});
});

describe('checkAuthorSignature: a signed release', () => {
	it('verifies a tag signed by a listed key, naming which one', async () => {
		const upstream = createPluginRepo();
		signTag(upstream, 'v1.0', coAuthor);
		const h = harness();
		const input = await staged(upstream, 'v1.0', [author.line, coAuthor.line]);
		assert.deepEqual(await checkAuthorSignature(input, h.deps), {
			state: 'verified',
			tag: 'v1.0',
			signerIndex: 1,
			keyFingerprint: coAuthor.fingerprint,
			signerComment: 'co-author@example.invalid',
			signedRegistry: true,
		});
		assert.equal(h.made.length, 1);
		assert.equal(existsSync(h.made[0] as string), false, 'the key directory is removed');
	});

	it('still checks signers from an unsigned registry, and says so', async () => {
		const upstream = createPluginRepo();
		signTag(upstream, 'v1.0', author);
		const input = await staged(upstream, 'v1.0', [author.line], false);
		const result = await checkAuthorSignature(input, harness().deps);
		assert.equal(result.state, 'verified');
		assert.equal(result.state === 'verified' && result.signedRegistry, false);
		// ...and it is a real check: another key is refused the same way.
		await refused(
			checkAuthorSignature({ ...input, signers: [stranger.line] }, harness().deps),
			'unknown-signer',
		);
	});

	it('writes the listed keys, and nothing else, where only this user can read them', async () => {
		const upstream = createPluginRepo();
		signTag(upstream, 'v1.0', author);
		let seen = false;
		const h = harness((file) => {
			seen = true;
			assert.equal(statSync(dirname(file)).mode & 0o777, 0o700);
			assert.equal(statSync(file).mode & 0o777, 0o600);
			const [type, base64] = author.line.split(' ');
			assert.equal(readFileSync(file, 'utf8'), `signer-1 namespaces="git" ${type} ${base64}\n`);
		});
		await checkAuthorSignature(await staged(upstream, 'v1.0', [author.line]), h.deps);
		assert.ok(seen);
	});
});

describe('checkAuthorSignature: refusals', () => {
	it('refuses a tag signed by a key the registry does not list, and cleans up', async () => {
		const upstream = createPluginRepo();
		signTag(upstream, 'v1.0', stranger);
		const h = harness();
		const input = await staged(upstream, 'v1.0', [author.line]);
		await refused(checkAuthorSignature(input, h.deps), 'unknown-signer');
		assert.equal(h.made.length, 1);
		assert.equal(existsSync(h.made[0] as string), false);
	});

	it('refuses an unsigned annotated tag and a lightweight tag', async () => {
		const upstream = createPluginRepo();
		upstream.tag('annotated', { message: 'no signature' });
		upstream.tag('light');
		await refused(
			checkAuthorSignature(await staged(upstream, 'annotated', [author.line]), harness().deps),
			'unsigned-tag',
		);
		await refused(
			checkAuthorSignature(await staged(upstream, 'light', [author.line]), harness().deps),
			'lightweight-tag',
		);
	});

	it('refuses a tag re-pointed on the server with the signature copied', async () => {
		const upstream = createPluginRepo();
		const signed = signTag(upstream, 'v1.0', author);
		const other = upstream.commit({ 'backdoor.py': 'import os\n' });
		forgeTag(upstream, 'v1.0', signed, (text) => text.replace(/^object \S+/, `object ${other}`));
		const input = await staged(upstream, 'v1.0', [author.line]);
		assert.equal(input.commit, other);
		await refused(checkAuthorSignature(input, harness().deps), 'bad-signature');
	});

	it('refuses when the signed tag is not what was installed', async () => {
		const upstream = createPluginRepo();
		signTag(upstream, 'v1.0', author);
		const input = await staged(upstream, 'v1.0', [author.line]);
		const elsewhere = upstream.commit({ 'other.py': 'X = 1\n' });
		await refused(
			checkAuthorSignature({ ...input, commit: elsewhere }, harness().deps),
			'commit-mismatch',
		);
	});

	it('refuses a tag the clone does not hold', async () => {
		const upstream = createPluginRepo();
		signTag(upstream, 'v1.0', author);
		const input = await staged(upstream, 'v1.0', [author.line]);
		await refused(checkAuthorSignature({ ...input, ref: 'v2.0' }, harness().deps), 'tag-missing');
	});

	it("does not run a verifier the staged clone's config names", async () => {
		const upstream = createPluginRepo();
		signTag(upstream, 'v1.0', stranger);
		const input = await staged(upstream, 'v1.0', [author.line]);
		const marker = join(scratch, `fake-keygen-ran-${counter}`);
		const script = join(scratch, `fake-keygen-${counter++}`);
		writeFileSync(
			script,
			`#!/bin/sh\ntouch '${marker}'\ncase "$*" in *find-principals*) echo signer-1 ;; *) echo 'Good "git" signature for signer-1 with ED25519 key SHA256:forged' ;; esac\n`,
		);
		chmodSync(script, 0o755);
		runTestGit(input.dir, ['config', 'gpg.ssh.program', script]);
		await refused(checkAuthorSignature(input, harness().deps), 'unknown-signer');
		assert.equal(existsSync(marker), false);
	});
});
