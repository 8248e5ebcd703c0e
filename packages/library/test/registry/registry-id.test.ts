import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isVouchError } from '../../src/core/errors.ts';
import { deriveRegistryId, isValidRegistryId } from '../../src/registry/registry-id.ts';

describe('deriveRegistryId (spec §1, item 65)', () => {
	it('strips the first matching prefix, case-insensitively', () => {
		assert.equal(
			deriveRegistryId('https://github.com/x/picard-plugin-view-script-variables'),
			'view-script-variables',
		);
		assert.equal(
			deriveRegistryId('https://github.com/x/Picard-Plugin-ReplayGain2.git'),
			'replaygain2',
		);
		assert.equal(deriveRegistryId('https://github.com/x/picard-lastfm'), 'lastfm');
		assert.equal(deriveRegistryId('https://github.com/x/plugin-foo'), 'foo');
		// Only one prefix is stripped.
		assert.equal(deriveRegistryId('https://github.com/x/picard-plugin-plugin-foo'), 'plugin-foo');
		// A prefix in the middle is kept.
		assert.equal(deriveRegistryId('https://github.com/x/my-picard-plugin'), 'my-picard-plugin');
	});

	it('drops trailing slashes and .git, query and fragment', () => {
		assert.equal(deriveRegistryId('https://github.com/x/picard-plugin-abc.git/'), 'abc');
		assert.equal(deriveRegistryId('https://github.com/x/abc//'), 'abc');
		assert.equal(deriveRegistryId('https://example.org/repo/abc?ref=main#plugins/x'), 'abc');
		assert.equal(deriveRegistryId('git@github.com:owner/picard-plugin-scp.git'), 'scp');
		assert.equal(deriveRegistryId('git@host:bare'), 'bare');
	});

	it('lowercases and maps every other character to single hyphens', () => {
		assert.equal(deriveRegistryId('https://github.com/x/My_Great..Plugin'), 'my-great-plugin');
		assert.equal(deriveRegistryId('https://github.com/x/__weird__name__'), 'weird-name');
		assert.equal(deriveRegistryId('https://github.com/x/Künstler Info'), 'k-nstler-info');
		assert.equal(deriveRegistryId('https://github.com/x/a---b'), 'a-b');
	});

	it('fails when nothing is left', () => {
		for (const url of [
			'https://github.com/x/picard-plugin-',
			'https://github.com/x/___',
			'https://github.com/x/.git',
		]) {
			assert.throws(
				() => deriveRegistryId(url),
				(error: unknown) => isVouchError(error) && error.code === 'INVALID_REGISTRY_ID',
				url,
			);
		}
	});

	it('always yields a valid registry id or fails', () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 40 }), (name) => {
				let id: string;
				try {
					id = deriveRegistryId(`https://github.com/owner/${name}`);
				} catch (error) {
					assert.ok(isVouchError(error) && error.code === 'INVALID_REGISTRY_ID');
					return;
				}
				assert.ok(isValidRegistryId(id), JSON.stringify(id));
			}),
			{ numRuns: 500 },
		);
	});
});
