import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { parseWith } from '../../src/http/validate.ts';

function refusal(run: () => unknown): { message: string; field: unknown } {
	try {
		run();
	} catch (error) {
		const e = error as { code?: string; message: string; details?: { field?: unknown } };
		assert.equal(e.code, 'BAD_REQUEST');
		return { message: e.message, field: e.details?.field };
	}
	assert.fail('not refused');
}

describe('request validation', () => {
	it('names unknown and invalid keys bounded and without controls', () => {
		const strict = z.object({ reason: z.string() }).strict();
		const long = `x${'A'.repeat(50_000)}`;
		const unknown = refusal(() =>
			parseWith(strict, { reason: 'r', [long]: 1, 'a\nb\u202e\u001b[2J': 2 }, 'body'),
		);
		assert.ok(unknown.message.length < 600, `${unknown.message.length} characters`);
		for (const bad of ['\n', '\u202e', '\u001b']) assert.ok(!unknown.message.includes(bad));
		assert.match(unknown.message, /unknown: /);

		const nested = z.object({ i18n: z.record(z.string(), z.number()) });
		const invalid = refusal(() => parseWith(nested, { i18n: { [`k\n${long}`]: 'x' } }, 'body'));
		assert.equal(typeof invalid.field, 'string');
		assert.ok(String(invalid.field).length <= 100);
		assert.doesNotMatch(String(invalid.field), /\n/);
		assert.ok(invalid.message.length < 600);
	});
});
