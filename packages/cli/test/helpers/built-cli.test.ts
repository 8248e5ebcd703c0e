/**
 * The check that lets a test run the built bin: it must refuse every way `dist/` can be behind
 * the sources, or a test would pass on code that no longer exists.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTempDir } from '../../../library/test/helpers/temp.ts';
import { builtOutputIsCurrent, bundleIsCurrent } from './built-cli.ts';

const OLD = new Date('2026-01-01T00:00:00Z');
const NEW = new Date('2026-01-02T00:00:00Z');

/** A package with `src/a.ts` and `src/deep/b.ts`, both built after their sources. */
function builtPackage(): string {
	const dir = makeTempDir('vouch-built-');
	for (const file of ['a', 'deep/b']) {
		for (const [root, ext, time] of [
			['src', '.ts', OLD],
			['dist', '.js', NEW],
		] as const) {
			const path = join(dir, root, `${file}${ext}`);
			mkdirSync(join(path, '..'), { recursive: true });
			writeFileSync(path, '');
			utimesSync(path, time, time);
		}
	}
	return dir;
}

describe('built output is current', () => {
	it('accepts a build newer than every source', () => {
		assert.equal(builtOutputIsCurrent(builtPackage()), true);
	});

	it('refuses a source edited after the build, however deep', () => {
		const dir = builtPackage();
		const later = new Date('2026-01-03T00:00:00Z');
		utimesSync(join(dir, 'src/deep/b.ts'), later, later);
		assert.equal(builtOutputIsCurrent(dir), false);
	});

	it('refuses a source that has no compiled file (added since the build)', () => {
		const dir = builtPackage();
		writeFileSync(join(dir, 'src/deep/new.ts'), '');
		assert.equal(builtOutputIsCurrent(dir), false);
	});

	it('refuses a package never built, and one without sources', () => {
		const dir = builtPackage();
		rmSync(join(dir, 'dist'), { recursive: true });
		assert.equal(builtOutputIsCurrent(dir), false);
		assert.equal(builtOutputIsCurrent(makeTempDir('vouch-built-')), false);
	});

	it('ignores declaration files and non-TypeScript files among the sources', () => {
		const dir = builtPackage();
		writeFileSync(join(dir, 'src/types.d.ts'), '');
		writeFileSync(join(dir, 'src/notes.md'), '');
		assert.equal(builtOutputIsCurrent(dir), true);
	});
});

describe('the bundle is current', () => {
	it('accepts a bundle written after every source, and refuses a missing one', () => {
		const dir = builtPackage();
		const bundle = join(dir, 'dist/bundle/bin.js');
		mkdirSync(join(bundle, '..'), { recursive: true });
		writeFileSync(bundle, '');
		utimesSync(bundle, NEW, NEW);
		assert.equal(bundleIsCurrent(bundle, [dir]), true);
		assert.equal(bundleIsCurrent(join(dir, 'dist/bundle/missing.js'), [dir]), false);
	});

	it('refuses a bundle older than a source of any of its packages, however deep', () => {
		const first = builtPackage();
		const second = builtPackage();
		const bundle = join(first, 'dist/bundle/bin.js');
		mkdirSync(join(bundle, '..'), { recursive: true });
		writeFileSync(bundle, '');
		utimesSync(bundle, NEW, NEW);
		const later = new Date('2026-01-03T00:00:00Z');
		utimesSync(join(second, 'src/deep/b.ts'), later, later);
		assert.equal(bundleIsCurrent(bundle, [first]), true);
		assert.equal(bundleIsCurrent(bundle, [first, second]), false);
	});
});
