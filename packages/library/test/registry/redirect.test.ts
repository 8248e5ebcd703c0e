import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVouchError } from '../../src/core/errors.ts';
import {
	assertUuidChangeAllowed,
	checkUuidChange,
	resolveRedirect,
} from '../../src/registry/redirect.ts';
import { indexOf, pluginEntry, UUID_A, UUID_B, UUID_C, UUID_D, UUID_E } from './helpers.ts';

const CURRENT = 'https://github.com/example/current';
const OLD = 'https://github.com/someone/old';

// The "malware fork" response: the real plugin minted UUID_B and declared UUID_A its old one.
const index = indexOf([
	pluginEntry('moved', UUID_B, {
		git_url: CURRENT,
		redirect_from: [OLD],
		redirect_from_uuid: [UUID_A],
	}),
	pluginEntry('other', UUID_C, { git_url: 'https://github.com/example/other' }),
]);

describe('resolveRedirect', () => {
	it('follows an old URL to the current entry (same UUID)', () => {
		const result = resolveRedirect(index, { url: `${OLD}.git`, uuid: UUID_B });
		assert.equal(result?.plugin.id, 'moved');
		assert.equal(result?.urlChanged, true);
		assert.equal(result?.uuidChanged, false);
	});

	it('follows an old UUID when the URL is one the entry knows', () => {
		for (const url of [CURRENT, OLD]) {
			const result = resolveRedirect(index, { url, uuid: UUID_A.toUpperCase() });
			assert.equal(result?.plugin.id, 'moved', url);
			assert.equal(result?.uuidChanged, true);
			assert.equal(result?.urlChanged, url === OLD);
		}
	});

	it('never migrates a fork that copied the old UUID (D8)', () => {
		assert.equal(
			resolveRedirect(index, { url: 'https://github.com/mallory/fork', uuid: UUID_A }),
			undefined,
		);
		// Nor one that copied the current UUID.
		assert.equal(
			resolveRedirect(index, { url: 'https://github.com/mallory/fork', uuid: UUID_B }),
			undefined,
		);
	});

	it('does not redirect a known URL serving a UUID the entry never had', () => {
		assert.equal(resolveRedirect(index, { url: OLD, uuid: UUID_D }), undefined);
	});

	it('reports no redirect when URL and UUID already are the current ones (item 52)', () => {
		assert.equal(resolveRedirect(index, { url: CURRENT, uuid: UUID_B }), undefined);
		assert.equal(
			resolveRedirect(index, { url: `${CURRENT}.git/`, uuid: UUID_B.toUpperCase() }),
			undefined,
		);
		assert.equal(resolveRedirect(index, { url: CURRENT }), undefined);
	});

	it('refuses a second hop (D9)', () => {
		const chained = indexOf([
			pluginEntry('first', UUID_B, { git_url: CURRENT, redirect_from: [OLD] }),
			pluginEntry('second', UUID_E, {
				git_url: 'https://github.com/example/newest',
				redirect_from: [CURRENT],
			}),
		]);
		assert.throws(
			() => resolveRedirect(chained, { url: OLD, uuid: UUID_B }),
			(error: unknown) => isVouchError(error) && error.code === 'REDIRECT_CHAIN',
		);
	});
});

describe('checkUuidChange (D7)', () => {
	it('allows an unchanged UUID in any case', () => {
		assert.deepEqual(
			checkUuidChange(undefined, {
				installedUuid: UUID_B,
				newUuid: UUID_B.toUpperCase(),
				sourceUrl: 'x',
			}),
			{ allowed: true },
		);
	});

	it('allows a declared move from a source URL the entry knows', () => {
		for (const sourceUrl of [CURRENT, `${OLD}.git`]) {
			const verdict = checkUuidChange(index, { installedUuid: UUID_A, newUuid: UUID_B, sourceUrl });
			assert.equal(verdict.allowed, true, sourceUrl);
			assert.equal(verdict.plugin?.id, 'moved');
		}
	});

	it('rejects an undeclared move, a move from an unknown source, and any move without a registry', () => {
		const undeclared = checkUuidChange(index, {
			installedUuid: UUID_C,
			newUuid: UUID_B,
			sourceUrl: CURRENT,
		});
		assert.deepEqual(
			[undeclared.allowed, !undeclared.allowed && undeclared.reason],
			[false, 'undeclared'],
		);
		const unknownSource = checkUuidChange(index, {
			installedUuid: UUID_A,
			newUuid: UUID_B,
			sourceUrl: 'https://github.com/mallory/fork',
		});
		assert.deepEqual(
			[unknownSource.allowed, !unknownSource.allowed && unknownSource.reason],
			[false, 'unknown-source'],
		);
		const noRegistry = checkUuidChange(undefined, {
			installedUuid: UUID_A,
			newUuid: UUID_B,
			sourceUrl: CURRENT,
		});
		assert.deepEqual(
			[noRegistry.allowed, !noRegistry.allowed && noRegistry.reason],
			[false, 'no-registry'],
		);
		// The reverse move (new to old) is not declared either.
		assert.equal(
			checkUuidChange(index, { installedUuid: UUID_B, newUuid: UUID_A, sourceUrl: CURRENT })
				.allowed,
			false,
		);
	});

	it('throws UUID_CHANGE_REJECTED with the blocked exit code', () => {
		assert.throws(
			() =>
				assertUuidChangeAllowed(index, {
					installedUuid: UUID_C,
					newUuid: UUID_B,
					sourceUrl: CURRENT,
				}),
			(error: unknown) =>
				isVouchError(error) && error.code === 'UUID_CHANGE_REJECTED' && error.exitCode === 3,
		);
		assert.doesNotThrow(() =>
			assertUuidChangeAllowed(index, {
				installedUuid: UUID_A,
				newUuid: UUID_B,
				sourceUrl: CURRENT,
			}),
		);
	});
});
