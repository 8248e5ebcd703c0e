/**
 * The one read install makes of each fetched file (`store/tree-files`): the tree digest and the
 * static scan are handed the same bytes, whichever asks first. A file changed on disk between
 * the two must change neither: the scanner judges exactly the code that was digested (and so
 * pinned and installed), and no file is read twice.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createTreeFiles, digestTree } from '../../src/lifecycle/store/index.ts';
import { scanPlugin } from '../../src/scan/index.ts';
import type { ScanReport } from '../../src/scan/types.ts';
import { makeTempDir } from '../helpers/temp.ts';
import { writeTree } from './store/helpers.ts';

const BENIGN = 'def enable(api):\n    return api.name\n';
/** A shell command built from data: the scanner's `process-shell` rule. */
const RISKY = 'import os\n\ndef enable(api):\n    os.system("convert " + api.path)\n';

const TREE = {
	'MANIFEST.toml':
		'uuid = "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"\nname = "shared"\nversion = "1.0.0"\n',
	'__init__.py': BENIGN,
	'pkg/helper.py': 'VALUE = 1\n',
	'notes.txt': 'plain notes\n',
};

function tree(): string {
	const dir = join(makeTempDir('vouch-shared-read-'), 'plugin');
	writeTree(dir, TREE);
	return dir;
}

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');

function ruleIds(report: ScanReport): string[] {
	return report.findings.map((finding) => finding.ruleId);
}

describe('digest and scan share one read of each file', () => {
	it('a file changed after the digest read it is scanned as digested, not as it is now', async () => {
		const dir = tree();
		const files = createTreeFiles(dir);
		const digest = await digestTree(dir, undefined, files);
		writeFileSync(join(dir, '__init__.py'), RISKY);

		const shared = await scanPlugin(dir, { reader: files.scanReader() });
		assert.ok(!ruleIds(shared).includes('process-shell'), 'the scanner saw the digested bytes');
		assert.equal(digest.files['__init__.py'], `sha256:${sha256(BENIGN)}`);
		// The control: read from disk, the same scanner does see the change. Without it this
		// test could pass with a scanner that found nothing at all.
		assert.ok(ruleIds(await scanPlugin(dir)).includes('process-shell'));
		assert.equal(files.reads, Object.keys(TREE).length, 'each file was read once');
	});

	it('a file changed after the scan read it is digested as scanned', async () => {
		const dir = tree();
		const expected = await digestTree(dir);
		const files = createTreeFiles(dir);
		const report = await scanPlugin(dir, { reader: files.scanReader() });
		writeFileSync(join(dir, '__init__.py'), RISKY);

		const digest = await digestTree(dir, undefined, files);
		assert.ok(!ruleIds(report).includes('process-shell'));
		assert.deepEqual(digest, expected, 'the digest is of the bytes the scanner judged');
		assert.notDeepEqual(await digestTree(dir), expected, 'the disk did change');
		assert.equal(files.reads, Object.keys(TREE).length);
	});

	it('run side by side, the two see the same bytes and read each file once', async () => {
		const dir = tree();
		writeFileSync(join(dir, '__init__.py'), RISKY);
		const files = createTreeFiles(dir);
		const [digest, report] = await Promise.all([
			digestTree(dir, undefined, files),
			scanPlugin(dir, { reader: files.scanReader() }),
		]);
		assert.equal(digest.files['__init__.py'], `sha256:${sha256(RISKY)}`);
		assert.ok(ruleIds(report).includes('process-shell'));
		assert.equal(files.reads, Object.keys(TREE).length);
		// A file listed through a link inside the plugin is the same read as its target, and
		// a name that merely starts with dots is inside the plugin like any other.
		writeFileSync(join(dir, '..hidden.py'), RISKY);
		symlinkSync('__init__.py', join(dir, 'alias.py'));
		const again = createTreeFiles(dir);
		await digestTree(dir, undefined, again);
		const linked = await scanPlugin(dir, { reader: again.scanReader() });
		assert.equal(again.reads, Object.keys(TREE).length + 1);
		assert.deepEqual(linked.skipped, []);
		assert.ok(
			linked.findings.some((f) => f.ruleId === 'process-shell' && f.file === '..hidden.py'),
		);
	});

	it('keeps the scanner bounds: a file over the per-file bound is reported, never scanned', async () => {
		const dir = tree();
		writeFileSync(join(dir, 'generated.py'), `${RISKY}${'#'.repeat(4096)}\n`);
		const files = createTreeFiles(dir, { keepFileBytes: 1024, keepTotalBytes: 1 << 20 });
		await digestTree(dir, undefined, files);
		const report = await scanPlugin(dir, {
			reader: files.scanReader(),
			limits: { maxFileBytes: 1024 },
		});
		assert.ok(
			report.skipped.some((file) => file.file === 'generated.py' && file.reason === 'too-large'),
		);
		assert.ok(!ruleIds(report).includes('process-shell'));
	});

	it('past the memory kept for a tree, a file is listed unscanned (the gate counts it high), not read again', async () => {
		const dir = tree();
		writeFileSync(join(dir, 'z_last.py'), RISKY);
		// Room for everything but the last file in name order.
		const files = createTreeFiles(dir, { keepFileBytes: 1 << 20, keepTotalBytes: 200 });
		await digestTree(dir, undefined, files);
		const report = await scanPlugin(dir, { reader: files.scanReader() });
		const skipped = report.skipped.find((file) => file.file === 'z_last.py');
		assert.equal(skipped?.reason, 'unreadable');
		assert.ok(report.findings.some((f) => f.ruleId === 'unscanned-file' && f.file === 'z_last.py'));
		assert.ok(!ruleIds(report).includes('process-shell'));
		assert.equal(files.reads, Object.keys(TREE).length + 1);
	});
});
