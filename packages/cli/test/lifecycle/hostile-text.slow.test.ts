/**
 * Hostile text in every field a registry, a manifest or a git server controls, run through the
 * commands that show it (D24): no escape sequence, control character, carriage return or bidi
 * control reaches the terminal raw, in text output or in `--json`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CliRun } from '../helpers/cli.ts';
import { createWorld, registryEntry, type World } from './world.ts';

/** An OSC 8 link, a screen clear, a bare CR, a C1 CSI, a bidi override and a zero-width space. */
const HOSTILE =
	'X\u001b]8;;https://evil.example/\u0007link\u001b]8;;\u0007\u001b[2J\r\u009b31m\u202eY\u200bZ';
const UUID = '3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b';
const BAD_UUID = '4f5a6b7c-8d9e-4f0a-9b1c-2d3e4f5a6b7c';

// biome-ignore lint/suspicious/noControlCharactersInRegex: what must never reach a terminal raw.
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

let world: World;

function assertInert(run: CliRun, what: string): void {
	for (const [stream, text] of [
		['stdout', run.stdout],
		['stderr', run.stderr],
	] as const) {
		const found = RAW.exec(text);
		assert.equal(
			found,
			null,
			`${what} (${stream}) has U+${found?.[0].codePointAt(0)?.toString(16)} at ${found?.index}: ${JSON.stringify(text.slice(Math.max(0, (found?.index ?? 0) - 60), (found?.index ?? 0) + 20))}`,
		);
	}
}

describe('hostile text never reaches the terminal raw', () => {
	before(async () => {
		world = await createWorld();
		const spec = { name: 'hostile', uuid: UUID };
		const plugin = world.serve(spec);
		plugin.repo.commit({
			'MANIFEST.toml': `uuid = "${UUID}"\nname = ${JSON.stringify(HOSTILE)}\ndescription = ${JSON.stringify(HOSTILE)}\nauthors = [${JSON.stringify(HOSTILE)}]\nversion = "1.0.0"\napi = ["3.0"]\n`,
		});
		plugin.repo.tag('v1.0.0', { message: HOSTILE });
		world.publish(plugin);
		const bad = world.serve({ name: 'bad', uuid: BAD_UUID });
		world.publish(bad);
		world.writeRegistry(
			[
				registryEntry(plugin, spec, {
					name: HOSTILE,
					description: HOSTILE,
					authors: [HOSTILE],
					refs: [{ name: 'main', description: HOSTILE }],
				}),
				registryEntry(bad, { name: 'bad', uuid: BAD_UUID }, { name: HOSTILE }),
			],
			[
				{
					uuid: BAD_UUID,
					url: bad.url,
					reason: HOSTILE,
					// The schema refuses controls in advice; what else it allows is tried.
					advice: 'Rotate\u202e the \u200btokens',
					blacklisted_at: '2026-01-01T00:00:00Z',
				},
			],
		);
	});
	after(() => world.close());

	it('in the commands that read the registry', async () => {
		const registry = ['--registry', world.registryFile];
		const runs: [string, string[]][] = [
			['search', ['search', 'hostile', ...registry]],
			['browse', ['browse', ...registry]],
			['info', ['info', 'hostile', ...registry]],
			['info bad', ['info', 'bad', ...registry]],
			['blacklist', ['blacklist', ...registry]],
			['check-blacklist', ['check-blacklist', BAD_UUID, ...registry]],
		];
		for (const [what, args] of runs) {
			const run = await world.vouch(args);
			assertInert(run, what);
			// The text is shown, cleaned: the link's words stay, the bidi override is a marker.
			if (what !== 'check-blacklist') assert.match(run.stdout, /Xlink31m\ufffdY\ufffdZ/, what);
			assertInert(await world.vouch([...args, '--json']), `${what} --json`);
		}
	});

	it('in install, list, info and startup-check of an installed plugin', async () => {
		const registry = ['--registry', world.registryFile];
		const declined = await world.vouch(['install', 'hostile', ...registry], { stdin: 'n\n' });
		assertInert(declined, 'declined install');
		const installed = await world.vouch(['install', 'hostile', ...registry, '--yes']);
		assert.equal(installed.code, 0, installed.stdout + installed.stderr);
		assertInert(installed, 'install');
		for (const [what, args] of [
			['list', ['list', ...registry]],
			['info', ['info', UUID, ...registry]],
			['startup-check', ['startup-check', ...registry]],
			['check-updates', ['check-updates', ...registry]],
			['update', ['update', '--all', ...registry, '--yes']],
		] as [string, string[]][]) {
			assertInert(await world.vouch(args), what);
			assertInert(await world.vouch([...args, '--json']), `${what} --json`);
		}
		const bad = await world.vouch(['install', 'bad', ...registry, '--yes']);
		assert.equal(bad.code, 3);
		assertInert(bad, 'blocked install');
	});
});
