/**
 * What a person types for a report, read strictly: both spellings of a kind, evidence as
 * `<commit>:<path>[:<line>]` or an https link, and every mistake a usage error (exit 2) with a
 * hint, never a report that says something other than what was meant.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExitCode, isVouchError } from '../../src/index.ts';
import {
	checkEvidenceCount,
	parseEvidenceArgument,
	parseEvidenceUrl,
	parseReportKind,
} from '../../src/report/arguments.ts';
import { serviceBaseUrl } from '../../src/report/service-url.ts';

const COMMIT = '0123456789abcdef0123456789abcdef01234567';

function usageError(run: () => unknown): {
	code: string;
	hint?: string;
	details?: Record<string, unknown>;
} {
	try {
		run();
	} catch (error) {
		assert.ok(isVouchError(error), String(error));
		assert.equal(error.exitCode, ExitCode.usage, error.message);
		return error as never;
	}
	assert.fail('expected a usage error');
}

describe('parseReportKind', () => {
	it('accepts the wire spelling, the hyphenated one and any case', () => {
		assert.equal(parseReportKind('data-theft'), 'data_theft');
		assert.equal(parseReportKind('data_theft'), 'data_theft');
		assert.equal(parseReportKind(' Data-Theft '), 'data_theft');
		assert.equal(parseReportKind('MALWARE'), 'malware');
		assert.equal(parseReportKind('other'), 'other');
	});

	it('refuses anything else, suggesting the closest kind', () => {
		const typo = usageError(() => parseReportKind('malwre'));
		assert.equal(typo.code, 'REPORT_INVALID');
		assert.match(typo.hint ?? '', /Did you mean "malware"/);
		assert.match(usageError(() => parseReportKind('data theft')).hint ?? '', /data-theft/);
		for (const text of ['', 'spam', 'malware,broken', '__proto__', 'toString', 'data--theft']) {
			assert.equal(usageError(() => parseReportKind(text)).code, 'REPORT_INVALID', text);
		}
	});
});

describe('parseEvidenceArgument', () => {
	it('reads a commit, a path and an optional line', () => {
		assert.deepEqual(parseEvidenceArgument(`${COMMIT}:plugin/__init__.py:42`), {
			commit: COMMIT,
			path: 'plugin/__init__.py',
			line: 42,
		});
		assert.deepEqual(parseEvidenceArgument(`${COMMIT.toUpperCase()}:README.md`), {
			commit: COMMIT,
			path: 'README.md',
		});
		// A colon inside the path stays in the path; only a final number is a line.
		assert.deepEqual(parseEvidenceArgument(`${COMMIT}:data/a:b.txt`), {
			commit: COMMIT,
			path: 'data/a:b.txt',
		});
		const sha256 = 'f'.repeat(64);
		assert.equal(parseEvidenceArgument(`${sha256}:x.py:1`).commit, sha256);
	});

	it('refuses short or missing commits, paths outside the plugin and bad lines', () => {
		const short = usageError(() => parseEvidenceArgument('0123abc:plugin.py:3'));
		assert.match(short.hint ?? '', /full commit hash/);
		for (const text of [
			'plugin.py',
			`${COMMIT}`,
			`${COMMIT}:`,
			`${COMMIT}::3`,
			`${COMMIT}:/etc/passwd`,
			`${COMMIT}:../outside.py`,
			`${COMMIT}:a/../../b.py`,
			`${COMMIT}:x.py:0`,
			`${COMMIT}:x.py:99999999999`,
			`${COMMIT}:x\u001b[31m.py`,
			`${COMMIT}:x\ny.py`,
			`${'g'.repeat(40)}:x.py`,
			`${COMMIT}0:x.py`,
			`:x.py:3`,
		]) {
			assert.equal(
				usageError(() => parseEvidenceArgument(text)).code,
				'REPORT_INVALID',
				JSON.stringify(text),
			);
		}
	});

	it('takes https links only', () => {
		assert.deepEqual(parseEvidenceUrl('https://example.org/analysis'), {
			url: 'https://example.org/analysis',
		});
		for (const text of [
			'http://example.org/x',
			'javascript:alert(1)',
			'file:///etc/passwd',
			'https://a b',
		]) {
			assert.equal(usageError(() => parseEvidenceUrl(text)).code, 'REPORT_INVALID', text);
		}
	});

	it('allows at most ten items', () => {
		const item = { url: 'https://example.org/' };
		checkEvidenceCount(Array.from({ length: 10 }, () => item));
		assert.equal(
			usageError(() => checkEvidenceCount(Array.from({ length: 11 }, () => item))).code,
			'REPORT_INVALID',
		);
	});
});

describe('serviceBaseUrl', () => {
	it('keeps the base path, ending it with a slash, and drops query and fragment', () => {
		assert.equal(
			serviceBaseUrl('https://plugins.example.org').href,
			'https://plugins.example.org/',
		);
		assert.equal(
			serviceBaseUrl('https://example.org/vouch?x=1#y').href,
			'https://example.org/vouch/',
		);
		for (const loopback of ['http://127.0.0.1:8080/', 'http://localhost:1/', 'http://[::1]:9/']) {
			assert.equal(serviceBaseUrl(loopback).protocol, 'http:');
		}
	});

	it('refuses plain http to another machine, other schemes and credentials', () => {
		for (const text of [
			'http://example.org/',
			'http://127.0.0.2/',
			'http://127.0.0.1.nip.io/',
			'http://127.0.0.1\\@evil.test/',
			'git://127.0.0.1/',
			'file:///srv/service',
			'https://token@example.org/',
			'/srv/service',
		]) {
			assert.equal(usageError(() => serviceBaseUrl(text)).code, 'REPORT_SERVICE_URL_INVALID', text);
		}
		assert.equal(usageError(() => serviceBaseUrl(undefined)).code, 'REPORT_NO_SERVICE');
	});
});
