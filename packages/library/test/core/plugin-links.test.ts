/**
 * Where a plugin's links really lead, judged by real path (the one home of the rule), and the
 * install check built on it: a link whose text stays inside the plugin but that climbs out
 * through another link is outside; dangling links and loops are refused too.
 */
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { realRoot, resolvePluginLink } from '../../src/core/plugin-links.ts';
import { assertSelfContained } from '../../src/lifecycle/content-check.ts';
import { makeTempDir } from '../helpers/temp.ts';

/** A plugin with `a/b/up -> ..` (really `a`), and `a/b/file.txt`. */
function pluginWithUpLink(): string {
	const dir = makeTempDir('vouch-links-');
	mkdirSync(join(dir, 'a', 'b'), { recursive: true });
	writeFileSync(join(dir, 'a', 'b', 'file.txt'), 'x = 1\n');
	symlinkSync('..', join(dir, 'a', 'b', 'up'));
	return dir;
}

describe('resolvePluginLink', () => {
	it('follows a link inside the plugin to its real file', async () => {
		const dir = pluginWithUpLink();
		symlinkSync('a/b/file.txt', join(dir, '__init__.py'));
		const link = await resolvePluginLink(await realRoot(dir), join(dir, '__init__.py'));
		assert.equal(link.status, 'inside');
		assert.equal(link.status === 'inside' && link.relative, 'a/b/file.txt');
		assert.equal(link.status === 'inside' && link.kind, 'file');
	});

	it('sees a link leave through another link even when its text stays inside', async () => {
		const base = makeTempDir('vouch-links-base-');
		const dir = join(base, 'plugin');
		mkdirSync(join(dir, 'a', 'b'), { recursive: true });
		symlinkSync('..', join(dir, 'a', 'b', 'up'));
		writeFileSync(join(base, 'secret'), 'key\n');
		// As text `a/b/up/../../secret` is `a/secret`; really `up` is `a`, so it is `../secret`.
		const target = 'a/b/up/../../secret';
		symlinkSync(target, join(dir, 'steal'));
		assert.equal(relative(dir, join(dir, target)), join('a', 'secret'));
		const link = await resolvePluginLink(await realRoot(dir), join(dir, 'steal'));
		assert.equal(link.status, 'outside');
		await assert.rejects(assertSelfContained(dir), { code: 'UNSAFE_CONTENT' });
	});

	it('calls dangling links, loops and links to the root by their names', async () => {
		const dir = pluginWithUpLink();
		const root = await realRoot(dir);
		symlinkSync('missing', join(dir, 'dangling'));
		symlinkSync('loop-b', join(dir, 'loop-a'));
		symlinkSync('loop-a', join(dir, 'loop-b'));
		symlinkSync('.', join(dir, 'self'));
		assert.equal((await resolvePluginLink(root, join(dir, 'dangling'))).status, 'dangling');
		assert.equal((await resolvePluginLink(root, join(dir, 'loop-a'))).status, 'loop');
		assert.equal((await resolvePluginLink(root, join(dir, 'self'))).status, 'root');
		await assert.rejects(assertSelfContained(dir), { code: 'UNSAFE_CONTENT' });
	});

	it('lets a plugin whose links all stay inside through the install check', async () => {
		const dir = pluginWithUpLink();
		symlinkSync('a/b/file.txt', join(dir, 'alias.txt'));
		await assertSelfContained(dir);
	});
});
