/**
 * A version block an incident action holds matches a range against the version a client reads
 * from the installed tag, under the registry's versioning scheme for the plugin (a tag that is
 * no version of the scheme names none), and against the manifest's version, which the plugin's
 * author writes. One maintainer giving the plugin a scheme its tags do not follow would leave
 * the range only the author's word to read: a release whose manifest claims a version outside
 * the range would install again, with no lift. The scheme of a plugin such a block holds stays
 * as it was (or is dropped, which reads every tag), by edit or by replacement.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileBlacklist } from '@vouch/library/internal/blacklist/compile';
import { versionFacts } from '@vouch/library/internal/lifecycle/version-facts';
import { planPluginEdit } from '@vouch/library/internal/registry/edit/plugin-plans';
import { forEachEngine } from '../engines.ts';
import {
	ALICE,
	BOB,
	blacklistEntries,
	malwareReport,
	openWorld,
	PLUGINS,
	ROOT,
	registryText,
	rejectsWith,
	type World,
} from './world.ts';

/** Whether a client holding `tag` (its manifest claiming 9.0.0) is blocked, as the registry is now. */
async function taggedCopyBlocked(world: World, tag: string): Promise<boolean> {
	const registry = (await world.store.registry())?.registry;
	const entry = registry?.plugins.find((plugin) => plugin.id === PLUGINS.trusted.id);
	const facts = versionFacts('9.0.0', { ref: tag, refType: 'tag' }, entry);
	const compiled = compileBlacklist(await blacklistEntries(world.store));
	return compiled.check({ uuid: PLUGINS.trusted.uuid, url: PLUGINS.trusted.url, ...facts }).blocked;
}

async function versionBlocked(world: World): Promise<void> {
	const { incidentId } = await world.service.submitReport(malwareReport(PLUGINS.trusted.id), {
		clientAddress: '198.51.100.7',
	});
	await world.service.transition(incidentId, 'investigating', ALICE, 'Reading');
	const block = await world.service.requestAction(
		incidentId,
		'version_block',
		{ versions: '>=1.5.0 <1.6.0' },
		ALICE,
		'The 1.5 releases carry the payload',
	);
	assert.equal(block.state, 'awaiting_approval');
	await world.service.approveAction(block.actionId, BOB, 'Saw it too');
}

function rescheme(world: World, scheme: string) {
	return world.store.edit(
		(context) =>
			planPluginEdit(context, PLUGINS.trusted.id, {
				versioningScheme: scheme,
				reason: 'Tags are dates now',
			}),
		ALICE,
	);
}

describe('a held version block keeps the versioning scheme it reads tags by', () => {
	it('one maintainer cannot give the plugin a scheme its tags do not follow', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				await versionBlocked(world);
				assert.equal(await taggedCopyBlocked(world, 'v1.5.0'), true);
				const revision = (await world.store.document())?.revision;

				await rejectsWith(rescheme(world, 'calver'), 'HELD_BY_INCIDENT');
				await rejectsWith(rescheme(world, 'regex:^release-'), 'HELD_BY_INCIDENT');
				assert.equal((await world.store.document())?.revision, revision, 'nothing was written');
				assert.equal(await taggedCopyBlocked(world, 'v1.5.0'), true, 'the 1.5 copy stays blocked');

				// The same through a replacement of the whole document.
				const text = (await world.store.document())?.text ?? '';
				const replaced = text.replace(
					`git_url = "${PLUGINS.trusted.url}"`,
					`git_url = "${PLUGINS.trusted.url}"\nversioning_scheme = "calver"`,
				);
				assert.notEqual(replaced, text);
				await rejectsWith(world.store.importText(replaced, ROOT, 'Resync'), 'HELD_BY_INCIDENT');

				// Other plugins' schemes, and the held plugin's other fields, are free.
				await world.store.edit(
					(context) =>
						planPluginEdit(context, PLUGINS.community.id, { versioningScheme: 'calver' }),
					ALICE,
				);
				await world.store.edit(
					(context) =>
						planPluginEdit(context, PLUGINS.trusted.id, { categories: ['metadata', 'other'] }),
					ALICE,
				);
			} finally {
				await world.close();
			}
		});
	});

	it('dropping the scheme reads every tag, and goes through', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const withScheme = registryText().replace(
					`git_url = "${PLUGINS.trusted.url}"`,
					`git_url = "${PLUGINS.trusted.url}"\nversioning_scheme = "semver"`,
				);
				await world.store.importText(withScheme, ROOT, 'Schemes');
				await versionBlocked(world);
				await rescheme(world, '');
				assert.equal(await taggedCopyBlocked(world, 'v1.5.0'), true);
			} finally {
				await world.close();
			}
		});
	});

	it('nor while the block waits for its second maintainer', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const { incidentId } = await world.service.submitReport(malwareReport(PLUGINS.trusted.id), {
					clientAddress: '198.51.100.7',
				});
				await world.service.transition(incidentId, 'investigating', ALICE, 'Reading');
				const block = await world.service.requestAction(
					incidentId,
					'version_block',
					{ versions: '>=1.5.0 <1.6.0' },
					ALICE,
					'The 1.5 releases carry the payload',
				);
				assert.equal(block.state, 'awaiting_approval');
				// Free now, the scheme would be in place when the second maintainer approves, and
				// the approved range would read the 1.5 tags as no version at all.
				await rejectsWith(rescheme(world, 'calver'), 'HELD_BY_INCIDENT');
				const text = (await world.store.document())?.text ?? '';
				await rejectsWith(
					world.store.importText(
						text.replace(
							`git_url = "${PLUGINS.trusted.url}"`,
							`git_url = "${PLUGINS.trusted.url}"\nversioning_scheme = "calver"`,
						),
						ROOT,
						'Resync',
					),
					'HELD_BY_INCIDENT',
				);
				await world.service.approveAction(block.actionId, BOB, 'Saw it too');
				assert.equal(await taggedCopyBlocked(world, 'v1.5.0'), true, 'the 1.5 copy is blocked');
			} finally {
				await world.close();
			}
		});
	});
});
