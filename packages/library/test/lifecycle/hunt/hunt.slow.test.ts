/**
 * `registry hunt` against real local repositories listed in a Picard-format registry: every
 * published version is searched (tags, refs, a pinned commit no ref names), a file renamed
 * between versions is found under each name, a binary file never hits, an indicator that
 * starts with `-` is a pattern and not an option, a pattern RE2 refuses never reaches git, one
 * unreachable plugin does not stop the others, and a scanner rule runs on each version.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { isVouchError } from '../../../src/core/errors.ts';
import { createGit } from '../../../src/git/git.ts';
import { huntRegistry } from '../../../src/lifecycle/hunt/hunt.ts';
import { parseIndicator } from '../../../src/lifecycle/hunt/indicator.ts';
import { scanForRule } from '../../../src/lifecycle/hunt/rule-scan.ts';
import type { HuntEvent, PluginHunt } from '../../../src/lifecycle/hunt/types.ts';
import { parseRegistryText } from '../../../src/registry/parse.ts';
import {
	createPluginRepo,
	manifestToml,
	type TestRepo,
	testGitEnv,
} from '../../helpers/git-repos.ts';
import { makeTempDir } from '../../helpers/temp.ts';

const MARKER = 'steal-tokens.example';
const UUIDS: readonly [string, string, string] = [
	'1f0c6a52-3b8e-4d7a-9c21-5e4f8a7b6c01',
	'2a7d9e13-6c4b-4f8a-b1d2-7e3c9f5a8b02',
	'3b8e0f24-7d5c-4a9b-82e3-8f4d0a6b9c03',
];

interface World {
	registryText: string;
	alpha: TestRepo;
	beta: TestRepo;
	gamma: TestRepo;
	/** alpha's pinned commit that no branch or tag names. */
	orphan: string;
}

function pluginToml(id: string, uuid: string, url: string, extra = ''): string {
	return [
		'[[plugins]]',
		`id = "${id}"`,
		`uuid = "${uuid}"`,
		`name = "Plugin ${id}"`,
		'description = "Does one thing well"',
		`git_url = "${url}"`,
		'categories = ["metadata"]',
		'trust_level = "community"',
		'authors = ["Someone"]',
		'added_at = "2026-01-01T00:00:00Z"',
		'updated_at = "2026-01-02T00:00:00Z"',
		'versioning_scheme = "semver"',
		extra,
		'',
	].join('\n');
}

function buildWorld(): World {
	// alpha: clean v1.0.0; the marker arrives in v1.1.0, is renamed in v1.2.0, leaves in v1.3.0.
	// A binary file holds the marker in every version and must never hit (-I).
	const binary = `\0\0${MARKER}\0binary`;
	const alpha = createPluginRepo({
		manifest: manifestToml({ uuid: UUIDS[0] }),
		files: { 'data/blob.bin': binary },
	});
	alpha.tag('v1.0.0');
	alpha.commit({ 'evil.py': `URL = "https://${MARKER}/collect"\n` });
	alpha.tag('v1.1.0', { message: 'release 1.1.0' });
	alpha.commit({ 'evil.py': null, 'lib/helper.py': `URL = "https://${MARKER}/collect"\n` });
	alpha.tag('v1.2.0');
	alpha.commit({ 'lib/helper.py': 'URL = None\n' });
	alpha.tag('v1.3.0');
	// A reviewed commit that was never tagged, whose branch is gone: only its pin names it.
	alpha.branch('side');
	alpha.switchTo('side');
	const orphan = alpha.commit({ 'side.py': `# ${MARKER} on a side branch\n--dash-indicator\n` });
	alpha.switchTo('main');
	alpha.git(['branch', '-D', 'side']);

	// beta: the marker only on its default branch, after the last tag; a code-exec at v2.0.0.
	const beta = createPluginRepo({ manifest: manifestToml({ uuid: UUIDS[1] }) });
	beta.tag('v2.0.0');
	beta.commit({ 'run.py': 'def enable(api):\n    exec(api.payload)\n' });
	beta.tag('v2.1.0');
	beta.commit({ 'run.py': `def enable(api):\n    api.fetch("${MARKER}")\n` });

	// gamma: never has the marker.
	const gamma = createPluginRepo({ manifest: manifestToml({ uuid: UUIDS[2] }) });
	gamma.tag('v0.1.0');

	const missing = join(makeTempDir('vouch-hunt-missing-'), 'nothing-here');
	const registryText = [
		'api_version = "3.0"',
		'',
		pluginToml(
			'alpha',
			UUIDS[0],
			alpha.url,
			[
				'',
				'[[plugins.releases]]',
				'ref = "side"',
				`commit = "${orphan}"`,
				`tree = "sha256:${'0'.repeat(64)}"`,
			].join('\n'),
		),
		pluginToml('beta', UUIDS[1], beta.url),
		pluginToml('gamma', UUIDS[2], gamma.url),
		pluginToml('broken', '4c9f1a35-8e6d-4b0c-93f4-9a5e1b7c0d04', `file://${missing}`),
	].join('\n');
	return { registryText, alpha, beta, gamma, orphan };
}

