import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lookupKind } from '../../src/registry/index.ts';
import { indexOf, pluginEntry, UUID_A, UUID_B, UUID_C, UUID_D } from './helpers.ts';

// "new-home" moved from old-home's former address and took over UUID_D; "old-home" still
// exists at a URL that "shadow" (wrongly) lists as an old one.
const index = indexOf([
	pluginEntry('old-home', UUID_A, { git_url: 'https://github.com/example/current' }),
	pluginEntry('new-home', UUID_B, {
		git_url: 'https://github.com/example/new',
		redirect_from: ['https://github.com/someone/old'],
		redirect_from_uuid: [UUID_D],
	}),
	pluginEntry('shadow', UUID_C, {
		git_url: 'https://github.com/example/shadow',
		redirect_from: ['https://github.com/example/current'],
		redirect_from_uuid: [UUID_A],
	}),
]);

describe('findPlugin', () => {
	it('finds by id, UUID and URL', () => {
		assert.equal(index.findPlugin({ id: 'new-home' })?.plugin.id, 'new-home');
		assert.deepEqual(
			[
				index.findPlugin({ uuid: UUID_B })?.plugin.id,
				index.findPlugin({ uuid: UUID_B })?.matchedBy,
			],
			['new-home', 'uuid'],
		);
		assert.equal(index.findPlugin({ url: 'https://github.com/example/new' })?.matchedBy, 'url');
	});

	it('compares UUIDs case-insensitively and URLs in canonical form', () => {
		assert.equal(index.findPlugin({ uuid: UUID_B.toUpperCase() })?.plugin.id, 'new-home');
		for (const spelling of [
			'https://GITHUB.com/example/new.git',
			'https://github.com/example/new/',
			'https://user:secret@github.com:443/example/new',
		]) {
			assert.equal(index.findPlugin({ url: spelling })?.plugin.id, 'new-home', spelling);
		}
	});

	it('finds the current entry by an old URL or an old UUID (item 49)', () => {
		const byUrl = index.findPlugin({ url: 'https://github.com/someone/old.git' });
		assert.deepEqual([byUrl?.plugin.id, byUrl?.matchedBy], ['new-home', 'redirect_url']);
		const byUuid = index.findPlugin({ uuid: UUID_D });
		assert.deepEqual([byUuid?.plugin.id, byUuid?.matchedBy], ['new-home', 'redirect_uuid']);
	});

	it('lets a current match beat any redirect match (item 49)', () => {
		// "shadow" lists old-home's current URL and UUID as redirects; old-home still wins.
		const byUrl = index.findPlugin({ url: 'https://github.com/example/current' });
		assert.deepEqual([byUrl?.plugin.id, byUrl?.matchedBy], ['old-home', 'url']);
		const byUuid = index.findPlugin({ uuid: UUID_A });
		assert.deepEqual([byUuid?.plugin.id, byUuid?.matchedBy], ['old-home', 'uuid']);
		// Also across kinds: a current URL match beats a UUID redirect match.
		const mixed = index.findPlugin({ uuid: UUID_D, url: 'https://github.com/example/shadow' });
		assert.deepEqual([mixed?.plugin.id, mixed?.matchedBy], ['shadow', 'url']);
	});

	it('finds nothing for unknown keys and unusable URLs', () => {
		assert.equal(index.findPlugin({ id: 'nope' }), undefined);
		assert.equal(index.findPlugin({ url: 'https://github.com/example/other' }), undefined);
		assert.equal(index.findPlugin({ url: 'https://host:99999/x' }), undefined);
		assert.equal(index.findPlugin({}), undefined);
	});
});

describe('lookup for info <id|url|uuid>', () => {
	it('decides by shape', () => {
		assert.equal(lookupKind(UUID_A), 'uuid');
		assert.equal(lookupKind(UUID_A.toUpperCase()), 'uuid');
		assert.equal(lookupKind('https://github.com/x/y'), 'url');
		assert.equal(lookupKind('git@github.com:x/y.git'), 'url');
		assert.equal(lookupKind('./local/plugin'), 'url');
		assert.equal(lookupKind('view-script-variables'), 'id');
	});

	it('finds by each kind, and ids in any case', () => {
		assert.equal(index.lookup(UUID_B)?.plugin.id, 'new-home');
		assert.equal(index.lookup('https://github.com/example/new')?.plugin.id, 'new-home');
		assert.equal(index.lookup(' New-Home ')?.plugin.id, 'new-home');
		assert.equal(index.lookup('https://github.com/someone/old')?.matchedBy, 'redirect_url');
		assert.equal(index.lookup(''), undefined);
	});
});
