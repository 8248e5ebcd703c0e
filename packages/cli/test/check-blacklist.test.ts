import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeTempDir } from '../../library/test/helpers/temp.ts';
import { BLOCKED_UUID, OFFICIAL_UUID, writeRegistry } from './fixture-registry.ts';
import { parseJson, runVouch } from './helpers/cli.ts';

const registry = writeRegistry();

test('a clean plugin exits 0', async () => {
	const run = await runVouch([
		'check-blacklist',
		'https://github.com/examplehost/tagger-tools',
		'--uuid',
		OFFICIAL_UUID,
		'--registry',
		registry,
	]);
	assert.equal(run.code, 0, run.stderr);
	assert.match(run.stdout, /Not blacklisted/);
});

test('an organisation pattern blocks with exit 3 and the reason', async () => {
	const run = await runVouch([
		'check-blacklist',
		'https://github.com/badorg/anything',
		'--registry',
		registry,
	]);
	assert.equal(run.code, 3);
	assert.match(run.stdout, /Organisation distributes malware/);
	// The human output names the entry by the same index as --json and `registry lint`.
	const json = parseJson(
		await runVouch([
			'check-blacklist',
			'https://github.com/badorg/anything',
			'--registry',
			registry,
			'--json',
		]),
	);
	assert.match(run.stdout, new RegExp(`entry #${json.entry} \\(`));
});

test('a blacklisted UUID blocks at any URL, and the reason is sanitised', async () => {
	const run = await runVouch([
		'check-blacklist',
		'--uuid',
		BLOCKED_UUID.toUpperCase(),
		'--registry',
		registry,
	]);
	assert.equal(run.code, 3);
	assert.match(run.stdout, /Steals credentials/);
	assert.equal(run.stdout.includes('\u001b'), false);
});

test('URL variants of a blacklisted URL are blocked (scp form, case, .git, transport)', async () => {
	for (const url of [
		'https://GitLab.com/evil/thing/',
		'git@gitlab.com:evil/thing.git',
		'ssh://git@gitlab.com/evil/thing',
		'http://gitlab.com/evil/thing',
	]) {
		const run = await runVouch(['check-blacklist', url, '--registry', registry, '--json']);
		assert.equal(run.code, 3, url);
		const result = parseJson(run);
		assert.equal(result.blocked, true);
		assert.equal(result.severity, 'soft');
	}
});

test('a URL that merely contains a blacklisted URL is not blocked', async () => {
	const run = await runVouch([
		'check-blacklist',
		'https://gitlab.com/evil/thing-two',
		'--registry',
		registry,
	]);
	assert.equal(run.code, 0);
});

test('no URL and no UUID is a usage error', async () => {
	const run = await runVouch(['check-blacklist', '--registry', registry]);
	assert.equal(run.code, 2);
});

test('an unreadable registry fails (exit 1) instead of answering "not blacklisted"', async () => {
	const run = await runVouch([
		'check-blacklist',
		'https://github.com/x/y',
		'--registry',
		'/nonexistent/plugins.toml',
	]);
	assert.equal(run.code, 1);
	assert.doesNotMatch(run.stdout, /Not blacklisted/);
});

test('a malformed blacklist entry refuses the whole registry', async () => {
	const broken = writeRegistry(
		'[[blacklist]]\nreason = "no identifier at all"\nblacklisted_at = "2026-01-01T00:00:00Z"\n',
	);
	const run = await runVouch([
		'check-blacklist',
		'https://github.com/x/y',
		'--registry',
		broken,
		'--json',
	]);
	assert.equal(run.code, 1);
	const result = parseJson(run) as { error: { code: string } };
	assert.equal(result.error.code, 'BLACKLIST_INVALID');
});

test('VOUCH_REGISTRY_URL supplies the registry when --registry is absent', async () => {
	const run = await runVouch(['check-blacklist', 'https://github.com/badorg/x'], {
		env: { VOUCH_REGISTRY_URL: registry },
	});
	assert.equal(run.code, 3);
});

test('a UUID in braces or as a URN is a usage error (exit 2), never "not blacklisted"', async () => {
	for (const spelling of [
		`{${BLOCKED_UUID}}`,
		`urn:uuid:${BLOCKED_UUID}`,
		BLOCKED_UUID.replaceAll('-', ''),
		`${BLOCKED_UUID}x`,
		'not-a-uuid',
	]) {
		const run = await runVouch([
			'check-blacklist',
			'--uuid',
			spelling,
			'--registry',
			registry,
			'--json',
		]);
		assert.equal(run.code, 2, spelling);
		const error = parseJson(run).error as { code: string; hint?: string };
		assert.equal(error.code, 'INVALID_UUID', spelling);
		assert.match(String(error.hint), /8-4-4-4-12/);
		const human = await runVouch(['check-blacklist', '--uuid', spelling, '--registry', registry]);
		assert.equal(human.code, 2, spelling);
		assert.doesNotMatch(human.stdout, /Not blacklisted/);
		assert.match(human.stderr, /hint:/);
	}
});

