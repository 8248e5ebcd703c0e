import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isVouchError } from '../../src/core/errors.ts';
import type { Registry } from '../../src/registry/model.ts';
import { parseRegistryText } from '../../src/registry/parse.ts';
import {
	FIXTURES,
	loadJson,
	pluginEntry,
	registryJson,
	UUID_A,
	UUID_B,
	UUID_C,
} from './helpers.ts';

const tomlText = readFileSync(new URL('picard-plugins.toml', FIXTURES), 'utf8');
const jsonText = readFileSync(new URL('picard-plugins.json', FIXTURES), 'utf8');

function throwsCode(fn: () => unknown, code: string): void {
	assert.throws(fn, (error: unknown) => isVouchError(error) && error.code === code);
}

function countByTrust(registry: Registry): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const plugin of registry.plugins)
		counts[plugin.trustLevel] = (counts[plugin.trustLevel] ?? 0) + 1;
	return counts;
}

describe('the real Picard registry', () => {
	const registry = parseRegistryText(tomlText, { label: 'picard-plugins.toml' });

	it('loads all 26 plugins with their trust levels and no warnings', () => {
		assert.equal(registry.format, 'toml');
		assert.equal(registry.apiVersion, '3.0');
		assert.equal(registry.plugins.length, 26);
		assert.equal(registry.rawPluginCount, 26);
		assert.deepEqual(registry.warnings, []);
		assert.deepEqual(countByTrust(registry), { official: 2, trusted: 23, community: 1 });
		assert.deepEqual(registry.blacklist, []);
	});

	it('reads specific entries field by field', () => {
		const replaygain = registry.plugins.find((p) => p.id === 'replaygain2');
		assert.ok(replaygain);
		assert.equal(replaygain.trustLevel, 'official');
		assert.equal(replaygain.uuid, '74807b76-c451-419f-bbd4-42a78e2444a6');
		assert.equal(replaygain.gitUrl, 'https://github.com/metabrainz/picard-plugin-replaygain2.git');
		// Canonical form drops the `.git` (D2).
		assert.equal(
			replaygain.canonicalGitUrl,
			'https://github.com/metabrainz/picard-plugin-replaygain2',
		);
		assert.deepEqual(replaygain.refs, [{ name: 'main' }]);
		assert.deepEqual(replaygain.maintainers, ['MusicBrainz Picard Team']);
		assert.equal(replaygain.declaredTrustLevel, undefined);

		const details = registry.plugins.find((p) => p.id === 'additional-artists-details');
		assert.ok(details);
		assert.equal(details.trustLevel, 'trusted');
		assert.equal(details.nameI18n.de, 'Weitere Details zu den Künstlern');
		assert.equal(details.nameI18n.fr, 'Détails supplémentaires sur les artistes');
		assert.equal(details.addedAt, '2025-12-01T11:16:37Z');

		const moved = registry.plugins.find((p) => p.id === 'view-script-variables');
		assert.ok(moved);
		assert.equal(moved.trustLevel, 'official');
		assert.deepEqual(moved.canonicalRedirectFrom, [
			'https://github.com/rdswift/picard-plugin-view-script-variables',
		]);

		const community = registry.plugins.filter((p) => p.trustLevel === 'community').map((p) => p.id);
		assert.deepEqual(community, ['add-to-collection']);
	});

	it('gives the same model from the JSON form', () => {
		const fromJson = parseRegistryText(jsonText, { label: 'picard-plugins.json' });
		assert.equal(fromJson.format, 'json');
		const { format: _t, label: _tl, ...tomlModel } = registry;
		const { format: _j, label: _jl, ...jsonModel } = fromJson;
		assert.deepEqual(jsonModel, tomlModel);
	});
});

describe('format', () => {
	it('is sniffed: JSON when the first non-space character is {', () => {
		assert.equal(parseRegistryText(`  \n${registryJson([])}`, { label: 'x' }).format, 'json');
		assert.equal(parseRegistryText('api_version = "3.0"\n', { label: 'x' }).format, 'toml');
	});

	it('follows an explicit format over the sniffed one', () => {
		throwsCode(
			() => parseRegistryText(registryJson([]), { label: 'x', format: 'toml' }),
			'REGISTRY_PARSE_ERROR',
		);
	});

	it('accepts TOML native date-times as timestamps', () => {
		const text = `[[plugins]]\nid = "a"\nuuid = "${UUID_A}"\nname = "A"\ngit_url = "https://example.org/a"\ntrust_level = "trusted"\nadded_at = 2025-12-01T11:16:37Z\n`;
		const plugin = parseRegistryText(text, { label: 'x' }).plugins[0];
		assert.equal(plugin?.addedAt, '2025-12-01T11:16:37.000Z');
	});
});

