/** The log entry record: canonical JSON in, the same record out, and nothing else accepted. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeLogEntry, encodeLogEntry, type LogEntry } from '../../src/log/log-entry.ts';
import { assertLogError } from './helpers.ts';

const ENTRY: LogEntry = {
	sequence: 12,
	time: '2026-03-04T05:06:07Z',
	actor: 'a'.repeat(64),
	action: 'blacklist_add',
	subject: 'https://github.com/example/bad-plugin',
	reason: 'Uploads the user’s files',
	report: 'https://plugins.example.org/reports/41',
	registry_before: '0'.repeat(64),
	registry_after: 'f'.repeat(64),
	targets_version: 7,
};

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytes = (s: string) => new TextEncoder().encode(s);

describe('log entry records', () => {
	it('encode as canonical JSON and decode back', () => {
		const encoded = encodeLogEntry(ENTRY);
		assert.equal(
			text(encoded),
			`{"action":"blacklist_add","actor":"${'a'.repeat(64)}","reason":"Uploads the user’s files","registry_after":"${'f'.repeat(64)}","registry_before":"${'0'.repeat(64)}","report":"https://plugins.example.org/reports/41","sequence":12,"subject":"https://github.com/example/bad-plugin","targets_version":7,"time":"2026-03-04T05:06:07Z"}`,
		);
		assert.deepEqual(decodeLogEntry(encoded), ENTRY);
		const { report: _report, ...withoutReport } = ENTRY;
		assert.deepEqual(decodeLogEntry(encodeLogEntry(withoutReport)), withoutReport);
	});

	it('refuse any non-canonical spelling of a valid record', () => {
		const canonical = text(encodeLogEntry(ENTRY));
		const parsed = JSON.parse(canonical);
		for (const bad of [
			JSON.stringify(parsed, null, 1),
			` ${canonical}`,
			`${canonical}\n`,
			JSON.stringify({ time: ENTRY.time, ...parsed }),
			canonical.replace('"sequence":12', '"sequence":12.0'),
			canonical.replace('"sequence":12', '"sequence":1.2e1'),
			canonical.replace('Uploads', '\\u0055ploads'),
			canonical.replace('"sequence":12', '"sequence":12,"sequence":12'),
		]) {
			assertLogError(() => decodeLogEntry(bytes(bad)), 'LOG_BAD_ENTRY');
		}
	});

	it('refuse records outside the schema', () => {
		const cases: Record<string, unknown>[] = [
			{ ...ENTRY, extra: 1 },
			{ ...ENTRY, sequence: -1 },
			{ ...ENTRY, sequence: 1.5 },
			{ ...ENTRY, time: '2026-03-04T05:06:07.123Z' },
			{ ...ENTRY, time: '2026-03-04T05:06:07+00:00' },
			{ ...ENTRY, time: '2026-02-30T05:06:07Z' },
			{ ...ENTRY, time: '2026-03-04 05:06:07Z' },
			{ ...ENTRY, actor: 'A'.repeat(64) },
			{ ...ENTRY, actor: 'a'.repeat(63) },
			{ ...ENTRY, action: 'delete_everything' },
			{ ...ENTRY, subject: '' },
			{ ...ENTRY, reason: 'line\u001b[31mred' },
			{ ...ENTRY, reason: 'x'.repeat(2001) },
			{ ...ENTRY, report: 'http://plugins.example.org/r/1' },
			{ ...ENTRY, report: 'https://a b' },
			{ ...ENTRY, registry_after: 'g'.repeat(64) },
			{ ...ENTRY, targets_version: 0 },
		];
		for (const bad of cases) {
			assertLogError(() => encodeLogEntry(bad as LogEntry), 'LOG_BAD_ENTRY');
			assertLogError(() => decodeLogEntry(bytes(JSON.stringify(bad))), 'LOG_BAD_ENTRY');
		}
		const { reason: _reason, ...noReason } = ENTRY;
		assertLogError(() => encodeLogEntry(noReason as LogEntry), 'LOG_BAD_ENTRY');
	});

	it('refuse oversized, non-UTF-8 and non-JSON input', () => {
		assertLogError(() => decodeLogEntry(new Uint8Array(9 * 1024).fill(0x20)), 'LOG_BAD_ENTRY');
		assertLogError(() => decodeLogEntry(new Uint8Array([0x7b, 0xff, 0x7d])), 'LOG_BAD_ENTRY');
		assertLogError(() => decodeLogEntry(bytes('[1,2]')), 'LOG_BAD_ENTRY');
		assertLogError(() => decodeLogEntry(bytes('null')), 'LOG_BAD_ENTRY');
		assertLogError(() => decodeLogEntry(bytes('{"sequence":')), 'LOG_BAD_ENTRY');
	});
});
