/**
 * D27 for local clones, as an attacker who keeps a blacklisted repository on disk: a copy of
 * a copy must still answer for the remote the first copy came from. The origins here are read
 * by a stand-in for `src/git` (the end-to-end tests run real git: see the CLI's
 * `http-redirect.slow.test.ts`); this holds how the chain is walked.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
	localOrigin,
	localOrigins,
	MAX_LOCAL_ORIGIN_HOPS,
} from '../../src/lifecycle/local-origin.ts';

const BAD = 'https://github.com/badorg/plugin';

/** Origins by directory; a directory missing from the map is not a repository. */
function gitWith(origins: Record<string, string | undefined>) {
	const asked: string[] = [];
	return {
		asked,
		async remoteUrl(dir: string): Promise<string | undefined> {
			asked.push(dir);
			if (!(dir in origins)) throw new Error(`${dir} is not a git repository`);
			return origins[dir];
		},
	};
}

describe('localOrigins (D27)', () => {
	it('follows a copy of a copy back to the remote it came from', async () => {
		const git = gitWith({ '/home/u/b': '/home/u/a', '/home/u/a': BAD });
		assert.deepEqual(await localOrigins('/home/u/b', git), ['/home/u/a', BAD]);
		assert.equal(await localOrigin('/home/u/b', git), BAD);
	});

	it('follows file:// origins and .git directories as the paths git reads', async () => {
		const git = gitWith({ '/c': 'file://host/srv/a/.git', '/srv/a': BAD });
		assert.deepEqual(await localOrigins('/c', git), ['file://host/srv/a/.git', BAD]);
	});

	it('asks nothing for a remote address, and stops at a copy without an origin', async () => {
		const git = gitWith({ '/b': '/a', '/a': undefined });
		assert.deepEqual(await localOrigins(BAD, git), []);
		assert.deepEqual(git.asked, []);
		assert.deepEqual(await localOrigins('/b', git), ['/a']);
	});

	it('stops where a further copy is gone, keeping what it found', async () => {
		const git = gitWith({ '/b': '/gone' });
		assert.deepEqual(await localOrigins('/b', git), ['/gone']);
	});

	it('still fails when the source itself cannot be read', async () => {
		await assert.rejects(localOrigins('/nowhere', gitWith({})), /not a git repository/);
	});

	it('ends a cycle, and a chain longer than the bound', async () => {
		const cycle = gitWith({ '/a': '/b', '/b': '/a' });
		assert.deepEqual(await localOrigins('/a', cycle), ['/b', '/a']);
		const long: Record<string, string> = {};
		for (let i = 0; i < 50; i++) long[`/c${i}`] = `/c${i + 1}`;
		const chain = await localOrigins('/c0', gitWith(long));
		assert.equal(chain.length, MAX_LOCAL_ORIGIN_HOPS);
	});

	it('does not follow a relative origin, which git reads against another directory', async () => {
		const git = gitWith({ '/b': '../a', '/a': BAD });
		assert.deepEqual(await localOrigins('/b', git), ['../a']);
	});
});