describe('malformed plugin entries (item 48): skipped, named, the rest loads', () => {
	it('names a skipped entry by its id when it has one', () => {
		const registry = loadJson([
			pluginEntry('good-one', UUID_A),
			pluginEntry('no-uuid', UUID_B, { uuid: undefined }),
			pluginEntry('good-two', UUID_C),
		]);
		assert.deepEqual(
			registry.plugins.map((p) => p.id),
			['good-one', 'good-two'],
		);
		const skipped = registry.warnings.filter((w) => w.code === 'PLUGIN_SKIPPED');
		assert.equal(skipped.length, 1);
		assert.match(skipped[0]?.message ?? '', /no-uuid/);
		assert.match(skipped[0]?.plugin ?? '', /no-uuid/);
		assert.match(skipped[0]?.message ?? '', /uuid is missing/);
	});

	it('says what is wrong with each bad field, in plain words', () => {
		const registry = loadJson([pluginEntry('typed', UUID_A, { name: 7, git_url: undefined })]);
		const message = registry.warnings[0]?.message ?? '';
		assert.match(message, /name must be a string/);
		assert.match(message, /git_url is missing/);
	});

	it('names a skipped entry by its index when it has no readable id', () => {
		const registry = loadJson([pluginEntry('a', UUID_A), 'not a table', { id: 42 }]);
		assert.equal(registry.plugins.length, 1);
		const names = registry.warnings.map((w) => w.plugin);
		assert.deepEqual(names, ['#1', '#2']);
	});

	it('skips entries with an unusable git_url, redirect, UUID or i18n key', () => {
		const registry = loadJson([
			pluginEntry('bad-url', UUID_A, { git_url: 'https://host:99999/x' }),
			pluginEntry('bad-redirect', UUID_B, { redirect_from: ['https://:1/x'] }),
			pluginEntry('bad-uuid', 'not-a-uuid'),
			pluginEntry('bad-old-uuid', UUID_C, { redirect_from_uuid: ['nope'] }),
			pluginEntry('bad-locale', UUID_C, { name_i18n: { __proto__x: 'x' } }),
			pluginEntry('ok', UUID_C),
		]);
		assert.deepEqual(
			registry.plugins.map((p) => p.id),
			['ok'],
		);
		assert.equal(registry.warnings.filter((w) => w.code === 'PLUGIN_SKIPPED').length, 5);
	});

	it('drops a __proto__ i18n key without touching any prototype', () => {
		const text = `{"plugins": [${JSON.stringify(pluginEntry('p', UUID_A)).slice(0, -1)}, "name_i18n": {"__proto__": {"polluted": "yes"}}}]}`;
		const registry = parseRegistryText(text, { label: 'x' });
		const table = registry.plugins[0]?.nameI18n ?? {};
		assert.equal(Object.hasOwn(table, '__proto__'), false);
		assert.equal(Object.getPrototypeOf(table), Object.prototype);
		assert.equal((table as Record<string, unknown>).polluted, undefined);
		assert.equal(({} as Record<string, unknown>).polluted, undefined);
	});

	it('keeps ANSI escapes from plugin strings out of every warning', () => {
		const evil = '\u001b[31mEVIL\u001b[0m\u001b]0;title\u0007';
		const registry = loadJson([
			pluginEntry(`bad${evil}`, 'not-a-uuid', { name: evil }),
			pluginEntry(`unknown${evil}`, UUID_A, { name: evil, trust_level: `x${evil}` }),
			{ ...pluginEntry('extra', UUID_B, { name: evil }), [`field${evil}`]: 1 },
		]);
		assert.ok(registry.warnings.length >= 3);
		for (const warning of registry.warnings) {
			assert.ok(!warning.message.includes('\u001b'), warning.message);
			assert.ok(!warning.message.includes('\u0007'), warning.message);
			assert.ok(!(warning.plugin ?? '').includes('\u001b'));
		}
	});

	it('caps the warning list and counts the rest in a summary', () => {
		const broken = Array.from({ length: 250 }, (_, i) => ({ id: `p${i}` }));
		const registry = loadJson(broken);
		assert.equal(registry.warnings.length, 201);
		assert.equal(registry.warnings.at(-1)?.code, 'WARNINGS_TRUNCATED');
		assert.match(registry.warnings.at(-1)?.message ?? '', /50 more/);
	});

	it('warns once per unknown field name', () => {
		const registry = loadJson([
			{ ...pluginEntry('a', UUID_A), homepage: 'x' },
			{ ...pluginEntry('b', UUID_B), homepage: 'y' },
		]);
		const unknown = registry.warnings.filter((w) => w.code === 'UNKNOWN_FIELD');
		assert.equal(unknown.length, 1);
		assert.match(unknown[0]?.message ?? '', /homepage/);
	});
});

