/**
 * `digestTree` and `compareTrees` (D19b): every change to a plugin's files is noticed, `.git`
 * is skipped only at the root, symlinks are recorded and never followed, special files and
 * oversized trees are refused without hanging.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
	compareTrees,
	DEFAULT_DIGEST_LIMITS,
	digestTree,
	type TreeDigest,
} from '../../../src/lifecycle/store/index.ts';
import { makeTempDir } from '../../helpers/temp.ts';
import { rejectsWithCode, writeTree } from './helpers.ts';

const BASE = {
	'MANIFEST.toml': 'name = "x"\n',
	'__init__.py': 'def init(): pass\n',
	'lib/util.py': 'X = 1\n',
	'lib/deep/data.json': '{}',
	'empty.txt': '',
};

function baseTree(): string {
	const dir = join(makeTempDir('vouch-digest-'), 'plugin');
	writeTree(dir, BASE);
	return dir;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** Digests `dir` before and after `change`, and checks that the change shows as expected. */
async function assertNoticed(
	change: (dir: string) => void,
	expected: { changed?: string[]; added?: string[]; removed?: string[] },
): Promise<{ before: TreeDigest; after: TreeDigest }> {
	const dir = baseTree();
	const before = await digestTree(dir);
	change(dir);
	const after = await digestTree(dir);
	assert.notEqual(after.treeDigest, before.treeDigest);
	assert.deepEqual(compareTrees(before.files, after.files), {
		changed: expected.changed ?? [],
		added: expected.added ?? [],
		removed: expected.removed ?? [],
	});
	return { before, after };
}

