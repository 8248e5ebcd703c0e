/**
 * How a test starts `vouch` in a process of its own: from the built `dist/` when it is current,
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

let current: boolean | undefined;

/** The argv (node first) that runs `vouch`, relative to REPO_ROOT. */
export function vouchArgv(): string[] {
	current ??=
		PACKAGES.every((dir) => builtOutputIsCurrent(join(REPO_ROOT, dir))) &&
		existsSync(join(REPO_ROOT, 'packages/library/dist/grammars/tree-sitter-python.wasm'));
	return current
		? [process.execPath, 'packages/cli/dist/bin.js']
		: [process.execPath, '--conditions=vouch-source', '--import', 'tsx', 'packages/cli/src/bin.ts'];
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
