/**
 * The examples run as a host developer would run them: as child processes, importing only
 * `@vouch/library`, against a real profile file, a real registry file and real plugin
 * repositories served over git's smart HTTP protocol on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
	createHostWorld,
	type HostServedPlugin,
	type HostWorld,
} from '../packages/library/test/helpers/host-world.ts';
import { exampleArgv } from './example-argv.ts';

const EXAMPLES = fileURLToPath(new URL('.', import.meta.url));
/** Where `--import tsx` is found, as when a developer runs an example from a clone (when the
 * built packages are not current: `example-argv.ts`). */
const REPOSITORY = join(EXAMPLES, '..');
const SPEC = { name: 'example-plugin', uuid: 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f' };

interface Run {
	code: number;
	stdout: string;
	stderr: string;
}

async function runExample(world: HostWorld, example: string, args: string[]): Promise<Run> {
	const script = join(EXAMPLES, example, 'main.ts');
	try {
		const { stdout, stderr } = await promisify(execFile)(
			process.execPath,
			[...exampleArgv(script), ...args],
			{ cwd: REPOSITORY, env: world.env },
		);
		return { code: 0, stdout, stderr };
	} catch (error) {
		const failed = error as { code?: number; stdout?: string; stderr?: string };
		return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
	}
}

let world: HostWorld;
let plugin: HostServedPlugin;

describe('examples', () => {
	before(async () => {
		world = await createHostWorld();
		plugin = world.serve(SPEC);
		world.writeRegistry([plugin]);
	});
	after(() => world?.close());

	it('install-one refuses without --yes and says which consent is missing', async () => {
		const run = await runExample(world, 'install-one', [world.profileFile, SPEC.name]);
		assert.equal(run.code, 4, run.stderr);
		assert.match(run.stderr, /warning: /, 'the trust warning is printed');
		assert.match(run.stderr, /hint: .*yes: true/);
		assert.deepEqual(installedUuids(), []);
	});

	it('install-one installs the plugin: files on disk and a record', async () => {
		const run = await runExample(world, 'install-one', [world.profileFile, SPEC.name, '--yes']);
		assert.equal(run.code, 0, run.stderr);
		assert.match(run.stdout, /^installed example-plugin \(community\) at /m);
		assert.match(run.stdout, /^enabled$/m);
		const path = /at (.+)$/m.exec(run.stdout)?.[1] ?? '';
		assert.ok(path.startsWith(world.pluginsDir), path);
		assert.ok(existsSync(join(path, 'MANIFEST.toml')));
		assert.ok(existsSync(join(path, '__init__.py')));
		assert.deepEqual(installedUuids(), [SPEC.uuid]);
	});

	it('host-startup-check loads the plugin while it is clean', async () => {
		const run = await runExample(world, 'host-startup-check', [world.profileFile]);
		assert.equal(run.code, 0, run.stderr);
		assert.match(run.stdout, /^load +example-plugin \(community\) /m);
		assert.match(run.stdout, /^blacklist fresh$/m);
	});

	it('host-startup-check reports a plugin blacklisted since as disabled', async () => {
		world.writeRegistry(
			[plugin],
			[{ uuid: SPEC.uuid, reason: 'Sends data away', severity: 'soft' }],
		);
		const run = await runExample(world, 'host-startup-check', [world.profileFile]);
		assert.equal(run.code, 0, run.stderr);
		assert.match(run.stdout, /^disabled +example-plugin: Sends data away \[blacklist\]$/m);
		assert.doesNotMatch(run.stdout, /^load /m);
	});
});

/** The UUIDs the profile's state file records as installed. */
function installedUuids(): string[] {
	const file = join(world.dataDir, 'state.json');
	if (!existsSync(file)) return [];
	return Object.keys(JSON.parse(readFileSync(file, 'utf8')).plugins ?? {});
}
