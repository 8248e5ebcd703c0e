/**
 * Robustness on real code: the Python standard library that ships with python3 (some 1,800
 * files, including deliberately broken test inputs and Python 2 samples) is scanned without a
 * crash, a timeout or a skipped file (but one that declares an unknown encoding).
 *
 * By default a fixed sample of it is scanned (see `inSample`); `VOUCH_FULL_CORPUS=1` scans
 * every file, as the benchmark does.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
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
const FULL = process.env.VOUCH_FULL_CORPUS === '1';

/**
 * The files whose parsing is the hard part, all kept in the sample: Python 2 samples and odd
 * encodings, BOMs and line ends (lib2to3's test data), the tokenizer's broken inputs, the
 * `badsyntax_*` and `bad_*` modules that Python itself refuses, and the modules behind the
 * findings asserted below. These are every stdlib file that `compile()` rejects.
 */
const HARD = [
	/^lib2to3\/tests\/data\//,
	/(^|\/)tokenizedata\//,
	/(^|\/)(bad|py2)[^/]*\.py$/,
	/^subprocess\.py$/,
	/^urllib\//,
];

/**
 * The sample: the hard files, and one in six of the rest, picked by a hash of the path, so the
 * same files are picked on every run and on any machine with the same Python. The rest is
 * ordinary, valid Python; what the test proves about it (no crash, no skip, line numbers in
 * range) does not depend on which ordinary files are read, only on reading a good many of every
 * kind (the pick spreads over every package and over the tests), and a sixth of the library is
 * still well over 100,000 lines.
 */
function inSample(path: string): boolean {
	if (FULL || HARD.some((pattern) => pattern.test(path))) return true;
	return createHash('sha256').update(path).digest().readUInt8(0) % 6 === 0;
}

test('the python3 standard library scans without a crash or a skipped file', {
	skip: stdlib === undefined ? 'python3 is not installed' : false,
}, async () => {
	const corpus = makeTempDir('vouch-scan-stdlib-');
	// The same corpus the benchmark measures (the stdlib's own .py files, copied), or its sample.
	let found = 0;
	const count = buildCorpus(stdlib as string, corpus, (path) => {
		found++;
		return inSample(path);
	}).files;
	assert.ok(found > 500, `only ${found} files found in ${stdlib}`);
	assert.ok(FULL ? count === found : count > 200, `${count} of ${found} files in the sample`);
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
