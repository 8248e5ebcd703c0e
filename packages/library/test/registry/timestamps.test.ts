import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatIsoUtcTimestamp, isIsoUtcTimestamp } from '../../src/registry/timestamps.ts';

describe('ISO 8601 UTC timestamps', () => {
	it('accepts the form the registry tool writes, with optional fractions', () => {
		assert.equal(isIsoUtcTimestamp('2025-12-01T11:16:37Z'), true);
		assert.equal(isIsoUtcTimestamp('2024-02-29T23:59:59.123Z'), true);
	});

	it('rejects other zones, dates alone and impossible dates', () => {
		for (const text of [
			'2025-12-01',
			'2025-12-01T11:16:37',
			'2025-12-01T11:16:37+00:00',
			'2023-02-29T00:00:00Z',
			'2025-12-01T24:00:00Z',
			' 2025-12-01T11:16:37Z',
		]) {
			assert.equal(isIsoUtcTimestamp(text), false, text);
		}
	});

	it('formats new timestamps in the same form', () => {
		const text = formatIsoUtcTimestamp(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)));
		assert.equal(text, '2026-01-02T03:04:05Z');
		assert.equal(isIsoUtcTimestamp(text), true);
	});
});
