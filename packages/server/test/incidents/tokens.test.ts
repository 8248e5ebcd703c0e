/**
 * Reporter and appeal tokens are pasted on command lines (`vouch report status <token>`): one
 * that started with `-` would be read as an option, so none does.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newToken, TOKEN_PATTERN } from '../../src/incidents/tokens.ts';

describe('incident tokens', () => {
	it('are 43 url-safe characters that never start with a dash', () => {
		// About one random token in 64 starts with `-`: 4,000 would show one many times over.
		const tokens = Array.from({ length: 4000 }, newToken);
		for (const token of tokens) {
			assert.match(token, TOKEN_PATTERN);
			assert.equal(token.startsWith('-'), false, token);
		}
		assert.equal(new Set(tokens).size, tokens.length);
	});
});
