import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { type LintCode, type LintReport, lintRegistry } from '../../src/registry/lint.ts';
import { parseRegistryText } from '../../src/registry/parse.ts';
import {
	blacklistEntry,
	FIXTURES,
	loadJson,
	pluginEntry,
	UUID_A,
	UUID_B,
	UUID_C,
	UUID_D,
} from './helpers.ts';

const PICARD_CATEGORIES = ['metadata', 'coverart', 'ui', 'scripting', 'formats', 'other'];

function lint(plugins: unknown[], blacklist: unknown[] = []): LintReport {
	return lintRegistry(loadJson(plugins, blacklist), { categories: PICARD_CATEGORIES });
}

function errorCodes(report: LintReport): LintCode[] {
	return report.errors.map((issue) => issue.code);
}

function warningCodes(report: LintReport): LintCode[] {
	return report.warnings.map((issue) => issue.code);
}

const A = 'https://github.com/example/a';
const B = 'https://github.com/example/b';

describe('lintRegistry', () => {
	it('passes a clean registry', () => {
		const report = lint(
			[pluginEntry('a', UUID_A), pluginEntry('b', UUID_B)],
			[blacklistEntry({ uuid: UUID_C })],
		);
		assert.deepEqual(report, { errors: [], warnings: [] });
	});

	it('finds no errors in the real Picard registry', () => {
		const text = readFileSync(new URL('picard-plugins.toml', FIXTURES), 'utf8');
		const report = lintRegistry(parseRegistryText(text, { label: 'picard' }), {
			categories: PICARD_CATEGORIES,
		});
		assert.deepEqual(report.errors, []);
		// One entry has `categories = []`; its two official plugins have no pins (it is unsigned).
		assert.deepEqual([...new Set(warningCodes(report))].sort(), [
			'NO_CATEGORIES',
			'OFFICIAL_NOT_PINNED',
		]);
		assert.equal(warningCodes(report).filter((code) => code === 'OFFICIAL_NOT_PINNED').length, 2);
	});

	describe('transports (D11)', () => {
		it('requires https for git_url and redirect_from', () => {
			const report = lint([
				pluginEntry('a', UUID_A, { git_url: 'http://github.com/example/a' }),
				pluginEntry('b', UUID_B, { git_url: 'git@github.com:example/b.git' }),
				pluginEntry('c', UUID_C, { git_url: '/srv/plugins/c' }),
				pluginEntry('d', UUID_D, { redirect_from: ['git://github.com/old/d'] }),
			]);
			assert.deepEqual(errorCodes(report), [
				'INSECURE_GIT_URL',
				'INSECURE_GIT_URL',
				'INSECURE_GIT_URL',
				'INSECURE_REDIRECT_URL',
			]);
		});

		it("applies the client's own rule: http only to this machine, by its parsed host", () => {
			const report = lint([
				pluginEntry('a', UUID_A, { git_url: 'http://127.0.0.1:8080/example/a' }),
				pluginEntry('b', UUID_B, { git_url: 'http://127.0.0.1.nip.io/example/b' }),
				pluginEntry('c', UUID_C, { git_url: 'http://localhost.evil.com/example/c' }),
				pluginEntry('d', UUID_D, { git_url: 'file:///srv/plugins/d' }),
			]);
			assert.deepEqual(errorCodes(report), [
				'INSECURE_GIT_URL',
				'INSECURE_GIT_URL',
				'INSECURE_GIT_URL',
			]);
		});
	});

	describe('duplicates and identity (item 63)', () => {
		it('catches duplicate ids, UUIDs and git URLs, the URLs in canonical form', () => {
			const report = lint([
				pluginEntry('a', UUID_A, { git_url: A }),
				pluginEntry('a', UUID_B, { git_url: B }),
				pluginEntry('c', UUID_A.toUpperCase(), { git_url: 'https://github.com/example/c' }),
				pluginEntry('d', UUID_D, { git_url: 'https://GitHub.com/example/a.git/' }),
			]);
			assert.deepEqual(errorCodes(report).sort(), [
				'DUPLICATE_GIT_URL',
				'DUPLICATE_ID',
				'DUPLICATE_UUID',
			]);
			assert.equal(report.errors.find((e) => e.code === 'DUPLICATE_GIT_URL')?.plugin, 'd');
		});

		it('rejects a missing or unknown trust level', () => {
			const report = lint([
				pluginEntry('a', UUID_A, { trust_level: undefined }),
				pluginEntry('b', UUID_B, { trust_level: 'superb' }),
			]);
			assert.deepEqual(errorCodes(report), ['TRUST_LEVEL_INVALID', 'TRUST_LEVEL_INVALID']);
		});

		it('rejects ids that are not lowercase alnum and hyphens', () => {
			for (const id of ['Upper', 'under_score', '-lead', 'trail-', 'double--hyphen', 'sp ace']) {
				const entry = pluginEntry(id, UUID_A, { git_url: 'https://github.com/example/p' });
				assert.deepEqual(errorCodes(lint([entry])), ['ID_INVALID'], id);
			}
			assert.deepEqual(lint([pluginEntry('view-script-variables2', UUID_A)]).errors, []);
		});

		it('rejects placeholder and non-v4 UUIDs', () => {
			for (const uuid of [
				'00000000-0000-0000-0000-000000000000',
				'78430c8c-d2ed-1dcf-8b3f-d2bc8b7348ac',
			]) {
				assert.deepEqual(errorCodes(lint([pluginEntry('a', uuid)])), ['UUID_INVALID'], uuid);
			}
		});

		it('reports skipped plugin entries as errors', () => {
			const report = lint([pluginEntry('a', UUID_A), { id: 'broken' }]);
			assert.deepEqual(errorCodes(report), ['PLUGIN_SKIPPED']);
			assert.match(report.errors[0]?.plugin ?? '', /broken/);
		});

		it('counts skips beyond the warning cap from the raw entry count', () => {
			const registry = loadJson([pluginEntry('a', UUID_A)]);
			const report = lintRegistry(registry, { rawPluginCount: 4 });
			assert.deepEqual(errorCodes(report), ['PLUGIN_SKIPPED']);
			assert.match(report.errors[0]?.message ?? '', /3 more/);
		});
	});

	describe('fields', () => {
		it('checks versioning schemes, with regex: patterns compiled by RE2', () => {
			const ok = ['semver', 'calver', 'regex:^v\\d+\\.\\d+$', 'regex:(?P<major>\\d+)'];
			ok.forEach((scheme, i) => {
				assert.deepEqual(
					lint([pluginEntry(`p${i}`, UUID_A, { versioning_scheme: scheme })]).errors,
					[],
					scheme,
				);
			});
			for (const scheme of [
				'SemVer',
				'latest',
				'regex:',
				'regex:(a)\\1',
				'regex:(?=x)',
				'regex:[',
			]) {
				assert.deepEqual(
					errorCodes(lint([pluginEntry('p', UUID_A, { versioning_scheme: scheme })])),
					['VERSIONING_SCHEME_INVALID'],
					scheme,
				);
			}
		});

		it('requires ISO 8601 UTC timestamps', () => {
			for (const value of [
				'2025-12-01',
				'2025-12-01T11:16:37+01:00',
				'2025-13-01T00:00:00Z',
				'2025-02-30T00:00:00Z',
				'yesterday',
			]) {
				assert.deepEqual(
					errorCodes(lint([pluginEntry('a', UUID_A, { added_at: value })])),
					['TIMESTAMP_INVALID'],
					value,
				);
			}
			assert.deepEqual(errorCodes(lint([pluginEntry('a', UUID_A, { updated_at: undefined })])), [
				'MISSING_FIELD',
			]);
			assert.deepEqual(
				warningCodes(
					lint([
						pluginEntry('a', UUID_A, {
							added_at: '2026-01-02T00:00:00Z',
							updated_at: '2026-01-01T00:00:00Z',
						}),
					]),
				),
				['TIMESTAMP_ORDER'],
			);
		});

		it('requires a description', () => {
			assert.deepEqual(errorCodes(lint([pluginEntry('a', UUID_A, { description: undefined })])), [
				'MISSING_FIELD',
			]);
		});

		it('warns about unknown and missing categories', () => {
			const report = lint([
				pluginEntry('a', UUID_A, { categories: ['metadata', 'games'] }),
				pluginEntry('b', UUID_B, { categories: [] }),
			]);
			assert.deepEqual(report.errors, []);
			assert.deepEqual(warningCodes(report), ['UNKNOWN_CATEGORY', 'NO_CATEGORIES']);
		});

		it('checks refs: duplicates, unsafe names, API bounds', () => {
			const refs = [
				{ name: 'main' },
				{ name: 'main' },
				{ name: '--upload-pack=evil' },
				{ name: 'v3', min_api_version: '3.1', max_api_version: '3.0' },
				{ name: 'v4', min_api_version: 'four' },
			];
			assert.deepEqual(errorCodes(lint([pluginEntry('a', UUID_A, { refs })])), [
				'REF_INVALID',
				'REF_INVALID',
				'REF_INVALID',
				'REF_INVALID',
			]);
		});

		it('requires full commit ids and tree digests in release pins', () => {
			const tree = `sha256:${'c'.repeat(64)}`;
			const releases = [
				{ ref: 'v1.0.0', commit: 'a'.repeat(40), tree },
				{ ref: 'v1.0.1', commit: 'abc123', tree },
				{ ref: 'v1.0.2', commit: 'b'.repeat(40), tree: 'sha256:y' },
			];
			assert.deepEqual(errorCodes(lint([pluginEntry('a', UUID_A, { releases })])), [
				'RELEASE_INVALID',
				'RELEASE_INVALID',
			]);
		});

		it('warns about an official plugin without pins', () => {
			const official = pluginEntry('a', UUID_A, { trust_level: 'official' });
			assert.ok(warningCodes(lint([official])).includes('OFFICIAL_NOT_PINNED'));
			const tree = `sha256:${'c'.repeat(64)}`;
			const pinned = { ...official, releases: [{ ref: 'v1', commit: 'a'.repeat(40), tree }] };
			assert.equal(warningCodes(lint([pinned])).includes('OFFICIAL_NOT_PINNED'), false);
		});

		it('refuses unknown fields, naming them, in plugin and blacklist entries and at the top level', () => {
			const report = lint(
				[{ ...pluginEntry('a', UUID_A), homepage: 'x' }],
				[{ ...blacklistEntry({ uuid: UUID_B }), reson: 'typo' }],
			);
			assert.deepEqual(errorCodes(report), ['UNKNOWN_FIELD', 'UNKNOWN_FIELD']);
			assert.match(report.errors[0]?.message ?? '', /"reson"/);
			assert.match(report.errors[1]?.message ?? '', /"homepage"/);
			const topLevel = lintRegistry(
				parseRegistryText('api_version = "3.0"\nmirror = "x"\n[[plugins_extra]]\nid = "a"\n', {
					label: 'typo',
				}),
			);
			assert.deepEqual(errorCodes(topLevel), ['UNKNOWN_FIELD', 'UNKNOWN_FIELD']);
			assert.match(
				topLevel.errors.map((issue) => issue.message).join(' '),
				/"mirror".*"plugins_extra"/,
			);
		});
	});

	describe('blacklist (D3, D4, item 64)', () => {
		it('rejects url_regex patterns RE2 cannot compile', () => {
			const report = lint(
				[],
				[
					blacklistEntry({ url_regex: '(?<=evil)x' }),
					blacklistEntry({ url_regex: '^https://evil\\.example/' }),
				],
			);
			assert.deepEqual(errorCodes(report), ['BLACKLIST_REGEX_INVALID']);
			assert.equal(report.errors[0]?.entry, 0);
		});

		it('warns about a url entry that names an account on a forge, which blocks nothing', () => {
			// Written to block an organisation, a `url` entry blocks only a repository of that exact
			// address: `https://github.com/evil/` is no repository, so nothing would be blocked.
			const report = lint(
				[],
				[
					blacklistEntry({ url: 'https://github.com/evil/' }),
					blacklistEntry({ url: 'git@GitLab.com:evil.git' }),
					blacklistEntry({ url: 'https://github.com/evil/plugin' }),
					blacklistEntry({ url: 'https://git.example.org/evil' }),
					blacklistEntry({ url_regex: '^https://github\\.com/evil/' }),
				],
			);
			assert.deepEqual(errorCodes(report), []);
			assert.deepEqual(
				report.warnings.map((issue) => [issue.code, issue.entry]),
				[
					['BLACKLIST_URL_NOT_REPOSITORY', 0],
					['BLACKLIST_URL_NOT_REPOSITORY', 1],
				],
			);
			assert.match(report.warnings[0]?.message ?? '', /url_regex/);
		});

		it('requires a reason and an ISO 8601 UTC blacklisted_at', () => {
			const report = lint(
				[],
				[
					{ uuid: UUID_A, blacklisted_at: '2026-01-01T00:00:00Z' },
					{ uuid: UUID_B, reason: '  ', blacklisted_at: '2026-01-01T00:00:00Z' },
					{ uuid: UUID_C, reason: 'x' },
					{ uuid: UUID_D, reason: 'x', blacklisted_at: '1 Jan 2026' },
				],
			);
			assert.deepEqual(
				report.errors.map((e) => [e.code, e.entry]),
				[
					['BLACKLIST_REASON_MISSING', 0],
					['BLACKLIST_REASON_MISSING', 1],
					['BLACKLIST_DATE_MISSING', 2],
					['TIMESTAMP_INVALID', 3],
				],
			);
		});
	});

	it('sanitises untrusted text in every message', () => {
		const evil = '\u001b[31mred\u001b[0m';
		const report = lint([
			pluginEntry(`a${evil}`, UUID_A, {
				git_url: 'https://github.com/example/a',
				trust_level: evil,
				versioning_scheme: evil,
				categories: [evil],
			}),
			// A URL with control characters cannot be made canonical (D2), so its plugin is
			// skipped; the skip message is checked below like every other.
			pluginEntry(`a${evil}`, UUID_B, { git_url: `http://x.example/${evil}` }),
			pluginEntry(`b${evil}`, UUID_C, { git_url: 'http://x.example/b' }),
		]);
		assert.ok(report.errors.length > 3);
		for (const issue of [...report.errors, ...report.warnings]) {
			assert.ok(!issue.message.includes('\u001b'), issue.message);
			assert.ok(!(issue.plugin ?? '').includes('\u001b'));
		}
	});
});
