/**
 * Every rule against its own fixtures: each `expect:` line of a positive fixture must produce
 * the rule there, the rule must not fire on unmarked lines, and never on the negative fixtures.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { RULES } from '../../src/scan/index.ts';
import { FIXTURES, markers, scan } from './support.ts';

const RULE_FIXTURES = join(FIXTURES, 'rules');

const PYTHON = /\.py$/;
const JS = /\.(?:js|mjs|cjs|ts|tsx)$/;

function files(dir: string): string[] {
	return existsSync(dir) ? readdirSync(dir) : [];
}

test('every syntax rule has positive and negative fixtures in each language it applies to', () => {
	for (const rule of RULES) {
		for (const scope of rule.scopes) {
			if (scope !== 'python' && scope !== 'js') continue;
			const pattern = scope === 'python' ? PYTHON : JS;
			for (const side of ['positive', 'negative']) {
				const dir = join(RULE_FIXTURES, rule.id, side);
				assert.ok(
					files(dir).some((name) => pattern.test(name)),
					`${rule.id}: no ${scope} fixture in ${side}/`,
				);
			}
		}
	}
});

for (const rule of RULES) {
	if (!rule.scopes.includes('python') && !rule.scopes.includes('js')) continue;
	test(`${rule.id}: found on every marked line of the positive fixtures, and only there`, async () => {
		const dir = join(RULE_FIXTURES, rule.id, 'positive');
		const expected = markers(dir).filter((marker) => marker.rules.includes(rule.id));
		assert.ok(expected.length > 0, `${rule.id}: the positive fixtures mark no line`);
		const report = await scan(dir);
		const hits = report.findings.filter((finding) => finding.ruleId === rule.id);
		for (const marker of expected) {
			assert.ok(
				hits.some((hit) => hit.file === marker.file && hit.line === marker.line),
				`${rule.id}: nothing at ${marker.file}:${marker.line}; found at ${hits.map((h) => `${h.file}:${h.line}`).join(', ') || 'no line'}`,
			);
		}
		for (const hit of hits) {
			assert.ok(
				expected.some((marker) => marker.file === hit.file && marker.line === hit.line),
				`${rule.id}: unexpected finding at ${hit.file}:${hit.line} (${hit.message})`,
			);
		}
	});
	test(`${rule.id}: silent on the negative fixtures`, async () => {
		const report = await scan(join(RULE_FIXTURES, rule.id, 'negative'));
		const hits = report.findings.filter((finding) => finding.ruleId === rule.id);
		assert.deepEqual(
			hits.map((hit) => `${hit.file}:${hit.line} ${hit.message}`),
			[],
		);
	});
}
