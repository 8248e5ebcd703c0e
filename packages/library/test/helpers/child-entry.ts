/**
 * How a test starts one of its own TypeScript files (a crash child, a store worker, a host) in
 * a `node` process: as the plain JavaScript `scripts/test-build.mjs` put beside it in the test
 * mirror when there is one, else through tsx.
 *
 * Why: under tsx every module the child loads passes through loader hooks, about three times
 * the CPU of loading the same modules as JavaScript, and these children load most of the
 * library. Tests that start a child at every stage of an install pay that each time, on a
 * machine the whole suite shares. The mirror's file is the same source, transpiled in the
 * same run as the test that starts it (the build follows `new URL('./x.ts', import.meta.url)`
 * as it follows imports), so the child runs exactly the code the test was built from.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The argv (node first) that runs `entry`, a `.ts` file given as a URL next to the caller. */
export function childNodeArgv(entry: URL): string[] {
	const path = fileURLToPath(entry);
	const transpiled = path.replace(/\.ts$/, '.js');
	if (transpiled !== path && existsSync(transpiled)) {
		return [process.execPath, '--conditions=vouch-source', transpiled];
	}
	return [process.execPath, '--conditions=vouch-source', '--import', 'tsx', path];
}
