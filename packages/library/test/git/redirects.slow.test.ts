/**
 * D27 in `src/git`: git never follows an HTTP redirect by itself. The probe finds redirects
 * first, each target must pass the transport rule and the caller's guard before anything is
 * asked of it, and git is handed the address they lead to. Real git, real servers on
 * 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isVouchError } from '../../src/core/errors.ts';
import {
	createGit,
	infoRefsUrl,
	type RedirectHop,
	repositoryFromInfoRefs,
} from '../../src/git/index.ts';
import {
	type GitHttpServer,
	type RedirectRule,
	redirectPrefixes,
	startGitHttpServer,
} from '../helpers/git-http-server.ts';
import { bareClone, createPluginRepo, testGitEnv } from '../helpers/git-repos.ts';
import { makeTempDir } from '../helpers/temp.ts';

const root = makeTempDir('vouch-git-redirects-');
const served = join(root, 'served');
const clean = createPluginRepo({ files: { 'clean.py': 'x = 1\n' } });
const other = createPluginRepo({ files: { 'other.py': 'y = 2\n' } });
bareClone(clean, served, 'clean.git');
bareClone(other, served, 'other.git');

/** Rules of the first server, changed by each test. */
let rules: RedirectRule[] = [];
let first: GitHttpServer;
let second: GitHttpServer;
before(async () => {
	first = await startGitHttpServer({ root: served, redirect: (r) => redirectPrefixes(rules)(r) });
	second = await startGitHttpServer({ root: served });
});
after(async () => {
	await Promise.all([first.close(), second.close()]);
});

const git = createGit({ env: testGitEnv(), cwd: root });
let counter = 0;
const dest = () => join(root, `clone-${counter++}`);
const allowAll = (seen: RedirectHop[]) => (hop: RedirectHop) => {
	seen.push(hop);
};

async function rejectsCode(promise: Promise<unknown>, code: string): Promise<Error> {
	let caught: unknown;
	await assert.rejects(promise, (error: unknown) => {
		caught = error;
		assert.ok(isVouchError(error), String(error));
		assert.equal(error.code, code, error.message);
		return true;
	});
	return caught as Error;
}

describe('info/refs addresses', () => {
	it('are built and taken apart as git does', () => {
		assert.equal(infoRefsUrl('https://h/o/r'), 'https://h/o/r/info/refs?service=git-upload-pack');
		assert.equal(infoRefsUrl('https://h/o/r/'), 'https://h/o/r/info/refs?service=git-upload-pack');
		assert.equal(
			repositoryFromInfoRefs('https://h/n/r.git/info/refs?service=git-upload-pack'),
			'https://h/n/r.git',
		);
		assert.equal(repositoryFromInfoRefs('https://h/login?next=/o/r'), undefined);
	});
});

