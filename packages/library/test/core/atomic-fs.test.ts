import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import {
	readFileBounded,
	readFileBoundedSync,
	removeStaleTempFiles,
	TEMP_SUFFIX,
	writeFileAtomic,
	writeFilesAtomic,
} from '../../src/core/atomic-fs.ts';
import { isVouchError } from '../../src/core/errors.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vouch-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

let counter = 0;
function freshDir(): string {
	const dir = path.join(root, `case-${counter++}`);
	fs.mkdirSync(dir);
	return dir;
}

async function rejectsCode(promise: Promise<unknown>, code: string): Promise<void> {
	await assert.rejects(promise, (error: unknown) => isVouchError(error) && error.code === code);
}

function throwsCode(fn: () => unknown, code: string): void {
	assert.throws(fn, (error: unknown) => isVouchError(error) && error.code === code);
}

describe('writeFileAtomic', () => {
	it('creates and replaces a file, leaving no temp file', async () => {
		const dir = freshDir();
		const target = path.join(dir, 'state.json');
		await writeFileAtomic(target, 'one');
		await writeFileAtomic(target, new TextEncoder().encode('two'));
		assert.equal(fs.readFileSync(target, 'utf8'), 'two');
		assert.deepEqual(fs.readdirSync(dir), ['state.json']);
	});

	it('applies the requested mode', async () => {
		const dir = freshDir();
		const target = path.join(dir, 'secret');
		await writeFileAtomic(target, 'x', { mode: 0o600 });
		assert.equal(fs.statSync(target).mode & 0o077, 0);
	});

	it('keeps the old content when the process dies before the rename', async () => {
		const dir = freshDir();
		const target = path.join(dir, 'cache.toml');
		fs.writeFileSync(target, 'old content');
		let tempSeen = '';
		await rejectsCode(
			writeFileAtomic(target, 'new content', {
				fs: {
					rename: async (from) => {
						// The temp file is complete and in the same directory at this point.
						tempSeen = fs.readFileSync(from, 'utf8');
						assert.equal(path.dirname(from), dir);
						throw Object.assign(new Error('simulated crash'), { code: 'EIO' });
					},
				},
			}),
			'IO_ERROR',
		);
		assert.equal(tempSeen, 'new content');
		assert.equal(fs.readFileSync(target, 'utf8'), 'old content');
		assert.deepEqual(fs.readdirSync(dir), ['cache.toml']);
	});

	it('fails cleanly when the rename really fails (the target is a directory)', async () => {
		const dir = freshDir();
		const target = path.join(dir, 'taken');
		fs.mkdirSync(target);
		fs.writeFileSync(path.join(target, 'inside'), 'kept');
		await rejectsCode(writeFileAtomic(target, 'data'), 'IO_ERROR');
		assert.equal(fs.readFileSync(path.join(target, 'inside'), 'utf8'), 'kept');
		assert.deepEqual(fs.readdirSync(dir), ['taken']);
	});

	it('reports a missing directory as IO_ERROR', async () => {
		await rejectsCode(writeFileAtomic(path.join(root, 'no-such-dir', 'f'), 'x'), 'IO_ERROR');
	});
});

describe('writeFilesAtomic', () => {
	const leftovers = (dir: string) =>
		fs.readdirSync(dir).filter((name) => name.endsWith(TEMP_SUFFIX));

	it('replaces every file, in order, leaving no temp file', async () => {
		const dir = freshDir();
		const [a, b] = [path.join(dir, 'state.json.bak'), path.join(dir, 'state.json')];
		fs.writeFileSync(b, 'old');
		const renamed: string[] = [];
		await writeFilesAtomic(
			[
				{ target: a, data: 'old' },
				{ target: b, data: 'new' },
			],
			{
				fs: {
					rename: async (from, to) => {
						renamed.push(path.basename(to));
						fs.renameSync(from, to);
					},
				},
			},
		);
		assert.equal(fs.readFileSync(a, 'utf8'), 'old');
		assert.equal(fs.readFileSync(b, 'utf8'), 'new');
		assert.deepEqual(renamed, ['state.json.bak', 'state.json']);
		assert.deepEqual(leftovers(dir), []);
	});

	it('a rename that fails leaves the later files old and no temp file behind', async () => {
		const dir = freshDir();
		const [a, b] = [path.join(dir, 'a'), path.join(dir, 'b')];
		fs.writeFileSync(a, 'a-old');
		fs.writeFileSync(b, 'b-old');
		await rejectsCode(
			writeFilesAtomic(
				[
					{ target: a, data: 'a-new' },
					{ target: b, data: 'b-new' },
				],
				{
					fs: {
						rename: async (from, to) => {
							if (to === b) throw Object.assign(new Error('disk gone'), { code: 'EIO' });
							fs.renameSync(from, to);
						},
					},
				},
			),
			'IO_ERROR',
		);
		assert.equal(fs.readFileSync(a, 'utf8'), 'a-new');
		assert.equal(fs.readFileSync(b, 'utf8'), 'b-old');
		assert.deepEqual(leftovers(dir), []);
	});

	it('a write that fails changes nothing', async () => {
		const dir = freshDir();
		const a = path.join(dir, 'a');
		fs.writeFileSync(a, 'a-old');
		await rejectsCode(
			writeFilesAtomic([
				{ target: a, data: 'a-new' },
				{ target: path.join(dir, 'missing', 'b'), data: 'b-new' },
			]),
			'IO_ERROR',
		);
		assert.equal(fs.readFileSync(a, 'utf8'), 'a-old');
		assert.deepEqual(leftovers(dir), []);
	});
});

