/**
 * Bounded input: a huge file, deep nesting, the per-file time limit, file count, total bytes,
 * symlinks and FIFOs. Whatever a bound keeps out is listed as skipped and raised as an
 * `unscanned-file` finding; nothing hangs, and plugin code is never run.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { MAX_FINDINGS_PER_RULE } from '../../src/scan/engine/file-context.ts';
import { DEFAULT_SCAN_LIMITS } from '../../src/scan/index.ts';
import { SMALL_STACK_MB } from '../helpers/small-stack-worker.ts';
import { makeTempDir } from '../helpers/temp.ts';
import { scanInSmallStack } from './small-stack.ts';
import { scan } from './support.ts';

function plugin(files: Record<string, string>): string {
	const dir = makeTempDir('vouch-scan-bounds-');
	for (const [name, text] of Object.entries(files)) {
		mkdirSync(join(dir, name, '..'), { recursive: true });
		writeFileSync(join(dir, name), text);
	}
	return dir;
}

function skippedOf(report: Awaited<ReturnType<typeof scan>>, file: string) {
	return report.skipped.find((entry) => entry.file === file);
}

test('a file over the size bound is skipped, listed and raised, and the rest still scanned', async () => {
	const huge = `x = 1\n${'# padding line for a file far beyond any real plugin module\n'.repeat(40_000)}`;
	assert.ok(huge.length > DEFAULT_SCAN_LIMITS.maxFileBytes);
	const dir = plugin({ 'huge.py': huge, 'small.py': 'import os\nos.system(cmd)\n' });
	const report = await scan(dir);
	assert.equal(skippedOf(report, 'huge.py')?.reason, 'too-large');
	assert.ok(report.findings.some((f) => f.ruleId === 'unscanned-file' && f.file === 'huge.py'));
	assert.ok(report.findings.some((f) => f.ruleId === 'process-shell' && f.file === 'small.py'));
	assert.equal(report.files.scanned, 1);
});

test('a deeply nested expression is skipped by the nesting bound, in Python and JS', async () => {
	const depth = 50_000;
	const dir = plugin({
		'deep.py': `x = ${'('.repeat(depth)}1${')'.repeat(depth)}\n`,
		'deep.js': `const x = ${'['.repeat(depth)}${']'.repeat(depth)};\n`,
		'ok.py': 'x = ((1))\n',
	});
	const report = await scan(dir);
	assert.equal(skippedOf(report, 'deep.py')?.reason, 'too-deep');
	assert.equal(skippedOf(report, 'deep.js')?.reason, 'too-deep');
	assert.equal(report.files.scanned, 1);
});

// A recursive walker would need stack in proportion to the tree's depth. Rather than a chain
// deep enough to overflow a normal stack (30,000 terms, and query matching grows with the square
// of such a chain), a shorter one is scanned on a stack small enough that a recursive walk of the
// very same tree overflows it: the second check shows the first could fail.
test('a very long operator chain (a deep tree without brackets) is scanned without recursion', async () => {
	const chain = Array.from({ length: 5000 }, (_, i) => `v${i % 7}`).join(' + ');
	const dir = plugin({ 'chain.py': `import os\nx = ${chain}\nos.system(x)\n` });
	const result = await scanInSmallStack(dir, 'chain.py');
	assert.equal(result.recursiveWalkOverflowed, true, `${SMALL_STACK_MB} MiB is too large a stack`);
	// Fully scanned, not partly: nothing skipped, and a finding after the chain.
	assert.deepEqual(result.skipped, []);
	assert.equal(result.scanned, 1);
	assert.ok(result.findings.includes('process-shell:3'), result.findings.join());
});

test('the per-file time bound abandons a file and says so', async () => {
	const dir = plugin({ 'slow.py': 'import os\nos.system(cmd)\n'.repeat(2000) });
	// A clock that jumps a second at every reading: every deadline has passed at once.
	let now = 0;
	const report = await scan(dir, { limits: { fileTimeoutMs: 50 }, clock: () => (now += 1000) });
	assert.equal(skippedOf(report, 'slow.py')?.reason, 'timeout');
	assert.ok(report.findings.some((f) => f.ruleId === 'unscanned-file' && f.file === 'slow.py'));
	// The parser recovers: the next scan, whose clock never reaches a bound, works.
	const again = await scan(dir);
	assert.equal(again.skipped.length, 0);
	assert.ok(again.findings.some((f) => f.ruleId === 'process-shell'));
});

test('the whole-scan time bound skips the files not reached, and lists them', async () => {
	const dir = plugin({
		'a.py': 'import os\nos.system(cmd)\n',
		'b.py': 'x = 1\n',
		'c.py': 'y = 2\n',
	});
	// A clock that jumps a second at every reading, against a bound of two and a half seconds.
	let now = 0;
	const report = await scan(dir, { limits: { maxScanMs: 2500 }, clock: () => (now += 1000) });
	const timedOut = report.skipped.filter((entry) => entry.reason === 'timeout').map((e) => e.file);
	assert.ok(timedOut.length >= 1, 'some files were never reached');
	assert.ok(timedOut.every((file) => /^(MANIFEST\.toml|[abc]\.py)$/.test(file)));
	for (const file of timedOut) {
		assert.ok(report.findings.some((f) => f.ruleId === 'unscanned-file' && f.file === file));
	}
	assert.equal(report.files.scanned + timedOut.filter((f) => f.endsWith('.py')).length, 3);
});

test('the file-count and total-bytes bounds stop the walk and the reading', async () => {
	const files: Record<string, string> = {};
	for (let i = 0; i < 6; i++) files[`m${i}.py`] = `x${i} = ${i}\n`;
	const counted = await scan(plugin(files), { limits: { maxFiles: 4 } });
	assert.equal(counted.files.scanned, 4);
	assert.ok(counted.skipped.some((entry) => entry.reason === 'file-limit'));
	const bytes = await scan(plugin(files), { limits: { maxTotalBytes: 20 } });
	assert.ok(bytes.files.scanned < 6);
	assert.ok(bytes.skipped.some((entry) => entry.reason === 'total-bytes'));
});

test('symlinks leading out of the plugin are not followed, and FIFOs are not opened', async () => {
	const dir = plugin({ 'a.py': 'x = 1\n' });
	symlinkSync('/etc', join(dir, 'etc-link'));
	symlinkSync('/etc/passwd', join(dir, 'passwd.py'));
	execFileSync('mkfifo', [join(dir, 'pipe.py')]);
	const report = await scan(dir);
	assert.equal(skippedOf(report, 'etc-link')?.reason, 'symlink');
	assert.equal(skippedOf(report, 'passwd.py')?.reason, 'symlink');
	assert.equal(skippedOf(report, 'pipe.py')?.reason, 'special-file');
	assert.equal(report.files.scanned, 1);
});

test('directories deeper than the bound are listed, not walked', async () => {
	const dir = plugin({ 'a/b/c/d/e.py': 'import os\nos.system(x)\n' });
	const report = await scan(dir, { limits: { maxDirectoryDepth: 2 } });
	assert.equal(skippedOf(report, 'a/b/c/')?.reason, 'directory-depth');
	assert.equal(report.files.scanned, 0);
});

test('scanning never runs plugin code, at import time or otherwise', async () => {
	const marker = join(makeTempDir('vouch-scan-marker-'), 'ran');
	const dir = plugin({
		'__init__.py': `open(${JSON.stringify(marker)}, "w").write("ran")\n`,
		'index.js': `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n`,
		'setup.py': `open(${JSON.stringify(marker)}, "w").write("ran")\n`,
	});
	const report = await scan(dir);
	assert.equal(existsSync(marker), false);
	assert.ok(report.findings.some((f) => f.ruleId === 'import-time-write'));
});

test('a limit that is not a positive number is refused', async () => {
	await assert.rejects(scan(plugin({}), { limits: { maxFiles: 0 } }), {
		code: 'SCAN_INVALID_OPTION',
	});
});

test('a missing directory and a file are refused with their own codes', async () => {
	const dir = plugin({ 'a.py': '' });
	await assert.rejects(scan(join(dir, 'missing')), { code: 'SCAN_TARGET_NOT_FOUND' });
	await assert.rejects(scan(join(dir, 'a.py')), { code: 'SCAN_TARGET_NOT_A_DIRECTORY' });
});

// `scan` runs on a clock that never advances: the count below is exact only if the scan ran to
// the end, which must not depend on how busy the machine is.
test('a file with a finding on every line gives a bounded list, and nothing is lost from view', async () => {
	// Just past the bound is enough: what is beyond it is counted, however many.
	const extra = 7;
	const lines = 'os.system(x)\n'.repeat(MAX_FINDINGS_PER_RULE + extra);
	const helper = `import ctypes\n${'ctypes.CDLL(x)\n'.repeat(80)}ctypes.pythonapi.mprotect(a, b, 7)\n`;
	const dir = plugin({ 'many.py': `import os\n${lines}`, 'ffi.py': helper });
	const report = await scan(dir);
	const shells = report.findings.filter(
		(f) => f.file === 'many.py' && f.ruleId === 'process-shell',
	);
	assert.equal(shells.length, MAX_FINDINGS_PER_RULE + 1);
	const more = shells.find((f) => /more/.test(f.message));
	assert.match(more?.message ?? '', new RegExp(`^${extra} more`));
	// The summary keeps the worst severity of what it stands for.
	const ffi = report.findings.filter((f) => f.file === 'ffi.py' && f.ruleId === 'native-ffi');
	assert.equal(ffi.length, MAX_FINDINGS_PER_RULE + 1);
	assert.ok(
		ffi.some((f) => f.severity === 'high'),
		ffi.map((f) => f.severity).join(),
	);
});

test('directories count towards the file bound: empty ones cannot make the walk endless', async () => {
	const dir = plugin({ 'a.py': 'x = 1\n' });
	for (let i = 0; i < 20; i++) mkdirSync(join(dir, `empty-${String(i).padStart(2, '0')}`));
	const report = await scan(dir, { limits: { maxFiles: 10 } });
	assert.ok(report.skipped.some((entry) => entry.reason === 'file-limit'));
	assert.equal(report.files.scanned, 1);
});
