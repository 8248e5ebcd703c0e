/**
 * Searching blobs and reading trees of a bare repository, as `registry hunt` does: the pattern
 * is never an option, binary files never hit, long output falls back to naming the blobs, a
 * pattern git cannot compile is an error and not "no hit", and an export turns symlinks into
 * plain files so nothing outside the export is ever reached through it.
 */
import assert from 'node:assert/strict';
import { lstatSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { isVouchError } from '../../src/core/errors.ts';
import { createGit } from '../../src/git/git.ts';
import { parseGrepOutput } from '../../src/git/grep.ts';
import { createRepo, runTestGit, type TestRepo, testGitEnv } from '../helpers/git-repos.ts';
import { makeTempDir } from '../helpers/temp.ts';

describe('git grep and tree operations on a bare repository', () => {
	const git = createGit({ env: testGitEnv() });
	let repo: TestRepo;
	let bare: string;
	let commit: string;
	before(() => {
		repo = createRepo({
			files: {
				'a.txt': 'first\n-e --output=/tmp/owned\nneedle here\n',
				'bin.dat': 'x\0needle\0',
				[`long/${'x'.repeat(20)}.js`]: `${'needle '.repeat(1_400_000)}\n`,
			},
		});
		symlinkSync('/etc/passwd', join(repo.dir, 'link'));
		commit = repo.commit({}, 'add a symlink');
		bare = join(makeTempDir('vouch-grep-'), 'cache.git');
		runTestGit(repo.dir, ['clone', '-q', '--bare', '--no-local', repo.dir, bare]);
	});

	const blobs = async () => {
		const entries = await git.listTree({ dir: bare, bare: true, commit, maxEntries: 100 });
		return new Map(entries.map((entry) => [entry.path, entry]));
	};

	it('lists every file with its blob and size, and refuses a tree past its bound', async () => {
		const entries = await blobs();
		assert.deepEqual([...entries.keys()].sort(), [
			'a.txt',
			'bin.dat',
			'link',
			`long/${'x'.repeat(20)}.js`,
		]);
		assert.equal(entries.get('link')?.mode, '120000');
		assert.equal(entries.get('a.txt')?.size, 41);
		await assert.rejects(
			git.listTree({ dir: bare, bare: true, commit, maxEntries: 2 }),
			(error) => isVouchError(error) && error.code === 'GIT_OUTPUT_TOO_LARGE',
		);
	});

	it('takes a pattern that looks like an option as a pattern, and skips binary files', async () => {
		const entries = await blobs();
		const objects = ['a.txt', 'bin.dat'].map((path) => entries.get(path)?.object as string);
		const dash = await git.grep({
			dir: bare,
			bare: true,
			pattern: '-e --output=/tmp/owned',
			mode: 'fixed',
			objects,
			maxPerObject: 5,
		});
		assert.deepEqual(
			dash.map((hit) => [hit.line, hit.text]),
			[[2, '-e --output=/tmp/owned']],
		);
		const needle = await git.grep({
			dir: bare,
			bare: true,
			pattern: 'needle',
			mode: 'fixed',
			objects,
			maxPerObject: 5,
		});
		assert.deepEqual(
			needle.map((hit) => hit.object),
			[entries.get('a.txt')?.object],
		);
		const none = await git.grep({
			dir: bare,
			bare: true,
			pattern: 'absent',
			mode: 'regex',
			objects,
			maxPerObject: 5,
		});
		assert.deepEqual(none, []);
	});

	it('names the blob when its matching lines are too long to list', async () => {
		const entries = await blobs();
		const long = entries.get(`long/${'x'.repeat(20)}.js`)?.object as string;
		const hits = await git.grep({
			dir: bare,
			bare: true,
			pattern: 'needle',
			mode: 'fixed',
			objects: [long],
			maxPerObject: 5,
		});
		// One 9.8 MB line is past the output bound: the blob is still reported, without a line.
		assert.deepEqual(hits, [{ object: long, line: 0, text: '' }]);
	});

	it('refuses a pattern git cannot compile instead of reporting no hit', async () => {
		const entries = await blobs();
		await assert.rejects(
			git.grep({
				dir: bare,
				bare: true,
				pattern: 'a(',
				mode: 'regex',
				objects: [entries.get('a.txt')?.object as string],
				maxPerObject: 1,
			}),
			(error) => isVouchError(error) && error.code === 'GIT_FAILED',
		);
		for (const pattern of ['', 'two\nlines']) {
			await assert.rejects(
				git.grep({ dir: bare, bare: true, pattern, mode: 'fixed', objects: [], maxPerObject: 1 }),
				(error) => isVouchError(error) && error.code === 'GIT_INVALID_ARGUMENT',
			);
		}
	});

	it('exports a tree with symlinks as plain files, and leaves no index behind', async () => {
		const dest = join(makeTempDir('vouch-export-'), 'files');
		await git.exportTree({ dir: bare, commit, dest });
		assert.deepEqual(readdirSync(dest).sort(), ['a.txt', 'bin.dat', 'link', 'long']);
		assert.ok(lstatSync(join(dest, 'link')).isFile());
		assert.equal(readFileSync(join(dest, 'link'), 'utf8'), '/etc/passwd');
		assert.equal(runTestGit(bare, ['--git-dir', bare, 'ls-files']), '');
	});

	it('parses records whose text holds NUL bytes and ignores unknown blobs', () => {
		const id = 'a'.repeat(40);
		const out = Buffer.from(
			`${id}\x003\x00x\x00y\n${'b'.repeat(40)}\x001\x00other\nbroken\n`,
			'latin1',
		);
		assert.deepEqual(parseGrepOutput(out, [id]), [{ object: id, line: 3, text: 'x\0y' }]);
	});
});
