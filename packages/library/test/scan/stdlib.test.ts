/**
 * Robustness on real code: the whole Python standard library that ships with python3 (some
 * 1,800 files, including deliberately broken test inputs and Python 2 samples) is scanned
 * without a crash, a timeout or a skipped file (but one that declares an unknown encoding).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCorpus, stdlibDir } from '../../../../bench/scan.ts';
import { makeTempDir } from '../helpers/temp.ts';
import { scan } from './support.ts';

/** The standard library's folder, or undefined where python3 is missing (the test is skipped). */
function stdlibIfPresent(): string | undefined {
	try {
		return stdlibDir();
	} catch {
		return undefined;
	}
}

const stdlib = stdlibIfPresent();

test('the python3 standard library scans without a crash or a skipped file', {
	skip: stdlib === undefined ? 'python3 is not installed' : false,
}, async () => {
	const corpus = makeTempDir('vouch-scan-stdlib-');
	// The same corpus the benchmark measures: the stdlib's own .py files, copied.
	const count = buildCorpus(stdlib as string, corpus).files;
	assert.ok(count > 500, `only ${count} files found in ${stdlib}`);
	const report = await scan(corpus, {
		limits: { maxFiles: 50_000, maxTotalBytes: 1024 * 1024 * 1024 },
	});
	// The tokenizer's own test data declares an encoding that does not exist (`uft-8`); Python
	// refuses to run it, and the scanner reports it rather than guess. Nothing else is skipped.
	const skipped = report.skipped.filter((file) => file.file !== 'test/tokenizedata/bad_coding.py');
	assert.deepEqual(skipped, []);
	assert.equal(report.files.scanned, count - (report.skipped.length - skipped.length));
	assert.ok(report.files.lines > 100_000);
	// The scan saw real things: subprocess.py starts processes, urllib opens connections.
	assert.ok(
		report.findings.some((f) => f.file === 'subprocess.py' && f.ruleId === 'process-spawn'),
	);
	assert.ok(report.findings.some((f) => f.file?.startsWith('urllib/') && f.ruleId === 'network'));
	assert.ok(report.findings.every((f) => f.line === undefined || f.line >= 1));
});
