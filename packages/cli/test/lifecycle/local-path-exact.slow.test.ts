/**
 * The directory git reads is the one the user named and Vouch checked (D11). git, given a
 * path, also tries `<path>.git` when `<path>` holds no repository it can open: beside a copy
 * whose `.git` is damaged, it would clone the neighbour, which no check saw. And a linked
 * worktree (`git worktree add`) installs the commit checked out there, not its main
 * repository's HEAD.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
	bareClone,
	createPluginRepo,
	manifestToml,
	runTestGit,
} from '../../../library/test/helpers/git-repos.ts';
import { makeTempDir } from '../../../library/test/helpers/temp.ts';
import { type CliRun, parseJson } from '../helpers/cli.ts';
import { createWorld, type World } from './world.ts';

let world: World;
const code = (run: CliRun) => (parseJson(run).error as { code?: string } | undefined)?.code;

function install(path: string): Promise<CliRun> {
	return world.vouch(['install', path, '--registry', world.registryFile, '--yes', '--json']);
}

const NAMED = { uuid: '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f', name: 'named' };
const NEIGHBOUR = { uuid: '3d4e5f6a-7b8c-4d9e-8f0a-2b3c4d5e6f7a', name: 'neighbour' };
const TREE = { uuid: '4e5f6a7b-8c9d-4e0f-9a1b-3c4d5e6f7a8b', name: 'worktree' };

describe('local paths: git reads exactly what was checked', () => {
	before(async () => {
		world = await createWorld();
		world.writeRegistry([], []);
	});
	after(() => world.close());

	it('never clones <path>.git in place of <path>, side by side', async () => {
		const root = makeTempDir('vouch-side-');
		// `x.git`: another plugin, a bare repository beside `x`.
		const neighbour = createPluginRepo({ manifest: manifestToml(NEIGHBOUR) });
		bareClone(neighbour, root, 'x.git');
		// `x` a working copy: its own repository is what installs.
		const named = createPluginRepo({ dir: join(root, 'x'), manifest: manifestToml(NAMED) });
		const good = await install(named.dir);
		assert.equal(good.code, 0, good.stdout + good.stderr);
		const state = await world.state();
		assert.equal(state.plugins[NAMED.uuid]?.source.commit, named.commitOf());
		assert.equal(state.plugins[NEIGHBOUR.uuid], undefined);

		// `y` with a damaged (empty) `.git`, beside `y.git`: git would read `y.git`.
		bareClone(neighbour, root, 'y.git');
		mkdirSync(join(root, 'y', '.git'), { recursive: true });
		const refused = await install(join(root, 'y'));
		assert.notEqual(refused.code, 0, refused.stdout + refused.stderr);
		assert.match(String(code(refused)), /^GIT_/, refused.stdout);
		assert.equal((await world.state()).plugins[NEIGHBOUR.uuid], undefined);
	});

	it('installs the commit a linked worktree has checked out, not the main HEAD', async () => {
		const main = createPluginRepo({ manifest: manifestToml(TREE) });
		const mainHead = main.commitOf();
		const tree = join(makeTempDir('vouch-tree-'), 'feature');
		main.git(['worktree', 'add', '-q', '-b', 'feature', tree]);
		writeFileSync(join(tree, 'feature.py'), 'FEATURE = 1\n');
		runTestGit(tree, ['add', '-A']);
		runTestGit(tree, ['commit', '-q', '-m', 'A feature']);
		const treeHead = runTestGit(tree, ['rev-parse', 'HEAD']);
		assert.notEqual(treeHead, mainHead);
		const run = await install(tree);
		assert.equal(run.code, 0, run.stdout + run.stderr);
		const installed = (await world.state()).plugins[TREE.uuid];
		assert.equal(installed?.source.commit, treeHead);
		assert.equal(installed?.source.ref, 'feature');
	});
});
