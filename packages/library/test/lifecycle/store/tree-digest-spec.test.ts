/**
 * The tree digest as docs/tree-digest.md defines it: the Python script printed there must
 * agree with `digestTree` on trees that exercise every rule (modes, symlinks, `.git`, byte
 * order of non-ASCII paths, empty directories).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { digestTree, treeDigestOf } from '../../../src/lifecycle/store/digest.ts';
import { makeTempDir } from '../../helpers/temp.ts';

const DOC = readFileSync(new URL('../../../../../docs/tree-digest.md', import.meta.url), 'utf8');
const SCRIPT = /```python\n([\s\S]*?)```/.exec(DOC)?.[1] ?? '';

function pythonDigest(dir: string): string {
	const script = join(makeTempDir('vouch-tree-py-'), 'tree_digest.py');
	writeFileSync(script, SCRIPT);
	return execFileSync('python3', [script, dir], { encoding: 'utf8' }).trim();
}

function sampleTree(): string {
	const dir = makeTempDir('vouch-tree-spec-');
	writeFileSync(join(dir, 'MANIFEST.toml'), 'name = "x"\n');
	writeFileSync(join(dir, '__init__.py'), 'print(1)\n');
	mkdirSync(join(dir, 'lib', 'deep'), { recursive: true });
	writeFileSync(join(dir, 'lib', 'deep', 'a.py'), 'a = 1\n');
	writeFileSync(join(dir, 'lib', 'run.sh'), '#!/bin/sh\n');
	chmodSync(join(dir, 'lib', 'run.sh'), 0o755);
	// U+FF21 sorts after U+1F600 in UTF-16 code units but before it in UTF-8 bytes.
	writeFileSync(join(dir, '\u{ff21}.txt'), 'fullwidth\n');
	writeFileSync(join(dir, '\u{1f600}.txt'), 'emoji\n');
	symlinkSync('lib/deep/a.py', join(dir, 'link.py'));
	mkdirSync(join(dir, 'empty'));
	mkdirSync(join(dir, '.git'));
	writeFileSync(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
	writeFileSync(join(dir, 'lib', '.git'), 'a nested .git file is content\n');
	return dir;
}

describe('vouch-tree-v1', () => {
	it('the documentation has the reference script', () => {
		assert.match(SCRIPT, /def tree_digest/);
	});

	it('agrees with the reference script from the documentation', async () => {
		const dir = sampleTree();
		assert.equal((await digestTree(dir)).treeDigest, pythonDigest(dir));
	});

	it('changes with the execute bit, and ignores .git and empty directories', async () => {
		const dir = sampleTree();
		const before = (await digestTree(dir)).treeDigest;
		writeFileSync(join(dir, '.git', 'HEAD'), 'ref: refs/heads/other\n');
		mkdirSync(join(dir, 'another-empty'));
		assert.equal((await digestTree(dir)).treeDigest, before);
		chmodSync(join(dir, '__init__.py'), 0o755);
		const after = await digestTree(dir);
		assert.notEqual(after.treeDigest, before);
		assert.match(after.files['__init__.py'] ?? '', /^sha256\+x:/);
		assert.equal(after.treeDigest, pythonDigest(dir));
	});

	it('gives the SHA-256 of nothing for an empty tree', () => {
		assert.equal(
			treeDigestOf({}),
			'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
		);
	});

	it('sorts by UTF-8 bytes', () => {
		const hex = '0'.repeat(64);
		const a = treeDigestOf({ '\u{ff21}': `sha256:${hex}`, '\u{1f600}': `sha256:${hex}` });
		const b = treeDigestOf({ '\u{1f600}': `sha256:${hex}`, '\u{ff21}': `sha256:${hex}` });
		assert.equal(a, b, 'insertion order does not matter');
	});
});
