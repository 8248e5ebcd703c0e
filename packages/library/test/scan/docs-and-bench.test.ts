/**
 * docs/scanning.md lists every rule with the severity and confidence the code gives it, and
 * the scan benchmark's parts run (at toy size here; figures are ignored, as elsewhere).
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildCorpus, measureRecall } from '../../../../bench/scan.ts';
import { RULES } from '../../src/scan/index.ts';
import { makeTempDir } from '../helpers/temp.ts';

const DOC = readFileSync(new URL('../../../../docs/scanning.md', import.meta.url), 'utf8');

test('docs/scanning.md has a row for every rule, with its severity and confidence', () => {
	for (const rule of RULES) {
		const row = DOC.split('\n').find((line) => line.startsWith(`| \`${rule.id}\` |`));
		assert.ok(row !== undefined, `${rule.id} is not in the rules table`);
		const cells = row.split('|').map((cell) => cell.trim());
		assert.equal(cells[2], rule.severity, `${rule.id} severity`);
		assert.equal(cells[3], rule.confidence, `${rule.id} confidence`);
	}
});

test('the benchmark measures full recall on the malicious samples', async () => {
	const recall = await measureRecall(false);
	assert.ok(recall.expected > 0);
	assert.equal(recall.found, recall.expected, recall.missed.join('; '));
	assert.equal(recall.samplesWithHigh, recall.samples);
});

test('the benchmark corpus holds only the standard library’s own .py files', () => {
	const from = makeTempDir('vouch-scan-corpus-src-');
	for (const dir of ['json', 'site-packages/thirdparty', 'json/__pycache__']) {
		mkdirSync(join(from, dir), { recursive: true });
	}
	writeFileSync(join(from, 'os.py'), 'x = 1\n');
	writeFileSync(join(from, 'json/decoder.py'), 'y = 2\n');
	writeFileSync(join(from, 'json/README'), 'not code\n');
	writeFileSync(join(from, 'site-packages/thirdparty/mod.py'), 'z = 3\n');
	writeFileSync(join(from, 'json/__pycache__/decoder.cpython-311.pyc'), 'bytes');
	const to = makeTempDir('vouch-scan-corpus-');
	assert.deepEqual(buildCorpus(from, to), { files: 2, bytes: 12 });
});
