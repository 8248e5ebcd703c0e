/**
 * A registry with a misspelt blacklist table must not read as "no blacklist" (D1), and every
 * other unknown key is named in a load warning.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVouchError } from '../../src/core/errors.ts';
import { parseRegistryText } from '../../src/registry/parse.ts';
import { looksLikeBlacklist } from '../../src/registry/unknown-keys.ts';
import { UUID_A } from './helpers.ts';

const ENTRY = `uuid = "${UUID_A}"\nreason = "Malware"\nblacklisted_at = 2026-01-01T00:00:00Z\n`;

function parse(text: string) {
	return parseRegistryText(text, { label: 'test registry', format: 'toml' });
}

describe('unknown registry keys', () => {
	it('refuses a misspelt blacklist table rather than reading no blacklist', () => {
		for (const table of [
			'blacklists',
			'black_list',
			'Blacklist',
			'blaklist',
			'blocklist',
			'denylist',
		]) {
			for (const text of [
				`api_version = "3.0"\n[[${table}]]\n${ENTRY}`,
				// Beside a real (here empty) blacklist, its entries would still be dropped.
				`api_version = "3.0"\nblacklist = []\n[[${table}]]\n${ENTRY}`,
			]) {
				assert.throws(
					() => parse(text),
					(error: unknown) =>
						isVouchError(error) &&
						error.code === 'BLACKLIST_INVALID' &&
						error.message.includes(`"${table}"`),
					table,
				);
			}
		}
	});

	it('warns about every other unknown key, naming it sanitised', () => {
		const registry = parse(
			`api_version = "3.0"\n"mirror\\u001b[2J" = "x"\n[[blacklist]]\n${ENTRY}severty = "soft"\n`,
		);
		const messages = registry.warnings
			.filter((warning) => warning.code === 'UNKNOWN_FIELD')
			.map((warning) => warning.message);
		assert.equal(messages.length, 2, messages.join('\n'));
		assert.match(messages[0] ?? '', /top-level key "mirror"/);
		assert.match(messages[1] ?? '', /"severty" in blacklist entries/);
		assert.equal(messages.join('').includes('\u001b'), false);
		// The entry still blocks, with the stricter default severity.
		assert.equal(registry.blacklist[0]?.severity, 'hard');
	});

	it('tells blacklist-like names from others', () => {
		for (const key of ['blacklists', 'black-list', 'backlist', 'BlockList', 'banned']) {
			assert.equal(looksLikeBlacklist(key), true, key);
		}
		for (const key of ['plugins_extra', 'mirror', 'meta', 'signature', 'x'.repeat(500)]) {
			assert.equal(looksLikeBlacklist(key), false, key);
		}
	});
});
