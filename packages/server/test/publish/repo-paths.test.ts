/** Which repository files are served, and which never change once published. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isImmutablePath, isPublishedPath } from '../../src/publish/repo-paths.ts';

const SHA = 'ab'.repeat(32);

test('consistent-snapshot names and full tiles are immutable; the rest is replaced', () => {
	const cases: [string, boolean][] = [
		['metadata/1.root.json', true],
		['metadata/12.targets.json', true],
		['metadata/3.snapshot.json', true],
		[`targets/${SHA}.registry.json`, true],
		[`targets/scan-reports/plugin/${SHA}.0123abcd.json`, true],
		['log/tile/0/000', true],
		['log/tile/1/x001/234', true],
		['log/tile/entries/000', true],
		['metadata/timestamp.json', false],
		['metadata/root.json', false],
		['metadata/0.root.json', false],
		['metadata/1.timestamp.json', false],
		['log/checkpoint', false],
		['log/tile/0/000.p/5', false],
		['log/tile/entries/x001/000.p/255', false],
		['targets/registry.json', false],
		[`targets/${SHA.slice(1)}.registry.json`, false],
	];
	for (const [path, immutable] of cases) assert.equal(isImmutablePath(path), immutable, path);
});

test('the pending root and paths that climb out are never served', () => {
	assert.equal(isPublishedPath('pending-root.json'), false);
	assert.equal(isPublishedPath('metadata/../../etc/passwd'), false);
	assert.equal(isPublishedPath('metadata//timestamp.json'), false);
	assert.equal(isPublishedPath('/metadata/timestamp.json'), false);
	assert.equal(isPublishedPath('metadata/timestamp.json'), true);
});
