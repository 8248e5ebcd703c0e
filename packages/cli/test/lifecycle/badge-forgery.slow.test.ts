/**
 * A plugin named to look like an official one (`Nice 🛡️ official`, zero-width characters, bidi
 * overrides) cannot forge a badge in what install, its prompt, list, update, check-updates,
 * enable, disable and startup-check print.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CliRun } from '../helpers/cli.ts';
import { createWorld, type PluginSpec, registryEntry, type World } from './world.ts';

let world: World;
const SPEC: PluginSpec = {
	name: 'Nice 🛡️ official\u200b✓ trusted\u202e',
	uuid: '5d6e7f8a-9b0c-4d1e-8f2a-4b5c6d7e8f90',
};
/** Vouch's official and trusted badges, and what hides or reorders text. */
const FORGERY = /[\u{1f6e1}\u2714\u2705\u200b-\u200d\u2060\u202a-\u202e\u2066-\u2069]/u;

function assertNotForged(run: CliRun, what: string): void {
	const text = run.stdout + run.stderr;
	assert.doesNotMatch(text, FORGERY, `${what}:\n${text}`);
	// Vouch's ✓ marks success at the start of a line; never inside the plugin's name.
	for (const quoted of text.match(/"[^"\n]*"/g) ?? []) {
		assert.doesNotMatch(quoted, /✓/, `${what}: ${quoted}`);
	}
}

describe('trust badges cannot be forged by a plugin name', () => {
	before(async () => {
		world = await createWorld();
		const served = world.serve({ ...SPEC, name: 'forger' });
		// The manifest carries the forged name; the registry entry says community.
		served.repo.commit({
			'MANIFEST.toml': `uuid = "${SPEC.uuid}"\nname = ${JSON.stringify(SPEC.name)}\ndescription = "Looks official 🛡️"\napi = ["3.0"]\n`,
		});
		world.publish(served);
		world.writeRegistry([registryEntry(served, { ...SPEC, name: 'forger' })]);
	});
	after(() => world.close());

	it('in the install prompt and result', async () => {
		const declined = await world.vouch(['install', 'forger', '--registry', world.registryFile], {
			stdin: 'n\n',
		});
		assert.equal(declined.code, 130, declined.stdout + declined.stderr);
		assertNotForged(declined, 'declined install');
		assert.match(
			declined.stdout + declined.stderr,
			/⚠️ community plugin "Nice official\ufffd trusted\ufffd"/,
		);
		const run = await world.vouch(['install', 'forger', '--registry', world.registryFile, '--yes']);
		assert.equal(run.code, 0, run.stdout + run.stderr);
		assertNotForged(run, 'install');
		assert.match(run.stdout, /Installed ⚠️ community plugin "Nice official\ufffd trusted\ufffd"/);
	});

	it('in list, update, check-updates, disable, enable and startup-check', async () => {
		const registry = ['--registry', world.registryFile];
		for (const args of [
			['list', ...registry],
			['update', 'forger', ...registry, '--yes'],
			['check-updates', ...registry],
			['disable', 'forger'],
			['enable', 'forger', ...registry, '--yes'],
			['startup-check', ...registry],
		]) {
			const run = await world.vouch(args);
			assert.equal(run.code, 0, `${args.join(' ')}: ${run.stdout}${run.stderr}`);
			assertNotForged(run, args.join(' '));
		}
		const list = await world.vouch(['list', ...registry]);
		assert.match(list.stdout, /^⚠️ community\s+"Nice official\ufffd trusted\ufffd"/m);
	});
});
