import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TRUST_ORDER } from '../../src/registry/model.ts';
import { resolveTrust } from '../../src/registry/trust.ts';
import { TRUST_DISPLAY, trustBadge, trustWarning } from '../../src/registry/trust-display.ts';
import { indexOf, pluginEntry, UUID_A, UUID_B, UUID_C, UUID_D } from './helpers.ts';

const OFFICIAL_URL = 'https://github.com/metabrainz/picard-plugin-official';
const index = indexOf([
	pluginEntry('official-one', UUID_A, {
		git_url: OFFICIAL_URL,
		trust_level: 'official',
		redirect_from: ['https://github.com/someone/picard-plugin-official'],
		redirect_from_uuid: [UUID_D],
	}),
	pluginEntry('community-one', UUID_B, { git_url: 'https://github.com/x/community' }),
	pluginEntry('no-level', UUID_C, {
		git_url: 'https://github.com/x/no-level',
		trust_level: undefined,
	}),
]);

describe('resolveTrust (D6)', () => {
	it('gives the entry level to its exact current URL, in any spelling (item 36)', () => {
		for (const url of [
			OFFICIAL_URL,
			`${OFFICIAL_URL}.git`,
			'https://GitHub.com/metabrainz/picard-plugin-official/',
		]) {
			const result = resolveTrust(index, { url });
			assert.equal(result.level, 'official', url);
			assert.equal(result.plugin?.id, 'official-one');
		}
		// github.com paths are case-insensitive (D2): the same repository.
		assert.equal(
			resolveTrust(index, { url: 'https://github.com/METABRAINZ/picard-plugin-official' }).level,
			'official',
		);
		// A percent-encoded host is the same host to git and curl.
		assert.equal(
			resolveTrust(index, { url: 'https://%67ithub.com/metabrainz/picard-plugin-official' }).level,
			'official',
		);
		assert.equal(
			resolveTrust(index, { url: 'https://github.com/x/community', uuid: UUID_B }).level,
			'community',
		);
	});

	it('requires the UUID to match once it is known', () => {
		assert.equal(
			resolveTrust(index, { url: OFFICIAL_URL, uuid: UUID_A.toUpperCase() }).level,
			'official',
		);
		const mismatch = resolveTrust(index, { url: OFFICIAL_URL, uuid: UUID_B });
		assert.equal(mismatch.level, 'unregistered');
		assert.equal(mismatch.plugin, undefined);
		assert.equal(mismatch.uuidMismatch?.plugin.id, 'official-one');
	});

	it('gives unregistered to unknown URLs and when no registry is available (item 36)', () => {
		assert.deepEqual(resolveTrust(index, { url: 'https://github.com/x/unknown' }), {
			level: 'unregistered',
		});
		assert.deepEqual(resolveTrust(undefined, { url: OFFICIAL_URL, uuid: UUID_A }), {
			level: 'unregistered',
		});
		assert.equal(resolveTrust(index, { url: 'not a url::' }).level, 'unregistered');
	});

	it('flags a same-UUID fork as unregistered and a possible impersonation (item 37)', () => {
		const fork = resolveTrust(index, {
			url: 'https://github.com/mallory/picard-plugin-official',
			uuid: UUID_A,
		});
		assert.equal(fork.level, 'unregistered');
		assert.equal(fork.plugin, undefined);
		assert.equal(fork.impersonation?.plugin.id, 'official-one');
		assert.match(fork.impersonation?.reason ?? '', /official-one/);
		// A fork that copied an old UUID is flagged too.
		const oldUuidFork = resolveTrust(index, { url: 'https://github.com/mallory/x', uuid: UUID_D });
		assert.equal(oldUuidFork.level, 'unregistered');
		assert.equal(oldUuidFork.impersonation?.plugin.id, 'official-one');
	});

	it('never follows an old redirect_from URL, but says where the plugin lives now', () => {
		const old = resolveTrust(index, {
			url: 'https://github.com/someone/picard-plugin-official',
			uuid: UUID_A,
		});
		assert.equal(old.level, 'unregistered');
		assert.equal(old.redirectedFrom?.plugin.gitUrl, OFFICIAL_URL);
		// A stale install of the same plugin is not an impersonation.
		assert.equal(old.impersonation, undefined);
	});

	it('treats a missing trust_level as community, never higher (item 43)', () => {
		const result = resolveTrust(index, { url: 'https://github.com/x/no-level', uuid: UUID_C });
		assert.equal(result.level, 'community');
	});

	it('sanitises the impersonation reason', () => {
		const evil = indexOf([
			pluginEntry('ok\u001b[2J\u001b]0;x\u0007', UUID_A, { git_url: OFFICIAL_URL }),
		]);
		const fork = resolveTrust(evil, { url: 'https://github.com/mallory/x', uuid: UUID_A });
		assert.ok(fork.impersonation);
		assert.match(fork.impersonation.reason, /"ok"/);
		assert.ok(!fork.impersonation.reason.includes('\u001b'));
	});
});

describe('trust display', () => {
	it('has a badge, label and description for every level', () => {
		assert.deepEqual(
			TRUST_ORDER.map((level) => trustBadge(level)),
			['🛡️', '✓', '⚠️', '🔓'],
		);
		for (const level of TRUST_ORDER) {
			assert.equal(TRUST_DISPLAY[level].label, level);
			assert.ok(TRUST_DISPLAY[level].description.length > 0);
			assert.ok(!TRUST_DISPLAY[level].description.includes('\n'));
		}
	});

	it('warns for every level but official, with defaults per D12', () => {
		assert.equal(trustWarning('official'), undefined);
		for (const level of ['trusted', 'community', 'unregistered'] as const)
			assert.ok(trustWarning(level));
		assert.deepEqual(
			TRUST_ORDER.map((level) => TRUST_DISPLAY[level].promptDefault),
			['none', 'yes', 'no', 'no'],
		);
	});
});
