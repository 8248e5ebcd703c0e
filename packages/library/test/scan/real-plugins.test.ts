/**
 * Real, honest Picard plugins (issue 9 §4, false positives): third-party code kept unchanged
 * as test data. Each must carry its SOURCE note, have a valid manifest and scan without error.
 * High findings other than undeclared or denied capabilities are printed, and there must
 * be none: honest code must not look like an attack.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
	falsePositiveHighs,
	isCapabilityFinding,
	REAL_PICARD_DIR,
	realPluginNames,
} from '../../../../bench/scan-corpora.ts';
import type { Finding } from '../../src/scan/index.ts';
import { scan } from './support.ts';

const MIN_PLUGINS = 15;
const PLUGINS = realPluginNames();

test(`the real-plugin corpus holds at least ${MIN_PLUGINS} plugins`, () => {
	assert.ok(PLUGINS.length >= MIN_PLUGINS, `only ${PLUGINS.length} plugins`);
});

test('only findings of the capabilities category count as capability findings', () => {
	const finding = (category: string) => ({ category }) as unknown as Finding;
	assert.equal(isCapabilityFinding(finding('capabilities')), true);
	assert.equal(isCapabilityFinding(finding('process')), false);
});

for (const plugin of PLUGINS) {
	test(`real Picard plugin ${plugin}: sourced, valid, and scanned`, async () => {
		const dir = join(REAL_PICARD_DIR, plugin);
		const source = readFileSync(join(dir, 'SOURCE'), 'utf8');
		assert.match(source, /^repository: https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/m);
		assert.match(source, /^file: .+ at commit [0-9a-f]{40}$/m);
		assert.match(source, /^license: .+/m);
		assert.ok(existsSync(join(dir, 'MANIFEST.toml')), 'MANIFEST.toml is kept');
		const report = await scan(dir);
		assert.equal(report.manifest.status, 'valid');
		assert.ok(report.files.scanned > 0, 'its code was scanned');
		const falseHighs = falsePositiveHighs(report);
		if (falseHighs.length > 0) {
			console.log(
				`${plugin}: ${falseHighs.length} high finding(s) beyond capabilities: ${falseHighs
					.map((f) => `${f.ruleId} ${f.file ?? ''}:${f.line ?? ''}`)
					.join(', ')}`,
			);
		}
		assert.deepEqual(falseHighs, []);
	});
}
