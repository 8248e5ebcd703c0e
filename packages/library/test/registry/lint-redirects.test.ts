import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type LintCode, type LintReport, lintRegistry } from '../../src/registry/lint.ts';
import { loadJson, pluginEntry, UUID_A, UUID_B, UUID_D, UUID_E } from './helpers.ts';

function errorCodes(report: LintReport): LintCode[] {
	return report.errors.map((issue) => issue.code);
}

function lint(plugins: unknown[]): LintReport {
	return lintRegistry(loadJson(plugins));
}

const A = 'https://github.com/example/a';
const B = 'https://github.com/example/b';

describe('redirect integrity (D9, item 51)', () => {
	it('rejects a cycle', () => {
		const report = lint([
			pluginEntry('a', UUID_A, { git_url: A, redirect_from: [B] }),
			pluginEntry('b', UUID_B, { git_url: B, redirect_from: [`${A}.git`] }),
		]);
		assert.ok(errorCodes(report).includes('REDIRECT_CYCLE'));
		const cycle = report.errors.find((e) => e.code === 'REDIRECT_CYCLE');
		assert.match(cycle?.message ?? '', /"a" → "b" → "a"|"b" → "a" → "b"/);
	});

	it('rejects a cycle through UUIDs', () => {
		const report = lint([
			pluginEntry('a', UUID_A, { redirect_from_uuid: [UUID_B] }),
			pluginEntry('b', UUID_B, { redirect_from_uuid: [UUID_A] }),
		]);
		assert.ok(errorCodes(report).includes('REDIRECT_CYCLE'));
	});

	it('rejects a URL or UUID redirected by two plugins, in canonical form', () => {
		const report = lint([
			pluginEntry('a', UUID_A, {
				redirect_from: ['https://github.com/old/x'],
				redirect_from_uuid: [UUID_E],
			}),
			pluginEntry('b', UUID_B, {
				redirect_from: ['https://GITHUB.com/old/x.git/'],
				redirect_from_uuid: [UUID_E.toUpperCase()],
			}),
		]);
		assert.deepEqual(errorCodes(report), ['REDIRECT_CONFLICT', 'REDIRECT_CONFLICT']);
	});

	it("rejects a redirect equal to another plugin's current URL or UUID", () => {
		const byUrl = lint([
			pluginEntry('a', UUID_A, { git_url: A }),
			pluginEntry('b', UUID_B, { git_url: B, redirect_from: [A] }),
		]);
		assert.deepEqual(errorCodes(byUrl), ['REDIRECT_SHADOWS_CURRENT']);
		const byUuid = lint([
			pluginEntry('a', UUID_A),
			pluginEntry('b', UUID_B, { redirect_from_uuid: [UUID_A] }),
		]);
		assert.deepEqual(errorCodes(byUuid), ['REDIRECT_SHADOWS_CURRENT']);
	});

	it('rejects a plugin redirecting from its own current URL or UUID', () => {
		const report = lint([
			pluginEntry('a', UUID_A, {
				git_url: A,
				redirect_from: [`${A}/`],
				redirect_from_uuid: [UUID_A],
			}),
		]);
		assert.deepEqual(errorCodes(report), ['REDIRECT_TO_SELF', 'REDIRECT_TO_SELF']);
	});

	it('accepts distinct old URLs and UUIDs', () => {
		const report = lint([
			pluginEntry('a', UUID_A, {
				redirect_from: ['https://github.com/old/a'],
				redirect_from_uuid: [UUID_D],
			}),
			pluginEntry('b', UUID_B, {
				redirect_from: ['https://github.com/old/b'],
				redirect_from_uuid: [UUID_E],
			}),
		]);
		assert.deepEqual(report.errors, []);
	});
});
