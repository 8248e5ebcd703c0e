/**
 * D27 for local clones, as an attacker who keeps a blacklisted repository on disk: a copy of
 * a copy must still answer for the remote the first copy came from, under the address as
 * written and as git rewrites it. The origins here are read by a stand-in for `src/git` (the
 * end-to-end tests run real git: see the CLI's `http-redirect.slow.test.ts`); this holds how
 * the chain is walked.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { localOrigins, MAX_LOCAL_ORIGIN_HOPS } from '../../src/lifecycle/local-origin.ts';

const BAD = 'https://github.com/badorg/plugin';

/** A disk without symlinks: every path is its own real path. */
const asIs = async (path: string) => path;

/**
 * Origins by directory, and git's rewrites of them (`url.<base>.insteadOf`); a directory
 * missing from the map is not a repository.
 */
function gitWith(
	origins: Record<string, string | undefined>,
	rewrites: Record<string, string> = {},
) {
	const asked: string[] = [];
	const stored = async (dir: string): Promise<string | undefined> => {
		asked.push(dir);
		if (!(dir in origins)) throw new Error(`${dir} is not a git repository`);
		return origins[dir];
	};
	return {
		asked,
		remoteUrl: stored,
		async originFetchUrl(dir: string): Promise<string | undefined> {
			const origin = await stored(dir);
			return origin === undefined ? undefined : (rewrites[origin] ?? origin);
		},
	};
}

describe('localOrigins (D27)', () => {
	it('follows a copy of a copy back to the remote it came from', async () => {
		const git = gitWith({ '/home/u/b': '/home/u/a', '/home/u/a': BAD });
		assert.deepEqual(await localOrigins('/home/u/b', git, asIs), {
			addresses: ['/home/u/a', BAD],
			origin: BAD,
		});
	});

	it('answers for an origin as written and as git rewrites it', async () => {
		// A shorthand names no host until git rewrites it.
		const short = gitWith({ '/c': 'gh:badorg/plugin' }, { 'gh:badorg/plugin': BAD });
		assert.deepEqual(await localOrigins('/c', short, asIs), {
			addresses: ['gh:badorg/plugin', BAD],
			origin: 'gh:badorg/plugin',
			fetchedOrigin: BAD,
		});
		// A mirror rewrite must not hide the address the blacklist names.
		const mirror = 'https://mirror.example/badorg/plugin';
		const mirrored = gitWith({ '/c': BAD }, { [BAD]: mirror });
		assert.deepEqual((await localOrigins('/c', mirrored, asIs)).addresses, [BAD, mirror]);
		// A rewrite to a local path is followed like one written there.
		const toPath = gitWith({ '/c': 'mine:plugin', '/srv/a': BAD }, { 'mine:plugin': '/srv/a' });
		assert.deepEqual((await localOrigins('/c', toPath, asIs)).addresses, [
			'mine:plugin',
			'/srv/a',
			BAD,
		]);
	});

	it('follows file:// origins and .git directories as the paths git reads', async () => {
		const git = gitWith({ '/c': 'file://host/srv/a/.git', '/srv/a': BAD });
		assert.deepEqual((await localOrigins('/c', git, asIs)).addresses, [
			'file://host/srv/a/.git',
			'/srv/a',
			BAD,
		]);
	});

	it('asks nothing for a remote address, and stops at a copy without an origin', async () => {
		const git = gitWith({ '/b': '/a', '/a': undefined });
		assert.deepEqual(await localOrigins(BAD, git, asIs), { addresses: [] });
		assert.deepEqual(git.asked, []);
		assert.deepEqual(await localOrigins('/b', git, asIs), { addresses: ['/a'], origin: '/a' });
	});

	it('stops where a further copy is gone, keeping what it found', async () => {
		const git = gitWith({ '/b': '/gone' });
		assert.deepEqual((await localOrigins('/b', git, asIs)).addresses, ['/gone']);
	});

	it('still fails when the source itself cannot be read', async () => {
		await assert.rejects(localOrigins('/nowhere', gitWith({}), asIs), /not a git repository/);
	});

	it('ends a cycle, and a chain longer than the bound', async () => {
		const cycle = gitWith({ '/a': '/b', '/b': '/a' });
		assert.deepEqual((await localOrigins('/a', cycle, asIs)).addresses, ['/b', '/a']);
		const long: Record<string, string> = {};
		for (let i = 0; i < 50; i++) long[`/c${i}`] = `/c${i + 1}`;
		const chain = await localOrigins('/c0', gitWith(long), asIs);
		assert.equal(chain.addresses.length, MAX_LOCAL_ORIGIN_HOPS);
	});

	it('does not follow a relative origin, which git reads against another directory', async () => {
		const git = gitWith({ '/b': '../a', '/a': BAD });
		assert.deepEqual((await localOrigins('/b', git, asIs)).addresses, ['../a']);
	});

	it('knows a local origin by its real path, and records that one', async () => {
		// `/srv/innocent.git` is a symlink to the blacklisted `/srv/repos/evil.git`.
		const links: Record<string, string> = { '/srv/innocent.git': '/srv/repos/evil.git' };
		const realPath = async (path: string) => links[path] ?? path;
		const git = gitWith({ '/c': '/srv/innocent.git', '/srv/repos/evil.git': undefined });
		assert.deepEqual(await localOrigins('/c', git, realPath), {
			addresses: ['/srv/innocent.git', '/srv/repos/evil.git'],
			origin: '/srv/repos/evil.git',
		});
		// The chain goes on from the real repository.
		const further = gitWith({ '/c': '/srv/innocent.git', '/srv/repos/evil.git': BAD });
		assert.deepEqual((await localOrigins('/c', further, realPath)).addresses, [
			'/srv/innocent.git',
			'/srv/repos/evil.git',
			BAD,
		]);
	});
});