describe('trust level defaults (D6, items 38 and 43)', () => {
	it('counts a missing trust_level as community, with a warning, never higher', () => {
		const registry = loadJson([pluginEntry('a', UUID_A, { trust_level: undefined })]);
		assert.equal(registry.plugins[0]?.trustLevel, 'community');
		assert.equal(registry.plugins[0]?.declaredTrustLevel, '');
		assert.equal(registry.warnings[0]?.code, 'UNKNOWN_TRUST_LEVEL');
	});

	it('counts an unknown trust_level as community and keeps the declared value', () => {
		for (const declared of ['bogus', 'Official', 'unregistered', 'OFFICIAL ']) {
			const registry = loadJson([pluginEntry('a', UUID_A, { trust_level: declared })]);
			assert.equal(registry.plugins[0]?.trustLevel, 'community', declared);
			assert.equal(registry.plugins[0]?.declaredTrustLevel, declared);
			assert.equal(registry.warnings[0]?.code, 'UNKNOWN_TRUST_LEVEL');
		}
	});

	it('keeps the three known levels as written', () => {
		const registry = loadJson([
			pluginEntry('a', UUID_A, { trust_level: 'official' }),
			pluginEntry('b', UUID_B, { trust_level: 'trusted' }),
			pluginEntry('c', UUID_C, { trust_level: 'community' }),
		]);
		assert.deepEqual(
			registry.plugins.map((p) => p.trustLevel),
			['official', 'trusted', 'community'],
		);
		assert.deepEqual(registry.warnings, []);
	});
});

describe('normalisation', () => {
	it('lowercases UUIDs and canonicalises URLs', () => {
		const registry = loadJson([
			pluginEntry('a', UUID_A.toUpperCase(), {
				git_url: 'https://GitHub.com/Example/Repo.git/',
				redirect_from: ['git@github.com:old/Repo.git'],
				redirect_from_uuid: [UUID_B.toUpperCase()],
			}),
		]);
		const plugin = registry.plugins[0];
		assert.equal(plugin?.uuid, UUID_A);
		assert.equal(plugin?.gitUrl, 'https://GitHub.com/Example/Repo.git/');
		// github.com paths are case-insensitive, so the canonical form folds them (D2).
		assert.equal(plugin?.canonicalGitUrl, 'https://github.com/example/repo');
		assert.deepEqual(plugin?.canonicalRedirectFrom, ['ssh://github.com/old/repo']);
		assert.deepEqual(plugin?.redirectFromUuid, [UUID_B]);
	});

	it('defaults refs to main and keeps explicit refs in order', () => {
		const registry = loadJson([
			pluginEntry('a', UUID_A),
			pluginEntry('b', UUID_B, {
				refs: [{ name: 'v3', min_api_version: '3.0', max_api_version: '3.1' }, { name: 'main' }],
			}),
		]);
		assert.deepEqual(registry.plugins[0]?.refs, [{ name: 'main' }]);
		assert.deepEqual(registry.plugins[1]?.refs, [
			{ name: 'v3', minApiVersion: '3.0', maxApiVersion: '3.1' },
			{ name: 'main' },
		]);
	});

	it('resolves relative local git_url paths against cwd', () => {
		const registry = parseRegistryText(
			registryJson([pluginEntry('a', UUID_A, { git_url: './plugins/a' })]),
			{ label: 'x', cwd: '/srv/registry' },
		);
		assert.equal(registry.plugins[0]?.canonicalGitUrl, '/srv/registry/plugins/a');
	});
});