describe('redirects (D27)', () => {
	for (const status of [301, 302, 307, 308]) {
		it(`follows a cleared ${status} and reports where the refs came from`, async () => {
			rules = [{ from: '/moved.git', to: `${second.url}/other.git`, status }];
			const seen: RedirectHop[] = [];
			const refs = await git.lsRemote(`${first.url}/moved.git`, { redirectGuard: allowAll(seen) });
			assert.equal(refs.head?.commit, other.commitOf());
			assert.equal(refs.fetchedFrom, `${second.url}/other.git`);
			assert.deepEqual(seen, [{ from: `${first.url}/moved.git`, to: `${second.url}/other.git` }]);
		});
	}

	it('clones from the final address and says so', async () => {
		rules = [{ from: '/moved.git', to: '/other.git', status: 301 }];
		const seen: RedirectHop[] = [];
		const cloned = await git.clone(
			{ url: `${first.url}/moved.git`, dest: dest() },
			{ redirectGuard: allowAll(seen) },
		);
		assert.equal(cloned.commit, other.commitOf());
		assert.equal(cloned.fetchedFrom, `${first.url}/other.git`);
	});

	it('reports no redirect when there is none', async () => {
		rules = [];
		const refs = await git.lsRemote(`${first.url}/clean.git`);
		assert.equal(refs.fetchedFrom, undefined);
		assert.equal(refs.head?.commit, clean.commitOf());
	});

	it('refuses every redirect when no guard is given, before the target is asked', async () => {
		rules = [{ from: '/clean.git', to: `${second.url}/other.git` }];
		const before = second.requests.length;
		const error = await rejectsCode(git.lsRemote(`${first.url}/clean.git`), 'GIT_REDIRECT_REFUSED');
		assert.match(error.message, /redirects to .*other\.git/);
		await rejectsCode(
			git.clone({ url: `${first.url}/clean.git`, dest: dest() }),
			'GIT_REDIRECT_REFUSED',
		);
		assert.equal(second.requests.length, before);
	});

	it("lets the guard's refusal through, and never contacts the target", async () => {
		rules = [{ from: '/clean.git', to: `${second.url}/other.git` }];
		const before = second.requests.length;
		const guard = () => {
			throw new Error('blacklisted');
		};
		await assert.rejects(
			git.clone({ url: `${first.url}/clean.git`, dest: dest() }, { redirectGuard: guard }),
			/blacklisted/,
		);
		assert.equal(second.requests.length, before);
	});

	it('refuses plain http to another machine, file:// and remote helpers, whatever the guard says', async () => {
		for (const to of [
			'http://127.0.0.1.nip.io/other.git',
			'http://example.invalid/other.git',
			`file://${join(served, 'other.git')}`,
			'ext::sh -c touch% /tmp/pwned',
			'ssh://example.invalid/other.git',
		]) {
			rules = [{ from: '/clean.git', to }];
			const seen: RedirectHop[] = [];
			await rejectsCode(
				git.lsRemote(`${first.url}/clean.git`, { redirectGuard: allowAll(seen) }),
				'GIT_REDIRECT_REFUSED',
			);
			assert.deepEqual(seen, [], `the guard is not even asked about ${to}`);
		}
	});

	it('stops a redirect loop after a few hops', async () => {
		rules = [
			{ from: '/loop-a.git', to: '/loop-b.git' },
			{ from: '/loop-b.git', to: '/loop-a.git' },
		];
		const before = first.requests.length;
		const seen: RedirectHop[] = [];
		const error = await rejectsCode(
			git.lsRemote(`${first.url}/loop-a.git`, { redirectGuard: allowAll(seen) }),
			'GIT_REDIRECT_REFUSED',
		);
		assert.match(error.message, /more than 5 redirects/);
		assert.equal(seen.length, 5);
		// git's own first request, stopped at the redirect, then the probe's six.
		assert.equal(first.requests.length - before, 7);
	});

	it('sends no probe to a repository that does not redirect: git asks, and that is all', async () => {
		rules = [];
		const before = first.requests.length;
		await git.lsRemote(`${first.url}/clean.git`);
		const dir = dest();
		await git.clone({ url: `${first.url}/clean.git`, dest: dir });
		await git.fetch({ dir });
		const asked = first.requests.slice(before);
		assert.ok(asked.length >= 3, 'git talked to the server');
		assert.deepEqual(
			asked.filter((request) => request.userAgent?.includes('redirect-probe')),
			[],
			'no probe was sent',
		);
		assert.ok(asked.every((request) => request.userAgent?.startsWith('git/')));
	});

	it('clones after a redirect into a clean destination, from the checked target only', async () => {
		rules = [{ from: '/clean.git', to: '/other.git' }];
		const before = first.requests.length;
		const seen: RedirectHop[] = [];
		const dir = dest();
		const cloned = await git.clone(
			{ url: `${first.url}/clean.git`, dest: dir },
			{ redirectGuard: allowAll(seen) },
		);
		assert.equal(cloned.commit, other.commitOf());
		assert.equal(cloned.fetchedFrom, `${first.url}/other.git`);
		assert.deepEqual(seen, [{ from: `${first.url}/clean.git`, to: `${first.url}/other.git` }]);
		// Before the guard passed it, nothing was asked of the target.
		const asked = first.requests.slice(before).map((request) => request.url);
		const firstProbe = first.requests
			.slice(before)
			.findIndex((request) => request.userAgent?.includes('redirect-probe'));
		assert.ok(firstProbe > 0, 'git asked first, then the probe');
		assert.ok(
			asked.slice(0, firstProbe).every((url) => url.startsWith('/clean.git')),
			asked.join(' '),
		);
	});

	it('makes git fail on a redirect the probe did not see, instead of following it', async () => {
		// The server answers the probe honestly and redirects git itself: a bait and switch.
		rules = [{ from: '/clean.git', to: `${second.url}/other.git`, userAgent: 'git/2' }];
		const before = second.requests.length;
		await rejectsCode(git.lsRemote(`${first.url}/clean.git`), 'GIT_REDIRECT_REFUSED');
		await rejectsCode(
			git.clone({ url: `${first.url}/clean.git`, dest: dest() }),
			'GIT_REDIRECT_REFUSED',
		);
		assert.equal(second.requests.length, before);
	});

	it("never follows a redirect because the user's config says so for that address", async () => {
		// `http.<url>.followRedirects` is more specific than the plain key Vouch sets, and git
		// lets the more specific one win, from any config file or from the environment.
		rules = [{ from: '/clean.git', to: `${second.url}/other.git` }];
		const config = join(root, 'follow.gitconfig');
		writeFileSync(config, `[http "${first.url}/"]\n\tfollowRedirects = true\n`);
		const environments = [
			testGitEnv({ GIT_CONFIG_GLOBAL: config }),
			testGitEnv({
				GIT_CONFIG_COUNT: '1',
				GIT_CONFIG_KEY_0: `http.${first.url}/clean.git.followRedirects`,
				GIT_CONFIG_VALUE_0: 'true',
			}),
		];
		for (const env of environments) {
			const configured = createGit({ env, cwd: root });
			const before = second.requests.length;
			await rejectsCode(configured.lsRemote(`${first.url}/clean.git`), 'GIT_REDIRECT_REFUSED');
			await rejectsCode(
				configured.clone({ url: `${first.url}/clean.git`, dest: dest() }),
				'GIT_REDIRECT_REFUSED',
			);
			assert.equal(second.requests.length, before, 'the target was never asked');
		}
	});

	it("reports the address git's url.<base>.insteadOf rewrite really fetches from", async () => {
		rules = [];
		const config = join(root, 'rewrite.gitconfig');
		writeFileSync(config, `[url "${first.url}/"]\n\tinsteadOf = short:\n`);
		const rewriting = createGit({
			env: testGitEnv({ GIT_CONFIG_GLOBAL: config }),
			cwd: root,
			allowInsecureTransport: true,
		});
		const target = `${first.url}/other.git`;
		const refs = await rewriting.lsRemote('short:other.git');
		assert.equal(refs.fetchedFrom, target);
		const dir = dest();
		const cloned = await rewriting.clone({ url: 'short:other.git', dest: dir });
		assert.equal(cloned.commit, other.commitOf());
		assert.equal(cloned.fetchedFrom, target);
		assert.equal((await rewriting.fetch({ dir })).fetchedFrom, target);
		// An address no rewrite touches is reported as before: not at all.
		assert.equal((await rewriting.lsRemote(target)).fetchedFrom, undefined);
	});

	it('follows the origin of a clone when fetching, through the same guard', async () => {
		rules = [];
		const dir = dest();
		await git.clone({ url: `${first.url}/clean.git`, dest: dir });
		rules = [{ from: '/clean.git', to: '/other.git' }];
		await rejectsCode(git.fetch({ dir }), 'GIT_REDIRECT_REFUSED');
		const seen: RedirectHop[] = [];
		const fetched = await git.fetch({ dir }, { redirectGuard: allowAll(seen) });
		assert.equal(fetched.commit, other.commitOf());
		assert.equal(fetched.fetchedFrom, `${first.url}/other.git`);
	});
});