describe('readFileBounded', () => {
	const dir = freshDir();
	const small = path.join(dir, 'small');
	fs.writeFileSync(small, 'hello');

	it('reads a file up to the limit, async and sync', async () => {
		assert.equal((await readFileBounded(small, 5)).toString('utf8'), 'hello');
		assert.equal(readFileBoundedSync(small, 5).toString('utf8'), 'hello');
		assert.equal((await readFileBounded(small, 1_000_000)).length, 5);
	});

	it('refuses a file one byte over the limit', async () => {
		await rejectsCode(readFileBounded(small, 4), 'FILE_TOO_LARGE');
		throwsCode(() => readFileBoundedSync(small, 4), 'FILE_TOO_LARGE');
	});

	it('reads an empty file', async () => {
		const empty = path.join(dir, 'empty');
		fs.writeFileSync(empty, '');
		assert.equal((await readFileBounded(empty, 0)).length, 0);
	});

	it('reads only up to the limit of a file larger than memory would like', async () => {
		const sparse = path.join(dir, 'sparse');
		fs.writeFileSync(sparse, '');
		fs.truncateSync(sparse, 8 * 1024 * 1024 * 1024);
		await rejectsCode(readFileBounded(sparse, 1024), 'FILE_TOO_LARGE');
		throwsCode(() => readFileBoundedSync(sparse, 1024), 'FILE_TOO_LARGE');
		fs.rmSync(sparse);
	});

	it('reads spanning several chunks', async () => {
		const big = path.join(dir, 'big');
		fs.writeFileSync(big, Buffer.alloc(200_000, 0x61));
		assert.equal((await readFileBounded(big, 200_000)).length, 200_000);
		assert.equal(readFileBoundedSync(big, 200_000).length, 200_000);
		await rejectsCode(readFileBounded(big, 199_999), 'FILE_TOO_LARGE');
	});

	it('reports a missing file as FILE_NOT_FOUND', async () => {
		await rejectsCode(readFileBounded(path.join(dir, 'missing'), 10), 'FILE_NOT_FOUND');
		throwsCode(() => readFileBoundedSync(path.join(small, 'below-a-file'), 10), 'FILE_NOT_FOUND');
	});

	it('refuses directories and FIFOs without hanging', async () => {
		await rejectsCode(readFileBounded(dir, 10), 'IO_ERROR');
		throwsCode(() => readFileBoundedSync(dir, 10), 'IO_ERROR');
		const fifo = path.join(dir, 'fifo');
		execFileSync('mkfifo', [fifo]);
		await rejectsCode(readFileBounded(fifo, 10), 'IO_ERROR');
		throwsCode(() => readFileBoundedSync(fifo, 10), 'IO_ERROR');
	});

	it('refuses a nonsensical limit', async () => {
		await rejectsCode(readFileBounded(small, -1), 'USAGE');
		throwsCode(() => readFileBoundedSync(small, 1.5), 'USAGE');
	});
});

describe('removeStaleTempFiles', () => {
	it('removes old temp files only, and never follows symlinks', async () => {
		const dir = freshDir();
		const old = path.join(dir, `.state.json.abc${TEMP_SUFFIX}`);
		const fresh = path.join(dir, `.state.json.def${TEMP_SUFFIX}`);
		const other = path.join(dir, 'state.json');
		const outside = path.join(root, 'outside-target');
		const link = path.join(dir, `.link.ghi${TEMP_SUFFIX}`);
		for (const file of [old, fresh, other, outside]) fs.writeFileSync(file, 'x');
		fs.symlinkSync(outside, link);
		// One clock for the test: every file time it depends on is set from it, none left to
		// the kernel's stamp (the real date).
		const now = new Date('2030-06-01T12:00:00Z');
		const twoHoursAgo = new Date(now.getTime() - 2 * 60 * 60 * 1000);
		const minuteAgo = new Date(now.getTime() - 60 * 1000);
		fs.utimesSync(old, twoHoursAgo, twoHoursAgo);
		fs.utimesSync(fresh, minuteAgo, minuteAgo);
		fs.lutimesSync(link, twoHoursAgo, twoHoursAgo);
		const removed = await removeStaleTempFiles(dir, {
			minAgeMs: 60 * 60 * 1000,
			now: () => now.getTime(),
		});
		assert.equal(removed, 1);
		assert.deepEqual(
			fs.readdirSync(dir).sort(),
			[path.basename(link), path.basename(fresh), 'state.json'].sort(),
		);
		assert.ok(fs.existsSync(outside));
	});

	it('returns 0 for a missing directory', async () => {
		assert.equal(await removeStaleTempFiles(path.join(root, 'nothing-here')), 0);
	});
});
