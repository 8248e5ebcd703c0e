/** The refs `info` shows and the one it says install would choose (pure, on a listing). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RemoteListing } from '../../src/lifecycle/ports.ts';
import { refPreviewOf } from '../../src/lifecycle/ref-preview.ts';
import type { RegistryPlugin } from '../../src/registry/model.ts';
import { parseRegistryText } from '../../src/registry/parse.ts';

const C = 'c'.repeat(40);

function listing(branches: string[], tags: string[]): RemoteListing {
	return {
		head: { target: 'refs/heads/main', commit: C },
		branches: new Map(branches.map((name) => [name, C])),
		tags: new Map(tags.map((name) => [name, C])),
	};
}

function entry(extra: Record<string, unknown>): RegistryPlugin {
	const registry = parseRegistryText(
		JSON.stringify({
			api_version: '3.0',
			plugins: [
				{
					id: 'p',
					uuid: '11111111-1111-4111-8111-111111111111',
					name: 'p',
					description: 'x',
					git_url: 'https://example.org/p',
					categories: ['metadata'],
					added_at: '2026-01-01T00:00:00Z',
					updated_at: '2026-01-01T00:00:00Z',
					...extra,
				},
			],
			blacklist: [],
		}),
		{ label: 'test' },
	);
	return registry.plugins[0] as RegistryPlugin;
}

const host = { hostApiVersions: ['3.0'], includePreRelease: false };

test('an entry listing main with version tags: the newest tag, tags newest first', () => {
	const preview = refPreviewOf(
		listing(['main', 'dev'], ['v2.1', 'v2.2', 'v2.3.0-beta.1', 'junk']),
		{
			entry: entry({ refs: [{ name: 'main' }], versioning_scheme: 'semver' }),
			...host,
		},
	);
	assert.equal(preview.head, 'main');
	assert.deepEqual(preview.branches, ['dev', 'main']);
	assert.deepEqual(preview.tags, ['v2.3.0-beta.1', 'v2.2', 'v2.1', 'junk']);
	assert.equal(preview.choice?.ref, 'v2.2');
	assert.equal(preview.choice?.refType, 'tag');
});

test('without a versioning scheme the registry ref is the choice, tags or not', () => {
	const preview = refPreviewOf(listing(['main'], ['v9.0']), {
		entry: entry({ refs: [{ name: 'main' }] }),
		...host,
	});
	assert.equal(preview.choice?.ref, 'main');
	assert.equal(preview.choice?.refType, 'branch');
});

test('no ref the host can load: no choice, and why', () => {
	const preview = refPreviewOf(listing(['main'], []), {
		entry: entry({ refs: [{ name: 'main', max_api_version: '2.0' }] }),
		...host,
	});
	assert.equal(preview.choice, undefined);
	assert.ok((preview.noChoice ?? '').length > 0);
});

test('an unregistered plugin: its default branch', () => {
	const preview = refPreviewOf(listing(['main', 'x'], []), { entry: undefined, ...host });
	assert.equal(preview.choice?.ref, 'main');
	assert.equal(preview.choice?.why, 'default branch');
});
