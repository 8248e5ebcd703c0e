/**
 * Following a registry move during update (spec item 50; D7, D8): the stored URL changes, the
 * earliest original is kept across chained moves, and a fork that copied the UUID is never
 * migrated to the real plugin.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bareClone } from '../../../library/test/helpers/git-repos.ts';
import { parseJson } from '../helpers/cli.ts';
import { createWorld, registryEntry, type ServedPlugin, type World } from './world.ts';

const SPEC = { name: 'mover', uuid: 'd4e5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f7a' };
let world: World;

describe('redirects during update', () => {
	let first: ServedPlugin;
	before(async () => {
		world = await createWorld();
		first = world.serve(SPEC, 'alice/mover.git');
		world.writeRegistry([registryEntry(first, SPEC, { trust_level: 'trusted' })]);
		const run = await world.vouch([
			'install',
			'mover',
			'--registry',
			world.registryFile,
			'--yes',
			'--json',
		]);
		assert.equal(run.code, 0, run.stdout + run.stderr);
	});
	after(() => world.close());

	function moveTo(path: string, redirectFrom: string[]): string {
		const url = `${world.server.url}/${path}`;
		bareClone(first.repo, `${world.root}/served`, path);
		world.writeRegistry([
			registryEntry({ ...first, url }, SPEC, {
				trust_level: 'trusted',
				redirect_from: redirectFrom,
			}),
		]);
		return url;
	}

	it('moves to the new URL and remembers where it came from, across two moves', async () => {
		const second = moveTo('bob/mover.git', [first.url]);
		const run = await world.vouch([
			'update',
			'mover',
			'--registry',
			world.registryFile,
			'--yes',
			'--json',
		]);
		assert.equal(run.code, 0, run.stdout + run.stderr);
		let record = (await world.state()).plugins[SPEC.uuid];
		assert.equal(record?.source.url, second);
		assert.equal(record?.originalUrl, first.url);

		const third = moveTo('carol/mover.git', [first.url, second]);
		const again = await world.vouch([
			'update',
			'mover',
			'--registry',
			world.registryFile,
			'--yes',
			'--json',
		]);
		assert.equal(again.code, 0, again.stdout + again.stderr);
		record = (await world.state()).plugins[SPEC.uuid];
		assert.equal(record?.source.url, third);
		assert.equal(record?.originalUrl, first.url, 'the earliest original is kept');
		const list = parseJson(await world.vouch(['list', '--registry', world.registryFile, '--json']));
		const listed = (list.plugins as { trust: string }[])[0];
		assert.equal(listed?.trust, 'trusted', 'trust follows the plugin to its registered home');
	});
});
