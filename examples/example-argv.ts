/**
 * How the example tests start an example's `main.ts`: with the packages' built `dist/` when it
 * is current, else from the TypeScript sources through tsx, as a developer runs it from a clone.
 *
 * Why the built way is the same test: `dist/` is the very sources compiled by tsc (the `pretest`
 * step builds every package), and `main.ts` itself is transpiled by esbuild, as tsx does; the
 * example then imports `@vouch/library` and `@vouch/host` through their package exports, as a
 * host application does. Why it matters: under tsx every module the child loads passes through
 * the loader's hooks, about four times the CPU of the same start from `dist/`
 * (`packages/cli/test/helpers/built-cli.ts` says more).
 *
 * The transpiled file is written to a fresh temporary directory that mirrors the example's own
 * (every other entry a symbolic link, so paths taken from `import.meta.url` still lead to the
 * example's files) and links `node_modules` to the repository's, so the packages resolve.
 */
import {
	existsSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import { builtOutputIsCurrent } from '../packages/cli/test/helpers/built-cli.ts';
import { sourceRoot } from '../test/helpers/source-root.ts';

/** The repository itself, not the suite's compiled mirror of it. */
const REPOSITORY = sourceRoot(fileURLToPath(new URL('..', import.meta.url)));
const PACKAGES = ['packages/library', 'packages/host'];

let current: boolean | undefined;
/** One transpiled copy of each example per test process, removed when the process ends. */
const built = new Map<string, string[]>();
process.once('exit', () => {
	for (const [argv] of built.values()) {
		if (argv !== undefined) rmSync(dirname(argv), { recursive: true, force: true });
	}
});

/** The node arguments (before the example's own) that run `main`, a `main.ts` path. */
export function exampleArgv(main: string): string[] {
	current ??=
		PACKAGES.every((dir) => builtOutputIsCurrent(join(REPOSITORY, dir))) &&
		existsSync(join(REPOSITORY, 'packages/library/dist/grammars/tree-sitter-python.wasm'));
	if (!current) return ['--conditions=vouch-source', '--import', 'tsx', main];
	const cached = built.get(main);
	if (cached !== undefined) return cached;
	const source = dirname(main);
	const mirror = mkdtempSync(join(tmpdir(), `vouch-example-${basename(source)}-`));
	for (const entry of readdirSync(source)) {
		if (entry !== basename(main)) symlinkSync(join(source, entry), join(mirror, entry));
	}
	symlinkSync(join(REPOSITORY, 'node_modules'), join(mirror, 'node_modules'));
	const { code } = transformSync(readFileSync(main, 'utf8'), { loader: 'ts', format: 'esm' });
	const file = join(mirror, basename(main).replace(/\.ts$/, '.mjs'));
	writeFileSync(file, code);
	built.set(main, [file]);
	return [file];
}