function deps(events: HuntEvent[] = []) {
	const made: string[] = [];
	return {
		made,
		git: createGit({ env: testGitEnv() }),
		makeTempDir: async () => {
			const dir = await mkdtemp(join(tmpdir(), 'vouch-hunt-test-'));
			made.push(dir);
			return dir;
		},
		removeDir: (path: string) => rm(path, { recursive: true, force: true }),
		scanRule: scanForRule,
		onEvent: (event: HuntEvent) => events.push(event),
	};
}

function pluginOf(plugins: PluginHunt[], id: string): PluginHunt {
	const found = plugins.find((plugin) => plugin.id === id);
	assert.ok(found, `no result for ${id}`);
	return found;
}

/** `name → paths hit` for every version with hits. */
function hitsByVersion(plugin: PluginHunt): Record<string, string[]> {
	const out: Record<string, string[]> = {};
	for (const version of plugin.versions) {
		if (version.hits.length === 0) continue;
		out[version.names.join(',')] = version.hits.map((hit) => `${hit.path}:${hit.line}`);
	}
	return out;
}

async function gone(paths: string[]): Promise<boolean> {
	for (const path of paths) {
		if ((await readdir(path).catch(() => undefined)) !== undefined) return false;
	}
	return true;
}

describe('registry hunt', () => {
	let world: World;
	before(() => {
		world = buildWorld();
	});
	const registry = () => parseRegistryText(world.registryText, { label: 'plugins.toml' });

	it('finds a string in exactly the versions that hold it, renamed files under each name', async () => {
		const events: HuntEvent[] = [];
		const d = deps(events);
		const report = await huntRegistry(
			{ registry: registry(), indicator: parseIndicator(MARKER), jobs: 2 },
			d,
		);
		const alpha = pluginOf(report.plugins, 'alpha');
		assert.equal(alpha.status, 'searched');
		assert.deepEqual(hitsByVersion(alpha), {
			'v1.1.0': ['evil.py:1'],
			'v1.2.0': ['lib/helper.py:1'],
			'pin side': ['side.py:1'],
		});
		// Every tag, the default ref and the pin were searched, the clean ones included.
		assert.deepEqual(alpha.versions.map((v) => v.names.join(',')).sort(), [
			'main,v1.3.0',
			'pin side',
			'v1.0.0',
			'v1.1.0',
			'v1.2.0',
		]);
		assert.equal(alpha.versions.find((v) => v.names.includes('pin side'))?.commit, world.orphan);
		// The moved file is one blob: searched once although two versions hold it.
		const excerpt = alpha.versions.find((v) => v.names.includes('v1.1.0'))?.hits[0]?.excerpt;
		assert.match(excerpt ?? '', /steal-tokens\.example\/collect/);
		const beta = pluginOf(report.plugins, 'beta');
		assert.deepEqual(hitsByVersion(beta), { main: ['run.py:2'] });
		assert.deepEqual(hitsByVersion(pluginOf(report.plugins, 'gamma')), {});
		assert.equal(report.totals.pluginsWithHits, 2);
		assert.equal(report.totals.versionsWithHits, 4);
		assert.ok(events.some((e) => e.kind === 'plugin-finished' && e.id === 'alpha'));
		assert.ok(await gone(d.made), 'the caches were removed');
	});

	it('reports a plugin it cannot fetch and still searches the others', async () => {
		const report = await huntRegistry(
			{ registry: registry(), indicator: parseIndicator(MARKER), jobs: 1 },
			deps(),
		);
		const broken = pluginOf(report.plugins, 'broken');
		assert.equal(broken.status, 'failed');
		assert.equal(broken.error?.code, 'GIT_REPO_NOT_FOUND');
		assert.equal(report.totals.failed, 1);
		assert.equal(pluginOf(report.plugins, 'alpha').status, 'searched');
		assert.equal(report.totals.pluginsWithHits, 2);
	});

	it('takes an indicator that starts with a dash as a pattern, never as a git option', async () => {
		for (const text of ['--dash-indicator', '--output=/tmp/x', '-e']) {
			const report = await huntRegistry(
				{ registry: registry(), indicator: parseIndicator(text), pluginIds: ['alpha'] },
				deps(),
			);
			const alpha = pluginOf(report.plugins, 'alpha');
			assert.equal(alpha.status, 'searched', text);
			const expected = text === '--dash-indicator' ? { 'pin side': ['side.py:2'] } : {};
			assert.deepEqual(hitsByVersion(alpha), expected, text);
		}
	});

	it('searches an RE2-checked pattern, and refuses one RE2 refuses before git runs', async () => {
		const report = await huntRegistry(
			{
				registry: registry(),
				indicator: parseIndicator('re:steal-[a-z]+\\.example/(collect|send)'),
				pluginIds: ['alpha', 'beta'],
			},
			deps(),
		);
		assert.deepEqual(Object.keys(hitsByVersion(pluginOf(report.plugins, 'alpha'))).sort(), [
			'v1.1.0',
			'v1.2.0',
		]);
		assert.deepEqual(hitsByVersion(pluginOf(report.plugins, 'beta')), {});
		for (const hostile of [
			're:(a+)+\\1', // a back reference: exponential on a backtracking engine
			're:(?=steal)', // lookaround
			're:\\d+', // a Perl class that POSIX syntax reads as a plain letter
			're:a{1001}', // past RE2's repetition bound
			're:',
			'two\nlines',
			'',
		]) {
			assert.throws(
				() => parseIndicator(hostile),
				(error) => isVouchError(error) && error.code === 'HUNT_INDICATOR_INVALID',
				JSON.stringify(hostile),
			);
		}
		assert.throws(
			() => parseIndicator('rule:no-such-rule'),
			(error) => isVouchError(error) && error.code === 'HUNT_INDICATOR_INVALID',
		);
	});

	it('runs a scanner rule on each version of the plugins named', async () => {
		const d = deps();
		const report = await huntRegistry(
			{
				registry: registry(),
				indicator: parseIndicator('rule:code-exec'),
				pluginIds: ['beta', 'nobody'],
			},
			d,
		);
		assert.deepEqual(report.unknownPluginIds, ['nobody']);
		assert.equal(report.plugins.length, 1);
		const beta = pluginOf(report.plugins, 'beta');
		assert.deepEqual(hitsByVersion(beta), { 'v2.1.0': ['run.py:2'] });
		assert.equal(beta.versions.length, 3);
		assert.ok(await gone(d.made), 'the exported trees were removed');
	});

	it('still searches the tags when the server will not send a pinned commit', async () => {
		const repo = createPluginRepo({
			manifest: manifestToml({ uuid: '5d0a2b46-9f7e-4c1d-a4f5-0b6e2c8d1e05' }),
			files: { 'x.py': `# ${MARKER}\n` },
		});
		repo.tag('v1.0.0');
		const text = [
			'api_version = "3.0"',
			pluginToml(
				'delta',
				'5d0a2b46-9f7e-4c1d-a4f5-0b6e2c8d1e05',
				repo.url,
				`\n[[plugins.releases]]\nref = "v0.9.0"\ncommit = "${'f'.repeat(40)}"\ntree = "sha256:${'0'.repeat(64)}"`,
			),
		].join('\n');
		const report = await huntRegistry(
			{ registry: parseRegistryText(text, { label: 'x' }), indicator: parseIndicator(MARKER) },
			deps(),
		);
		const delta = pluginOf(report.plugins, 'delta');
		assert.equal(delta.status, 'searched');
		assert.deepEqual(hitsByVersion(delta), { 'main,v1.0.0': ['x.py:1'] });
		const pin = delta.versions.find((v) => v.names.includes('pin v0.9.0'));
		assert.equal(pin?.error?.code, 'GIT_REF_NOT_FOUND');
	});

	it('stops a plugin past its own deadline and says so', async () => {
		const report = await huntRegistry(
			{
				registry: registry(),
				indicator: parseIndicator(MARKER),
				pluginIds: ['gamma'],
				// Shorter than starting one git process: the deadline is always reached.
				limits: { pluginTimeoutMs: 1 },
			},
			deps(),
		);
		const gamma = pluginOf(report.plugins, 'gamma');
		assert.equal(gamma.status, 'failed');
		assert.equal(gamma.error?.code, 'HUNT_PLUGIN_TIMEOUT');
	});

	it('bounds what one repository may take on disk', async () => {
		const report = await huntRegistry(
			{
				registry: registry(),
				indicator: parseIndicator(MARKER),
				pluginIds: ['alpha'],
				limits: { maxRepositoryBytes: 1024 },
			},
			deps(),
		);
		const alpha = pluginOf(report.plugins, 'alpha');
		assert.equal(alpha.status, 'failed');
		assert.equal(alpha.error?.code, 'HUNT_REPOSITORY_TOO_LARGE');
	});
});
