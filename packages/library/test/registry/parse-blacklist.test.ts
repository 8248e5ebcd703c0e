import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVouchError } from '../../src/core/errors.ts';
import { parseRegistryText } from '../../src/registry/parse.ts';
import { blacklistEntry, loadJson, pluginEntry, registryJson, UUID_A } from './helpers.ts';

function throwsCode(fn: () => unknown, code: string): void {
	assert.throws(fn, (error: unknown) => isVouchError(error) && error.code === code);
}

describe('blacklist entries: malformed means refused (item 48, D1)', () => {
	const refused = (entries: unknown[]) => () =>
		parseRegistryText(registryJson([pluginEntry('a', UUID_A)], entries), { label: 'x' });

	it('reads valid entries with defaults and lowercased UUIDs', () => {
		const registry = loadJson(
			[],
			[
				blacklistEntry({ uuid: UUID_A.toUpperCase() }),
				blacklistEntry({ url: 'https://example.org/bad', versions: '<2.0.0', severity: 'soft' }),
				blacklistEntry({ url_regex: '^https://evil\\.example/' }),
			],
		);
		assert.deepEqual(registry.blacklist, [
			{
				index: 0,
				uuid: UUID_A,
				severity: 'hard',
				reason: 'Malware',
				blacklistedAt: '2026-01-01T00:00:00Z',
			},
			{
				index: 1,
				url: 'https://example.org/bad',
				versions: '<2.0.0',
				severity: 'soft',
				reason: 'Malware',
				blacklistedAt: '2026-01-01T00:00:00Z',
			},
			{
				index: 2,
				urlRegex: '^https://evil\\.example/',
				severity: 'hard',
				reason: 'Malware',
				blacklistedAt: '2026-01-01T00:00:00Z',
			},
		]);
	});

	it('refuses an entry with no identifier, naming its index', () => {
		assert.throws(
			refused([blacklistEntry({ uuid: UUID_A }), blacklistEntry()]),
			(error: unknown) =>
				isVouchError(error) && error.code === 'BLACKLIST_INVALID' && error.details?.entry === 1,
		);
	});

	it('refuses an unknown severity, a bad semver range, a bad UUID or URL, a non-table', () => {
		for (const entry of [
			blacklistEntry({ uuid: UUID_A, severity: 'medium' }),
			blacklistEntry({ uuid: UUID_A, versions: 'not a range!' }),
			blacklistEntry({ uuid: 'abc' }),
			blacklistEntry({ url: 'https://host:99999/x' }),
			blacklistEntry({ url_regex: '' }),
			'uuid',
		]) {
			throwsCode(refused([entry]), 'BLACKLIST_INVALID');
		}
	});

	it('does not refuse a url_regex RE2 cannot compile (the matcher reports it, D3)', () => {
		const registry = loadJson([], [blacklistEntry({ url_regex: '(a)\\1' })]);
		assert.equal(registry.blacklist[0]?.urlRegex, '(a)\\1');
	});

	it('refuses the whole registry, so no plugin loads without its blacklist', () => {
		const text = `[[plugins]]\nid = "a"\nuuid = "${UUID_A}"\nname = "A"\ngit_url = "https://example.org/a"\n\n[[blacklist]]\nreason = "x"\n`;
		throwsCode(() => parseRegistryText(text, { label: 'x' }), 'BLACKLIST_INVALID');
	});
});
