/** `vouch blacklist [list]` and `vouch blacklist search`, driven as a user would. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeRegistry } from './fixture-registry.ts';
import { parseJson, runVouch } from './helpers/cli.ts';

const STEALER = 'b7e3c9d1-2f4a-4b6c-8d0e-1a2b3c4d5e6f';
const FORK = '0c8f3a6e-4d2b-4f71-9a5e-7b1c2d3e4f60';

const registry = writeRegistry(`api_version = "3.0"

[[blacklist]]
url_regex = "^https://github\\\\.com/badorg/"
reason = "Organisation distributes MALWARE"
blacklisted_at = "2026-01-10T00:00:00Z"

[[blacklist]]
uuid = "${STEALER}"
reason = "Steals credentials \\u001b[2J\\u202e"
blacklisted_at = "2026-03-05T08:00:00Z"

[[blacklist]]
url = "https://gitlab.com/evil/thing.git"
severity = "soft"
blacklisted_at = "2026-02-01T00:00:00Z"

[[blacklist]]
uuid = "${FORK}"
url = "https://codeberg.org/someone/fork"
reason = "Impersonating fork"

[[blacklist]]
url = "https://github.com/goodorg/tool"
versions = "<1.2.0"
reason = "Versions before 1.2.0 upload your library"
blacklisted_at = "2026-02-20T00:00:00Z"
`);

interface Row {
	index: number;
	reason: string;
	reasonGiven: boolean;
	severity: string;
	blacklistedAt?: string;
	matchedOn?: string[];
}

async function list(...args: string[]) {
	const run = await runVouch(['blacklist', ...args, '--registry', registry, '--json']);
	assert.equal(run.code, 0, run.stderr);
	return parseJson(run) as { count: number; entries: Row[]; url?: Record<string, unknown> };
}

test('list shows every entry newest first, undated ones last, with severity and reason', async () => {
	const result = await list('list');
	assert.equal(result.count, 5);
	assert.deepEqual(
		result.entries.map((row) => row.index),
		[1, 4, 2, 0, 3],
	);
	const byIndex = new Map(result.entries.map((row) => [row.index, row]));
	assert.equal(byIndex.get(2)?.severity, 'soft');
	assert.equal(byIndex.get(0)?.severity, 'hard', 'severity defaults to hard');
	// No reason in the registry: the reason the matcher would give, marked as such.
	assert.equal(byIndex.get(2)?.reasonGiven, false);
	assert.equal(byIndex.get(2)?.reason, 'Plugin is blacklisted');
	assert.equal(byIndex.get(3)?.blacklistedAt, undefined);
});

test('`vouch blacklist` alone lists, and the human output is sanitised', async () => {
	const run = await runVouch(['blacklist', '--registry', registry]);
	assert.equal(run.code, 0, run.stderr);
	assert.match(run.stdout, /5 entries/);
	assert.match(run.stdout, /Steals credentials/);
	assert.match(run.stdout, /2026-03-05T08:00:00Z/);
	assert.match(run.stdout, /soft/);
	assert.equal(
		run.stdout.includes('\u001b') || run.stdout.includes('\u202e'),
		false,
		'no escape or bidi control reaches the screen',
	);
	// The newest entry comes before the oldest.
	assert.ok(run.stdout.indexOf('Steals credentials') < run.stdout.indexOf('Organisation'));
});

test('search matches uuid, reason and organisation text without regard to case', async () => {
	const byUuid = await list('search', STEALER.toUpperCase());
	assert.deepEqual(
		byUuid.entries.map((row) => row.index),
		[1],
	);
	assert.deepEqual(byUuid.entries[0]?.matchedOn, ['uuid']);
	const byReason = await list('search', 'malware');
	assert.deepEqual(
		byReason.entries.map((row) => row.index),
		[0],
	);
	// The organisation as people write it finds the pattern that blocks it.
	const byOrg = await list('search', 'github.com/BadOrg');
	assert.deepEqual(
		byOrg.entries.map((row) => row.index),
		[0],
	);
	const none = await list('search', 'nothing like this');
	assert.equal(none.count, 0);
});

test('a URL in any spelling finds its entry and says it is blocked', async () => {
	for (const spelling of [
		'https://gitlab.com/evil/thing',
		'HTTPS://GitLab.com/Evil/Thing.git/',
		'git@gitlab.com:evil/thing.git',
		'ssh://git@gitlab.com:22/evil/thing',
	]) {
		const result = await list('search', spelling);
		assert.deepEqual(
			result.entries.map((row) => row.index),
			[2],
			spelling,
		);
		assert.equal(result.url?.blocked, true, spelling);
		assert.equal(result.url?.entry, 2, spelling);
		assert.equal(
			result.url?.canonical,
			spelling.startsWith('https') || spelling.startsWith('HTTPS')
				? 'https://gitlab.com/evil/thing'
				: 'ssh://gitlab.com/evil/thing',
		);
	}
	const org = await list('search', 'git@github.com:BadOrg/anything');
	assert.equal(org.url?.blocked, true, 'an organisation pattern blocks the scp spelling too');
	assert.deepEqual(
		org.entries.map((row) => row.index),
		[0],
	);
});

test('an entry that also needs a UUID is found by its URL but does not block the address alone', async () => {
	const result = await list('search', 'https://codeberg.org/Someone/Fork.git');
	assert.deepEqual(
		result.entries.map((row) => row.index),
		[3],
	);
	assert.equal(result.url?.blocked, false);
	const human = await runVouch([
		'blacklist',
		'search',
		'https://codeberg.org/someone/fork',
		'--registry',
		registry,
	]);
	assert.match(human.stdout, /not blocked by its address alone/);
});

test('a clean URL is not blocked and finds nothing', async () => {
	const result = await list('search', 'https://github.com/examplehost/tagger-tools');
	assert.equal(result.url?.blocked, false);
	assert.equal(result.count, 0);
	const human = await runVouch([
		'blacklist',
		'search',
		'https://github.com/examplehost/tagger-tools',
		'--registry',
		registry,
	]);
	assert.match(human.stdout, /is not blocked/);
});

test('the real Picard registry has an empty blacklist, and list says so', async () => {
	const real = new URL(
		'../../library/test/fixtures/registries/picard-plugins.toml',
		import.meta.url,
	).pathname;
	const run = await runVouch(['blacklist', 'list', '--registry', real, '--json']);
	assert.equal(run.code, 0, run.stderr);
	assert.equal(parseJson(run).count, 0);
});

test('without a readable registry the command fails rather than showing an empty list', async () => {
	const run = await runVouch(['blacklist', '--registry', '/nonexistent/plugins.toml', '--json']);
	assert.equal(run.code, 1);
	assert.equal((parseJson(run).error as { code: string }).code, 'NO_REGISTRY_AVAILABLE');
});

test('an address blocked only for some versions says which keys matched', async () => {
	const result = await list('search', 'git@github.com:GoodOrg/tool.git');
	assert.deepEqual(
		result.entries.map((row) => row.index),
		[4],
	);
	assert.equal(result.url?.blocked, true, 'an unknown version counts as inside the range');
	assert.deepEqual(result.url?.matchedOn, ['url', 'versions']);
});
