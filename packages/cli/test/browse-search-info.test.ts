import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MOVED_OLD_UUID, OFFICIAL_UUID, writeRegistry } from './fixture-registry.ts';
import { parseJson, runVouch } from './helpers/cli.ts';

const registry = writeRegistry();
const picard = new URL(
	'../../library/test/fixtures/registries/picard-plugins.toml',
	import.meta.url,
).pathname;

test('browse lists the real Picard registry: 26 plugins, with trust levels', async () => {
	const run = await runVouch(['browse', '--registry', picard, '--json']);
	assert.equal(run.code, 0, run.stderr);
	const result = parseJson(run) as { plugins: { id: string; trust: string }[] };
	assert.equal(result.plugins.length, 26);
	const decade = result.plugins.find((p) => p.id === 'decade');
	assert.equal(decade?.trust, 'trusted');
	const collection = result.plugins.find((p) => p.id === 'add-to-collection');
	assert.equal(collection?.trust, 'community');
});

test('browse --trust filters, and an unknown level is a usage error', async () => {
	const run = await runVouch(['browse', '--registry', picard, '--trust', 'official', '--json']);
	const result = parseJson(run) as { plugins: { trust: string }[] };
	assert.ok(result.plugins.length > 0);
	assert.ok(result.plugins.every((p) => p.trust === 'official'));
	const bad = await runVouch(['browse', '--registry', picard, '--trust', 'superb']);
	assert.equal(bad.code, 2);
});

test('browse human output shows badges and strips escapes from names', async () => {
	const run = await runVouch(['browse', '--registry', registry]);
	assert.equal(run.code, 0, run.stderr);
	assert.match(run.stdout, /🛡️ official\s+tagger-tools/);
	assert.match(run.stdout, /⚠️ community\s+cover-finder/);
	assert.equal(run.stdout.includes('\u001b'), false);
});

test('a registry entry without trust_level is community, never higher', async () => {
	const run = await runVouch([
		'info',
		'cover-finder',
		'--registry',
		registry,
		'--json',
		'--offline',
	]);
	const result = parseJson(run) as { plugin: { trust: string } };
	assert.equal(result.plugin.trust, 'community');
});

test('search matches names case-insensitively', async () => {
	const run = await runVouch(['search', 'ARTIST', '--registry', picard, '--json']);
	assert.equal(run.code, 0, run.stderr);
	const result = parseJson(run) as { plugins: { id: string }[] };
	assert.ok(result.plugins.some((p) => p.id === 'additional-artists-details'));
	const none = await runVouch(['search', 'zzz-no-such-thing', '--registry', picard]);
	assert.equal(none.code, 0);
	assert.match(none.stdout, /No plugin matches/);
});

test('info by id, by URL variant and by UUID finds the same plugin', async () => {
	for (const query of [
		'tagger-tools',
		'https://GITHUB.com/examplehost/tagger-tools.git',
		OFFICIAL_UUID,
	]) {
		const run = await runVouch(['info', query, '--registry', registry, '--json', '--offline']);
		assert.equal(run.code, 0, `${query}: ${run.stderr}`);
		const result = parseJson(run) as { plugin: { id: string }; matchedBy: string };
		assert.equal(result.plugin.id, 'tagger-tools');
	}
});

test('info by an old URL or old UUID reports the redirect', async () => {
	const byUrl = await runVouch([
		'info',
		'https://github.com/someone/old-tagger-tools',
		'--registry',
		registry,
		'--json',
		'--offline',
	]);
	assert.equal((parseJson(byUrl) as { matchedBy: string }).matchedBy, 'redirect_url');
	const byUuid = await runVouch([
		'info',
		MOVED_OLD_UUID,
		'--registry',
		registry,
		'--json',
		'--offline',
	]);
	assert.equal((parseJson(byUuid) as { matchedBy: string }).matchedBy, 'redirect_uuid');
	const human = await runVouch([
		'info',
		'https://github.com/someone/old-tagger-tools',
		'--registry',
		registry,
		'--offline',
	]);
	assert.match(human.stdout, /old address/);
});

test('info shows refs with their API bounds', async () => {
	const run = await runVouch(['info', 'tagger-tools', '--registry', registry, '--offline']);
	assert.match(run.stdout, /main \(API 3\.0–\*\)/);
	assert.match(run.stdout, /legacy \(API \*–2\.9\)/);
});

test('info on an unknown URL says unregistered; an unknown id fails with a suggestion', async () => {
	const url = await runVouch([
		'info',
		'https://example.org/someone/plugin',
		'--registry',
		registry,
		'--json',
	]);
	assert.equal(url.code, 0);
	assert.equal((parseJson(url) as { trust: string }).trust, 'unregistered');
	const id = await runVouch(['info', 'tagger', '--registry', registry, '--json']);
	assert.equal(id.code, 1);
	const error = (parseJson(id) as { error: { code: string; hint: string } }).error;
	assert.equal(error.code, 'PLUGIN_NOT_FOUND');
	assert.match(error.hint, /tagger-tools/);
});

test('official plugins of an unsigned registry are marked "release not verified" everywhere (D19b)', async () => {
	const browse = await runVouch(['browse', '--registry', picard, '--trust', 'official']);
	assert.equal(browse.code, 0, browse.stderr);
	const official = browse.stdout.split('\n').filter((line) => line.includes('official'));
	assert.ok(official.length >= 2);
	for (const line of official.filter((l) => l.includes('🛡️'))) {
		assert.match(line, /unsigned registry: release not verified/);
	}
	const json = parseJson(await runVouch(['browse', '--registry', picard, '--json'])) as {
		plugins: { id: string; trust: string; releaseStatus: string }[];
	};
	for (const plugin of json.plugins) {
		assert.equal(
			plugin.releaseStatus,
			plugin.trust === 'official' ? 'unsigned-registry' : 'not-required',
			plugin.id,
		);
	}
	const info = await runVouch(['info', 'replaygain2', '--registry', picard, '--offline']);
	assert.match(info.stdout, /Releases: +unsigned registry: release not verified/);
	const search = await runVouch(['search', 'replaygain', '--registry', picard]);
	assert.match(search.stdout, /unsigned registry: release not verified/);
});
