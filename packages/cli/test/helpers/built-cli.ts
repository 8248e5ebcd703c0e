/**
 * How a test starts `vouch` in a process of its own: through the bin and the bundle it loads
 * (what users run) when that is current, else from the compiled `dist/` modules when they are,
 * else from the TypeScript sources through tsx.
 *
 * Why this is the same test either way: `dist/` is the very sources compiled by tsc (the
 * `pretest` step builds every package before the suite), and a test that drives the bin in a
 * terminal checks what the program does, not how it was loaded. Why it matters: under tsx every
 * module a child loads passes through tsx's loader hooks, which costs a `vouch` process about
 * three times the CPU of the same start-up from `dist/` (about 1.6 s against 0.5 s for a command
 * that reads the registry), on a machine the whole suite shares.
 *
 * "Current" is strict: every source file of the library and the CLI has its compiled file, no
 * older than the source, and the scanner's grammars were copied. A source edited after the
 * last build (the usual case while working on one test) falls back to tsx, so a test never
 * runs stale code.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, the working directory of the children. */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** The packages the bin loads from this repository. */
const PACKAGES = ['packages/library', 'packages/cli'];

let chosen: string[] | undefined;

/**
 * The argv (node first) that runs `vouch`, relative to REPO_ROOT: the bin itself when the
 * bundle it loads is current, else the compiled modules when they are, else the sources.
 */
export function vouchArgv(): string[] {
	chosen ??= chooseArgv();
	return chosen;
}

function chooseArgv(): string[] {
	const dirs = PACKAGES.map((dir) => join(REPO_ROOT, dir));
	const compiled =
		dirs.every(builtOutputIsCurrent) &&
		existsSync(join(REPO_ROOT, 'packages/library/dist/grammars/tree-sitter-python.wasm'));
	if (!compiled) {
		return [
			process.execPath,
			'--conditions=vouch-source',
			'--import',
			'tsx',
			'packages/cli/src/bin.ts',
		];
	}
	const bundle = join(REPO_ROOT, 'packages/cli/dist/bundle/bin.js');
	return bundleIsCurrent(bundle, dirs)
		? [process.execPath, 'packages/cli/bin/vouch.js']
		: [process.execPath, 'packages/cli/dist/bin.js'];
}

/** Whether the bundle was written after every source of the packages it holds was last edited. */
export function bundleIsCurrent(bundle: string, packageDirs: readonly string[]): boolean {
	if (!existsSync(bundle)) return false;
	const written = statSync(bundle).mtimeMs;
	const newerSource = (dir: string): boolean =>
		readdirSync(dir, { withFileTypes: true }).some((entry) => {
			const path = join(dir, entry.name);
			if (entry.isDirectory()) return newerSource(path);
			return entry.name.endsWith('.ts') && statSync(path).mtimeMs > written;
		});
	return packageDirs.every((dir) => existsSync(join(dir, 'src')) && !newerSource(join(dir, 'src')));
}

/**
 * Whether every `src/**\/*.ts` of the package has a `dist/**\/*.js` at least as new. tsc only
 * writes a file when it builds, so a source newer than its output was changed since.
 */
export function builtOutputIsCurrent(packageDir: string): boolean {
	const src = join(packageDir, 'src');
	const dist = join(packageDir, 'dist');
	const walk = (relative: string): boolean => {
		for (const entry of readdirSync(join(src, relative), { withFileTypes: true })) {
			const name = join(relative, entry.name);
			if (entry.isDirectory()) {
				if (!walk(name)) return false;
				continue;
			}
			if (!entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) continue;
			const built = join(dist, name.replace(/\.ts$/, '.js'));
			if (!existsSync(built)) return false;
			if (statSync(built).mtimeMs < statSync(join(src, name)).mtimeMs) return false;
		}
		return true;
	};
	return existsSync(src) && walk('');
}
