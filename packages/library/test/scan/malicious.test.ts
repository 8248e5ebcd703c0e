/**
 * The project's malicious samples: each must raise every rule listed in its EXPECT file and at
 * least one high-severity finding. The seed's four sandbox escapes are checked line by line.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FIXTURES, scan } from './support.ts';

const SAMPLES = join(FIXTURES, 'malicious');

for (const name of readdirSync(SAMPLES).sort()) {
	test(`malicious sample ${name}: every expected rule fires, with a high-severity finding`, async () => {
		const expected = readFileSync(join(SAMPLES, name, 'EXPECT'), 'utf8')
			.split('\n')
			.map((line) => line.trim())
			.filter((line) => line !== '');
		assert.ok(expected.length > 0);
		const report = await scan(join(SAMPLES, name));
		const found = new Set(report.findings.map((finding) => finding.ruleId));
		for (const rule of expected) {
			assert.ok(
				found.has(rule as never),
				`${name}: ${rule} not found; found ${[...found].join(', ')}`,
			);
		}
		assert.ok(report.summary.high > 0, `${name}: no high-severity finding`);
	});
}

test("the seed's four sandbox escapes are each found on their line", async () => {
	const report = await scan(join(SAMPLES, 'seed-escapes'));
	const at = (file: string) =>
		new Set(report.findings.filter((f) => f.file === file && f.line === 1).map((f) => f.ruleId));
	const introspection = at('escape_introspection.py');
	assert.ok(introspection.has('introspection-escape'), 'escape via introspection');
	const viaImport = at('escape_import.py');
	assert.ok(viaImport.has('dynamic-import') && viaImport.has('process-spawn'), 'escape via import');
	assert.ok(at('escape_file.py').has('secret-path'), 'escape via file objects');
	const viaSubprocess = at('escape_subprocess.py');
	assert.ok(
		viaSubprocess.has('dynamic-import') && viaSubprocess.has('process-spawn'),
		'escape via subprocess',
	);
	// `__import__('os').system` resolves to os.system, whatever the import looks like.
	assert.ok(
		report.findings.some((f) => f.file === 'escape_import.py' && /os\.system/.test(f.message)),
	);
});
