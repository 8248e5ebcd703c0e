/** Reading MANIFEST.toml from disk: directories, files, symlinks, special files and bounds. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { isVouchError } from '../../src/core/errors.ts';
import { MAX_MANIFEST_BYTES, readManifest } from '../../src/manifest/index.ts';
import { manifestText } from './helpers.ts';

const root = mkdtempSync(join(tmpdir(), 'vouch-'));
after(() => rmSync(root, { recursive: true, force: true }));

let counter = 0;
function pluginDir(manifest?: string | Buffer): string {
	const dir = join(root, `plugin-${counter++}`);
	mkdirSync(dir);
	if (manifest !== undefined) writeFileSync(join(dir, 'MANIFEST.toml'), manifest);
	return dir;
}

async function readError(path: string) {
	try {
		await readManifest(path);
	} catch (error) {
		assert.ok(isVouchError(error), `expected a VouchError, got ${String(error)}`);
		return error;
	}
	assert.fail('expected the read to fail');
}

describe('locating the manifest', () => {
	test('a directory means its MANIFEST.toml', async () => {
		const dir = pluginDir(manifestText());
		const result = await readManifest(dir);
		assert.deepEqual(result.errors, []);
		assert.equal(result.file, join(dir, 'MANIFEST.toml'));
		assert.equal(result.manifest?.name, 'Example');
	});

	test('a file path is read directly, whatever its name', async () => {
		const dir = pluginDir();
		writeFileSync(join(dir, 'other.toml'), manifestText());
		assert.equal((await readManifest(join(dir, 'other.toml'))).manifest?.name, 'Example');
	});

	test('category options reach validation', async () => {
		const dir = pluginDir(manifestText({ categories: '["odd"]' }));
		const result = await readManifest(dir, { categories: ['metadata'] });
		assert.ok(result.warnings.some((w) => w.code === 'UNKNOWN_CATEGORY'));
	});

	test('a directory without MANIFEST.toml is MANIFEST_NOT_FOUND with the path and a hint', async () => {
		const dir = pluginDir();
		const error = await readError(dir);
		assert.equal(error.code, 'MANIFEST_NOT_FOUND');
		assert.ok(error.message.includes(join(dir, 'MANIFEST.toml')));
		assert.ok(error.hint);
	});

	test('a path that does not exist is MANIFEST_NOT_FOUND', async () => {
		assert.equal((await readError(join(root, 'nope', 'x'))).code, 'MANIFEST_NOT_FOUND');
	});

	test('a directory called MANIFEST.toml is not a file', async () => {
		const dir = pluginDir();
		mkdirSync(join(dir, 'MANIFEST.toml'));
		assert.equal((await readError(dir)).code, 'MANIFEST_NOT_A_FILE');
	});
});

describe('symlinks from an untrusted repository', () => {
	test('a symlink to a file inside the plugin directory is followed', async () => {
		const dir = pluginDir();
		mkdirSync(join(dir, 'meta'));
		writeFileSync(join(dir, 'meta', 'real.toml'), manifestText());
		symlinkSync(join('meta', 'real.toml'), join(dir, 'MANIFEST.toml'));
		assert.equal((await readManifest(dir)).manifest?.name, 'Example');
	});

	test('a symlink leading outside the plugin directory is refused', async () => {
		const secret = join(root, `secret-${counter}.toml`);
		writeFileSync(secret, manifestText());
		const dir = pluginDir();
		symlinkSync(secret, join(dir, 'MANIFEST.toml'));
		assert.equal((await readError(dir)).code, 'MANIFEST_SYMLINK_ESCAPE');
	});

	test('a relative ../ symlink is refused too', async () => {
		const dir = pluginDir();
		const sibling = `sibling-${counter}.toml`;
		writeFileSync(join(root, sibling), manifestText());
		symlinkSync(join('..', sibling), join(dir, 'MANIFEST.toml'));
		assert.equal((await readError(dir)).code, 'MANIFEST_SYMLINK_ESCAPE');
	});

	test('a dangling symlink is MANIFEST_NOT_FOUND', async () => {
		const dir = pluginDir();
		symlinkSync(join(dir, 'missing.toml'), join(dir, 'MANIFEST.toml'));
		assert.equal((await readError(dir)).code, 'MANIFEST_NOT_FOUND');
	});

	test('a plugin directory given through a symlink is fine', async () => {
		const dir = pluginDir(manifestText());
		const link = join(root, `link-${counter}`);
		symlinkSync(dir, link);
		assert.deepEqual((await readManifest(link)).errors, []);
	});
});

describe('special files and bounds', () => {
	test('a FIFO as MANIFEST.toml is refused without blocking', async (t) => {
		const dir = pluginDir();
		const made = spawnSync('mkfifo', [join(dir, 'MANIFEST.toml')]);
		if (made.status !== 0) {
			t.skip('mkfifo is not available');
			return;
		}
		assert.equal((await readError(dir)).code, 'MANIFEST_NOT_A_FILE');
	});

	test('a huge file is refused as too large', async () => {
		const dir = pluginDir(Buffer.alloc(MAX_MANIFEST_BYTES + 1, 0x23));
		assert.equal((await readError(dir)).code, 'MANIFEST_TOO_LARGE');
	});

	test('invalid UTF-8 is a parse error', async () => {
		const dir = pluginDir(
			Buffer.concat([Buffer.from('name = "'), Buffer.from([0xff, 0xfe]), Buffer.from('"\n')]),
		);
		assert.equal((await readError(dir)).code, 'MANIFEST_PARSE_ERROR');
	});

	test('a byte-order mark in the file is kept and refused (tomllib refuses it)', async () => {
		const dir = pluginDir(
			Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(manifestText())]),
		);
		assert.equal((await readError(dir)).code, 'MANIFEST_PARSE_ERROR');
	});

	test('broken TOML in a file names the file and the line', async () => {
		const dir = pluginDir('name = "x"\nuuid = \n');
		const error = await readError(dir);
		assert.equal(error.code, 'MANIFEST_PARSE_ERROR');
		assert.match(error.message, /MANIFEST\.toml: line 2/);
	});
});
