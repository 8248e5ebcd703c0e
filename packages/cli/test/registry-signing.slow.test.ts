/**
 * The maintainer's commands end to end: keys, publish, and a client that verifies the result.
 * Threshold signing and rotation are covered against the library in `test/tuf`.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseRegistryText } from '@vouch/library/internal/registry/parse';
import { createTufVerifier } from '@vouch/library/internal/tuf/index';
import { makeTempDir } from '../../library/test/helpers/temp.ts';
import { parseJson, runVouch } from './helpers/cli.ts';
import { assertJsonError } from './json/schema-check.ts';

const REGISTRY = `api_version = "3.0"

[[plugins]]
id = "tagger"
uuid = "3f1c9a52-7be4-4d21-9c8e-51a7d2e60b94"
name = "Tagger"
description = "Tags things"
git_url = "https://github.com/example/tagger"
trust_level = "trusted"
categories = ["metadata"]
added_at = "2026-01-01T00:00:00Z"
updated_at = "2026-01-01T00:00:00Z"

[[blacklist]]
url_regex = "^https://github\\\\.com/badorg/"
reason = "Malware"
blacklisted_at = "2026-01-01T00:00:00Z"
`;

describe('vouch registry keys init / publish', () => {
	it('signs a registry into a repository that a TUF client verifies', async () => {
		const root = makeTempDir('vouch-sign-');
		writeFileSync(join(root, 'plugins.toml'), REGISTRY);
		const keys = await runVouch(['registry', 'keys', 'init', '--dir', 'keys', '--json'], {
			cwd: root,
		});
		assert.equal(keys.code, 0, keys.stdout + keys.stderr);
		assert.equal(keys.stdout.includes('PRIVATE KEY'), false, 'private keys are never printed');
		for (const name of readdirSync(join(root, 'keys')).filter((file) => file.endsWith('.pem'))) {
			assert.equal(statSync(join(root, 'keys', name)).mode & 0o777, 0o600, name);
		}
		const published = await runVouch(
			['registry', 'publish', 'plugins.toml', '--keys', 'keys', '--out', 'repo', '--json'],
			{ cwd: root, now: () => new Date() },
		);
		assert.equal(published.code, 0, published.stdout + published.stderr);
		assert.ok(((parseJson(published).versions as Record<string, number>).timestamp ?? 0) >= 1);

		const verifier = createTufVerifier({
			trustedRootPath: join(root, 'repo', 'metadata', '1.root.json'),
			metadataDir: join(root, 'client', 'metadata'),
			targetsDir: join(root, 'client', 'targets'),
			repositoryUrl: join(root, 'repo'),
		});
		const verified = await verifier.verify({ source: join(root, 'repo'), text: '' });
		assert.equal(verified.signed, true);
		const registry = parseRegistryText(verified.text, { label: 'verified' });
		assert.deepEqual(
			registry.plugins.map((plugin) => plugin.id),
			['tagger'],
		);
		assert.equal(registry.blacklist[0]?.reason, 'Malware');
	});

	it('refuses to publish a registry whose blacklist is malformed', async () => {
		const root = makeTempDir('vouch-sign-');
		writeFileSync(join(root, 'bad.toml'), `${REGISTRY}\n[[blacklist]]\nreason = "no identifier"\n`);
		assert.equal(
			(await runVouch(['registry', 'keys', 'init', '--dir', 'keys'], { cwd: root })).code,
			0,
		);
		const run = await runVouch(
			['registry', 'publish', 'bad.toml', '--keys', 'keys', '--out', 'repo', '--json'],
			{ cwd: root, now: () => new Date() },
		);
		assert.equal(run.code, 1);
		assert.equal((parseJson(run).error as { code: string }).code, 'BLACKLIST_INVALID');
	});

	it('runs the registry lint first: unknown keys and a misspelt blacklist are not signed', async () => {
		const root = makeTempDir('vouch-sign-');
		assert.equal(
			(await runVouch(['registry', 'keys', 'init', '--dir', 'keys'], { cwd: root })).code,
			0,
		);
		const cases = [
			{ text: `mirror = "x"\n${REGISTRY}`, code: 'TUF_REGISTRY_INVALID', key: 'mirror' },
			{
				text: REGISTRY.replace(
					'trust_level = "trusted"',
					'trust_level = "trusted"\nhomepage = "x"',
				),
				code: 'TUF_REGISTRY_INVALID',
				key: 'homepage',
			},
			{
				text: REGISTRY.replace('[[blacklist]]', '[[blacklists]]'),
				code: 'BLACKLIST_INVALID',
				key: 'blacklists',
			},
			{
				text: REGISTRY.replace('reason = "Malware"', 'reason = "Malware"\nseverty = "soft"'),
				code: 'TUF_REGISTRY_INVALID',
				key: 'severty',
			},
		];
		for (const { text, code, key } of cases) {
			writeFileSync(join(root, 'typo.toml'), text);
			const run = await runVouch(
				['registry', 'publish', 'typo.toml', '--keys', 'keys', '--out', 'repo', '--json'],
				{ cwd: root, now: () => new Date() },
			);
			assert.equal(run.code, 1, `${key}: ${run.stdout}`);
			const error = parseJson(run).error as { code: string; message: string };
			assert.equal(error.code, code, key);
			assert.match(error.message, new RegExp(`"${key}"`), key);
			assert.throws(() => statSync(join(root, 'repo', 'timestamp.json')), key);
		}
	});
});

describe('a refused first publish', () => {
	it('writes nothing, not even the first root, when a recorded change has no reason', async () => {
		const root = makeTempDir('vouch-sign-');
		writeFileSync(join(root, 'plugins.toml'), REGISTRY);
		assert.equal(
			(await runVouch(['registry', 'keys', 'init', '--dir', 'keys'], { cwd: root })).code,
			0,
		);
		// An editing command that takes no reason records its change without one.
		const edited = await runVouch(
			['registry', 'ref', 'add', 'tagger', 'dev', '--registry', 'plugins.toml'],
			{ cwd: root },
		);
		assert.equal(edited.code, 0, edited.stdout + edited.stderr);
		const run = await runVouch(
			['registry', 'publish', 'plugins.toml', '--keys', 'keys', '--out', 'repo', '--json'],
			{ cwd: root, now: () => new Date() },
		);
		assertJsonError(run, 1, 'TUF_LOG_REASON_REQUIRED');
		assert.equal(existsSync(join(root, 'repo')), false, 'the repository directory is not made');

		const retried = await runVouch(
			[
				'registry',
				'publish',
				'plugins.toml',
				'--keys',
				'keys',
				'--out',
				'repo',
				'--reason',
				'A dev ref.',
			],
			{ cwd: root, now: () => new Date() },
		);
		assert.equal(retried.code, 0, retried.stdout + retried.stderr);
		assert.equal(existsSync(join(root, 'repo', 'pending-root.json')), false);
	});
});