describe('digestTree', () => {
	it('records every file by relative path with its sha256', async () => {
		const digest = await digestTree(baseTree());
		assert.deepEqual(Object.keys(digest.files).sort(), Object.keys(BASE).sort());
		for (const [path, content] of Object.entries(BASE)) {
			assert.equal(digest.files[path], `sha256:${sha256(content)}`);
		}
		assert.match(digest.treeDigest, /^sha256:[0-9a-f]{64}$/);
	});

	it('gives the same tree the same digest, wherever it lies and however it was written', async () => {
		const first = baseTree();
		const copy = join(makeTempDir('vouch-digest-'), 'elsewhere');
		// Written in the reverse order: directory listing order must not matter.
		writeTree(copy, Object.fromEntries(Object.entries(BASE).reverse()));
		const a = await digestTree(first);
		assert.deepEqual(await digestTree(copy), a);
		assert.deepEqual(await digestTree(first), a);
	});

	it('notices a changed file, even by one byte', async () => {
		await assertNoticed((dir) => writeFileSync(join(dir, 'lib/util.py'), 'X = 2\n'), {
			changed: ['lib/util.py'],
		});
	});

	it('notices an added file, also an empty one and one deep down', async () => {
		await assertNoticed(
			(dir) => {
				writeFileSync(join(dir, 'extra.py'), '');
				writeTree(dir, { 'lib/deep/deeper/hook.py': 'import os' });
			},
			{ added: ['extra.py', 'lib/deep/deeper/hook.py'] },
		);
	});

	it('notices a removed file', async () => {
		await assertNoticed((dir) => unlinkSync(join(dir, 'empty.txt')), { removed: ['empty.txt'] });
	});

	it('notices a renamed file and two files that swapped contents', async () => {
		await assertNoticed((dir) => renameSync(join(dir, '__init__.py'), join(dir, 'main.py')), {
			added: ['main.py'],
			removed: ['__init__.py'],
		});
		await assertNoticed(
			(dir) => {
				writeFileSync(join(dir, 'lib/util.py'), '{}');
				writeFileSync(join(dir, 'lib/deep/data.json'), 'X = 1\n');
			},
			{ changed: ['lib/deep/data.json', 'lib/util.py'] },
		);
	});

	it('binds each digest to its path: a lone file renamed changes the tree digest', async () => {
		const dir = join(makeTempDir('vouch-digest-'), 'lone');
		writeTree(dir, { 'a.py': 'same' });
		const before = await digestTree(dir);
		renameSync(join(dir, 'a.py'), join(dir, 'b.py'));
		const after = await digestTree(dir);
		assert.equal(after.files['b.py'], before.files['a.py']);
		assert.notEqual(after.treeDigest, before.treeDigest);
	});

	it('notices a file replaced by a symlink to identical content', async () => {
		const outside = join(makeTempDir('vouch-digest-'), 'util.py');
		writeFileSync(outside, BASE['lib/util.py']);
		const { after } = await assertNoticed(
			(dir) => {
				unlinkSync(join(dir, 'lib/util.py'));
				symlinkSync(outside, join(dir, 'lib/util.py'));
			},
			{ changed: ['lib/util.py'] },
		);
		assert.equal(after.files['lib/util.py'], `symlink:${sha256(outside)}`);
	});

	it('records a symlink by its target, never following it', async () => {
		const outside = makeTempDir('vouch-digest-outside-');
		writeTree(outside, { 'secret.txt': 'one' });
		const dir = baseTree();
		symlinkSync(outside, join(dir, 'linked-dir'));
		symlinkSync(join(dir, 'missing'), join(dir, 'dangling'));
		const before = await digestTree(dir);
		assert.equal(before.files['linked-dir'], `symlink:${sha256(outside)}`);
		assert.ok(before.files.dangling?.startsWith('symlink:'));
		assert.equal(before.files['linked-dir/secret.txt'], undefined);
		// What the link points at is not the plugin's content...
		writeFileSync(join(outside, 'secret.txt'), 'two');
		assert.deepEqual(await digestTree(dir), before);
		// ...but where it points is.
		unlinkSync(join(dir, 'linked-dir'));
		symlinkSync(`${outside}/`, join(dir, 'linked-dir'));
		const after = await digestTree(dir);
		assert.deepEqual(compareTrees(before.files, after.files).changed, ['linked-dir']);
	});

	it('skips .git at the root only', async () => {
		const dir = baseTree();
		writeTree(dir, { '.git/HEAD': 'ref: refs/heads/main\n', '.git/objects/ab/cd': 'blob' });
		const withGit = await digestTree(dir);
		assert.deepEqual(Object.keys(withGit.files).sort(), Object.keys(BASE).sort());
		writeFileSync(join(dir, '.git/HEAD'), 'ref: refs/heads/other\n');
		assert.deepEqual(await digestTree(dir), withGit);
		// A worktree's `.git` file is git's too.
		rmSync(join(dir, '.git'), { recursive: true });
		writeFileSync(join(dir, '.git'), 'gitdir: /elsewhere\n');
		assert.deepEqual(await digestTree(dir), withGit);
		// Anywhere below the root, `.git` is plugin content like any other.
		writeTree(dir, {
			'vendor/.git/config': '[core]',
			'lib/.git': 'x',
			'.github/ci.yml': 'on: push',
		});
		const nested = await digestTree(dir);
		assert.deepEqual(compareTrees(withGit.files, nested.files).added, [
			'.github/ci.yml',
			'lib/.git',
			'vendor/.git/config',
		]);
	});

	it('streams a large file to the same digest as hashing it whole', async () => {
		const dir = baseTree();
		const big = Buffer.alloc(3 * 1024 * 1024 + 17);
		for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
		writeFileSync(join(dir, 'model.bin'), big);
		const digest = await digestTree(dir);
		assert.equal(digest.files['model.bin'], `sha256:${sha256(big)}`);
		big[big.length - 1] = (big[big.length - 1] ?? 0) ^ 1;
		writeFileSync(join(dir, 'model.bin'), big);
		assert.equal((await digestTree(dir)).files['model.bin'], `sha256:${sha256(big)}`);
	});

	it('refuses a FIFO with SPECIAL_FILE instead of blocking on it', async () => {
		for (const where of ['pipe', 'lib/deep/pipe']) {
			const dir = baseTree();
			execFileSync('mkfifo', [join(dir, where)]);
			// Nobody ever writes to the FIFO: opening it for reading would wait forever.
			await rejectsWithCode(digestTree(dir), 'SPECIAL_FILE');
		}
	});

	it('ignores a FIFO inside the root .git, which it never reads', async () => {
		const dir = baseTree();
		writeTree(dir, { '.git/HEAD': 'x' });
		execFileSync('mkfifo', [join(dir, '.git', 'pipe')]);
		assert.equal(Object.keys((await digestTree(dir)).files).length, Object.keys(BASE).length);
	});

	it('refuses a socket with SPECIAL_FILE', async () => {
		const dir = baseTree();
		const server = createServer();
		await new Promise<void>((done) => server.listen(join(dir, 'sock'), done));
		try {
			await rejectsWithCode(digestTree(dir), 'SPECIAL_FILE');
		} finally {
			await new Promise((done) => server.close(done));
		}
	});

	it('refuses more files than the limit with TREE_TOO_LARGE, and accepts exactly the limit', async () => {
		const dir = baseTree();
		// Five files and two directories are seven entries.
		const entries = 7;
		const digest = await digestTree(dir, { maxFiles: entries, maxBytes: 1_000_000 });
		assert.equal(Object.keys(digest.files).length, 5);
		await rejectsWithCode(
			digestTree(dir, { maxFiles: entries - 1, maxBytes: 1_000_000 }),
			'TREE_TOO_LARGE',
		);
	});

	it('refuses more bytes than the limit with TREE_TOO_LARGE, and accepts exactly the limit', async () => {
		const dir = baseTree();
		const total = Object.values(BASE).reduce((sum, text) => sum + Buffer.byteLength(text), 0);
		await digestTree(dir, { maxFiles: 100, maxBytes: total });
		await rejectsWithCode(
			digestTree(dir, { maxFiles: 100, maxBytes: total - 1 }),
			'TREE_TOO_LARGE',
		);
	});

	it('counts files below every directory against the limit', async () => {
		const dir = join(makeTempDir('vouch-digest-'), 'many');
		const files: Record<string, string> = {};
		for (let i = 0; i < 60; i++) files[`d${i % 6}/f${i}.txt`] = String(i);
		writeTree(dir, files);
		await rejectsWithCode(digestTree(dir, { maxFiles: 50, maxBytes: 1_000_000 }), 'TREE_TOO_LARGE');
		assert.equal(Object.keys((await digestTree(dir)).files).length, 60);
		assert.ok(DEFAULT_DIGEST_LIMITS.maxFiles >= 10_000);
	});

	it('refuses a missing root rather than calling it empty', async () => {
		await assert.rejects(digestTree(join(makeTempDir('vouch-digest-'), 'absent')));
	});

	it('treats an empty directory as no content, like git', async () => {
		const dir = baseTree();
		const before = await digestTree(dir);
		writeTree(join(dir, 'empty-dir'), {});
		assert.deepEqual(await digestTree(dir), before);
	});
});

describe('compareTrees', () => {
	it('lists changed, added and removed paths, sorted', () => {
		const recorded = { a: 'sha256:1', b: 'sha256:2', c: 'sha256:3', z: 'sha256:9' };
		const current = { z: 'sha256:0', a: 'sha256:1', d: 'sha256:4', b: 'symlink:2' };
		assert.deepEqual(compareTrees(recorded, current), {
			changed: ['b', 'z'],
			added: ['d'],
			removed: ['c'],
		});
		assert.deepEqual(compareTrees(recorded, recorded), { changed: [], added: [], removed: [] });
	});
});