test('info and install refuse a braced or URN UUID instead of reading it as a name or URL', async () => {
	for (const spelling of [`{${OFFICIAL_UUID}}`, `urn:uuid:${OFFICIAL_UUID}`]) {
		for (const command of ['info', 'install']) {
			const run = await runVouch([command, spelling, '--registry', registry, '--json'], {
				env: { HOME: makeTempDir('vouch-uuid-home-') },
			});
			assert.equal(run.code, 2, `${command} ${spelling}: ${run.stdout}${run.stderr}`);
			assert.equal((parseJson(run).error as { code: string }).code, 'INVALID_UUID');
		}
	}
});

test('a misspelt blacklist table is an error (exit 1), never "not blacklisted"', async () => {
	const misspelt = writeRegistry(
		`[[blacklists]]\nuuid = "${BLOCKED_UUID}"\nreason = "Malware"\nblacklisted_at = "2026-02-01T00:00:00Z"\n`,
	);
	const run = await runVouch(['check-blacklist', '--uuid', BLOCKED_UUID, '--registry', misspelt]);
	assert.equal(run.code, 1, run.stdout + run.stderr);
	assert.doesNotMatch(run.stdout, /Not blacklisted/);
	assert.match(run.stderr, /"blacklists"/);
});

test('other unknown registry keys are named in a loud warning, in text and --json', async () => {
	const odd = writeRegistry(`mirror = "elsewhere"\n`);
	const run = await runVouch(['check-blacklist', '--uuid', OFFICIAL_UUID, '--registry', odd]);
	assert.equal(run.code, 0, run.stderr);
	assert.match(run.stderr, /top-level key "mirror"/);
	assert.match(run.stderr, /WARNING: .* not checked/);
	const json = parseJson(
		await runVouch(['check-blacklist', '--uuid', OFFICIAL_UUID, '--registry', odd, '--json']),
	);
	assert.ok((json.warnings as string[]).some((warning) => warning.includes('"mirror"')));
});

test('spellings that used to bypass the blacklist are blocked (D2)', async () => {
	for (const url of [
		'https://%67ithub.com/badorg/x',
		'https://github.com/BadOrg/Plugin',
		'https://ｇｉｔｈｕｂ.com/badorg/x',
		'https://git\u00ADhub.com/badorg/x',
		'https://github.com./badorg/x',
		'https://GitLab.com/Evil/Thing.GIT',
	]) {
		const run = await runVouch(['check-blacklist', url, '--registry', registry, '--json']);
		assert.equal(run.code, 3, url);
		assert.equal(parseJson(run).blocked, true, url);
	}
});

test('a URL whose host cannot be made canonical is a usage error, not "not blacklisted"', async () => {
	for (const url of ['https://xn--zz/badorg/x', 'https://a@github.com@evil.example/x']) {
		const run = await runVouch(['check-blacklist', url, '--registry', registry]);
		assert.equal(run.code, 2, url);
		assert.doesNotMatch(run.stdout, /Not blacklisted/);
	}
});

test('a profile adds hosts that compare paths without case, and never drops the big forges', async () => {
	const dir = makeTempDir('vouch-cli-profile-');
	const head =
		'name = "strict"\napi_versions = ["3.0"]\nregistry_urls = ["https://plugins.example.org/"]\nallow_unsigned = true\n';
	const url = 'https://gitlab.com/Evil/Thing';
	const folded = await runVouch(['check-blacklist', url, '--registry', registry]);
	assert.equal(folded.code, 3);
	// A profile's own list, an empty one included, adds to the forges: the entry for
	// gitlab.com/evil/thing still blocks the spelling with capitals.
	for (const list of ['["git.example.org"]', '[]']) {
		const profile = join(dir, `profile-${list.length}.toml`);
		writeFileSync(profile, `${head}case_insensitive_path_hosts = ${list}\n`);
		const run = await runVouch([
			'check-blacklist',
			url,
			'--registry',
			registry,
			'--profile',
			profile,
		]);
		assert.equal(run.code, 3, `${list}: ${run.stdout}${run.stderr}`);
		assert.match(run.stdout, /Known bad repository/);
	}
});
