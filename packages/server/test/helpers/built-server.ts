/**
 * How a test starts `vouch-server` in a process of its own: from the built `dist/` when it is
 * current, else from the TypeScript sources through tsx.
 *
 * The same reasoning as the CLI's (`packages/cli/test/helpers/built-cli.ts`): `dist/` is these
 * very sources compiled by tsc, and a test of the executable checks what it does, not how it was
 * loaded. It matters more here: `serve --workers N` starts N + 1 processes, and a replacement for
 * each worker that dies, and under tsx every one of them loads the whole service through the
 * loader's hooks, about three times the CPU of the same start from `dist/`.
 *
 * "Current" is as strict as the CLI's: every source file of the library and the service has its
 * compiled file, no older than the source. Otherwise the sources run through tsx, so a test never
 * runs stale code.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { builtOutputIsCurrent, REPO_ROOT } from '../../../cli/test/helpers/built-cli.ts';

export { REPO_ROOT };

/** The packages the service's bin loads from this repository. */
const PACKAGES = ['packages/library', 'packages/server'];

let current: boolean | undefined;

/** The argv (node first) that runs `vouch-server`, with absolute paths. */
export function serverArgv(): string[] {
	current ??=
		PACKAGES.every((dir) => builtOutputIsCurrent(join(REPO_ROOT, dir))) &&
		existsSync(join(REPO_ROOT, 'packages/library/dist/grammars/tree-sitter-python.wasm'));
	return current
		? [process.execPath, join(REPO_ROOT, 'packages/server/dist/bin.js')]
		: [
				process.execPath,
				'--conditions=vouch-source',
				'--import',
				'tsx',
				join(REPO_ROOT, 'packages/server/src/bin.ts'),
			];
}
