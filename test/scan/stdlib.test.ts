/**
 * Robustness on real code: the whole Python standard library that ships with python3 (some
 * 1,800 files, including deliberately broken test inputs and Python 2 samples) is scanned
 * without a crash, a timeout or a skipped file (but one that declares an unknown encoding).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { makeTempDir } from '../helpers/temp.ts';
import { scan } from './support.ts';

/** Third-party packages installed next to the standard library are not part of it. */
const NOT_STDLIB = new Set(['site-packages', 'dist-packages', '__pycache__']);

function stdlibDir(): string | undefined {
	try {
		return execFileSync(
			'python3',
			['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"],
			{ encoding: 'utf8' },
		).trim();
	} catch {
		return undefined;
	}
}

/** Copies the stdlib's `.py` files (symlinks and packages of other sources left out). */
function copyStdlib(from: string, to: string): number {
	let count = 0;
	const pending = [from];
	while (pending.length > 0) {
		const dir = pending.pop() as string;
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			const path = join(dir, entry.name);
			if (entry.isDirectory() && !NOT_STDLIB.has(entry.name)) pending.push(path);
			if (entry.isFile() && entry.name.endsWith('.py')) {
				const target = join(to, relative(from, path));
				mkdirSync(join(target, '..'), { recursive: true });
				copyFileSync(path, target);
				count++;
			}
		}
	}
	return count;
}

const stdlib = stdlibDir();

test('the python3 standard library scans without a crash or a skipped file', {
	skip: stdlib === undefined ? 'python3 is not installed' : false,
}, async () => {
	const corpus = makeTempDir('vouch-scan-stdlib-');
	const count = copyStdlib(stdlib as string, corpus);
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
