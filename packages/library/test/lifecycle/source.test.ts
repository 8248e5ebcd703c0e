/** Install step 1: what a target names, and where its code comes from (D6, spec item 28). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVouchError } from '../../src/core/errors.ts';
import { resolveInstallSource, type SourceContext } from '../../src/lifecycle/source.ts';
import { indexOf, pluginEntry, UUID_A, UUID_B, UUID_C } from '../registry/helpers.ts';

const index = indexOf([
	pluginEntry('tagger', UUID_A, {
		trust_level: 'official',
		git_url: 'https://github.com/example/tagger',
		redirect_from: ['https://github.com/olduser/tagger'],
		redirect_from_uuid: [UUID_C],
	}),
	pluginEntry('other', UUID_B),
]);

const directories: Record<string, 'git' | 'plain'> = {
	'/srv/work/repo': 'git',
	'/srv/work/plain': 'plain',
};

function context(overrides: Partial<SourceContext> = {}): SourceContext {
	return {
		index,
		cwd: '/srv/work',
		home: '/home/user',
		inspectDirectory: async (path) => directories[path] ?? 'missing',
		realPath: async (path) => path,
		repositoryDir: async () => undefined,
		...overrides,
	};
}

const failsWith = (code: string) => (error: unknown) => isVouchError(error) && error.code === code;

describe('resolveInstallSource', () => {
	it('installs a registry id from the entry’s current URL', async () => {
		const source = await resolveInstallSource('tagger', context());
		assert.equal(source.kind, 'git');
		assert.equal(source.url, 'https://github.com/example/tagger');
		assert.equal(source.entry?.id, 'tagger');
		assert.equal(source.matchedBy, 'id');
	});

	it('finds an entry by UUID, current or old', async () => {
		assert.equal((await resolveInstallSource(UUID_A.toUpperCase(), context())).entry?.id, 'tagger');
		const old = await resolveInstallSource(UUID_C, context());
		assert.equal(old.entry?.id, 'tagger');
		assert.equal(old.url, 'https://github.com/example/tagger');
	});

	it('keeps the spelling of a registered URL but binds it to the entry', async () => {
		const source = await resolveInstallSource('https://GitHub.com/example/tagger.git', context());
		assert.equal(source.entry?.id, 'tagger');
		assert.equal(source.url, 'https://GitHub.com/example/tagger.git');
		assert.equal(source.canonical, 'https://github.com/example/tagger');
	});

	it('binds an encoded or re-cased spelling to the entry it names (D2)', async () => {
		for (const url of [
			'https://%67ithub.com/example/tagger',
			'https://github.com/Example/TAGGER',
		]) {
			const source = await resolveInstallSource(url, context());
			assert.equal(source.entry?.id, 'tagger', url);
			assert.equal(source.canonical, 'https://github.com/example/tagger', url);
		}
	});

	it('refuses a URL whose host cannot be made canonical, before anything is fetched', async () => {
		for (const url of ['https://xn--zz/o/r', 'https://github.com@evil.example@x/o/r']) {
			await assert.rejects(
				resolveInstallSource(url, context()),
				failsWith('SOURCE_NOT_FOUND'),
				url,
			);
		}
	});

	it('moves an old URL to the entry’s current one, never trusting the old address', async () => {
		const source = await resolveInstallSource('https://github.com/olduser/tagger', context());
		assert.equal(source.url, 'https://github.com/example/tagger');
		assert.equal(source.redirectedFrom, 'https://github.com/olduser/tagger');
		assert.equal(source.matchedBy, 'redirect_url');
	});

	it('treats an unknown URL as an unregistered git source', async () => {
		const source = await resolveInstallSource('git@gitlab.com:someone/plugin.git', context());
		assert.deepEqual(source, {
			kind: 'git',
			url: 'git@gitlab.com:someone/plugin.git',
			canonical: 'ssh://gitlab.com/someone/plugin',
		});
	});

	it('clones a local repository but registers a plain directory in place', async () => {
		const repo = await resolveInstallSource('./repo', context());
		assert.deepEqual(repo, { kind: 'git', url: '/srv/work/repo', canonical: '/srv/work/repo' });
		const plain = await resolveInstallSource('~/../../srv/work/plain', context());
		assert.equal(plain.kind, 'local');
		assert.equal(plain.url, '/srv/work/plain');
		await assert.rejects(
			resolveInstallSource('./nowhere', context()),
			failsWith('SOURCE_NOT_FOUND'),
		);
	});

	it('reads a bare word as a registry id, even when a directory has that name', async () => {
		await assert.rejects(resolveInstallSource('repo', context()), failsWith('SOURCE_NOT_FOUND'));
	});

	it('without a registry, installs only URLs and paths', async () => {
		await assert.rejects(
			resolveInstallSource('tagger', context({ index: undefined })),
			failsWith('SOURCE_NOT_FOUND'),
		);
		const source = await resolveInstallSource(
			'https://github.com/example/tagger',
			context({ index: undefined }),
		);
		assert.equal(source.entry, undefined);
	});

	it('refuses what is neither a URL nor a path, remote-helper syntax included', async () => {
		await assert.rejects(resolveInstallSource('  ', context()), failsWith('SOURCE_NOT_FOUND'));
		await assert.rejects(
			resolveInstallSource('ext::sh -c id/x', context()),
			failsWith('SOURCE_NOT_FOUND'),
		);
	});
});
