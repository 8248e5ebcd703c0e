/** Reviewed-release pins for test registries, computed from a real checkout like `registry pin` does. */
import { join } from 'node:path';
import { digestTree } from '../../src/lifecycle/store/digest.ts';
import { runTestGit, type TestRepo } from './git-repos.ts';
import { makeTempDir } from './temp.ts';

export interface TestPin {
	ref: string;
	commit: string;
	tree: string;
}

export async function pinOf(repo: TestRepo, ref: string): Promise<TestPin> {
	const parent = makeTempDir('vouch-pin-');
	const dir = join(parent, 'checkout');
	runTestGit(parent, ['clone', '-q', '--no-checkout', repo.dir, dir]);
	runTestGit(dir, ['checkout', '-q', '--detach', ref]);
	const commit = runTestGit(dir, ['rev-parse', 'HEAD']);
	return { ref, commit, tree: (await digestTree(dir)).treeDigest };
}
