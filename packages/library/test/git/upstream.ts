/**
 * The upstream repository most git tests clone from, with every kind of ref:
 *
 *   main:  c1 ── c2 ── c3 ── c4          (HEAD → main)
 *                  └── d1                (dev)
 *   tags:  v1.0 (annotated) at c1, v1.1 (lightweight) at c2, tag-only (lightweight) at c2,
 *          shadow (annotated) at c1 while the branch shadow points at c4.
 *
 * c3 is no branch or tag tip, so a server that refuses unadvertised commits refuses it.
 */
import { dirname } from 'node:path';
import { createPluginRepo, runTestGit, type TestRepo } from '../helpers/git-repos.ts';

export interface Upstream {
	repo: TestRepo;
	/** Directory to serve over HTTP; the repository is at `/repo` under it. */
	root: string;
	c1: string;
	c2: string;
	c3: string;
	c4: string;
	d1: string;
	/** The object id of the annotated tag v1.0 itself (not its commit). */
	v10Object: string;
}

export function createUpstream(): Upstream {
	const repo = createPluginRepo({ files: { 'lib/util.py': 'VALUE = 1\n' } });
	const c1 = repo.commitOf();
	const v10Object = repo.tag('v1.0', { message: 'release 1.0' });
	repo.tag('shadow', { message: 'a tag named like a branch' });
	const c2 = repo.commit({ 'lib/util.py': 'VALUE = 2\n' });
	repo.tag('v1.1');
	repo.tag('tag-only');
	repo.branch('dev');
	const c3 = repo.commit({ 'CHANGELOG.md': 'three\n' });
	const c4 = repo.commit({ 'CHANGELOG.md': 'four\n' });
	repo.branch('shadow');
	repo.switchTo('dev');
	const d1 = repo.commit({ 'dev.txt': 'dev only\n' });
	repo.switchTo('main');
	return { repo, root: dirname(repo.dir), c1, c2, c3, c4, d1, v10Object };
}

/** Runs git in a clone made by the code under test (for checks only). */
export function inClone(dir: string, args: readonly string[]): string {
	return runTestGit(dir, args);
}

export function isShallow(dir: string): boolean {
	return inClone(dir, ['rev-parse', '--is-shallow-repository']) === 'true';
}

export function commitCount(dir: string): number {
	return Number(inClone(dir, ['rev-list', '--count', 'HEAD']));
}
