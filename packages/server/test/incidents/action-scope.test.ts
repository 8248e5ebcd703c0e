/**
 * An action blocks only what its incident is about: a maintainer cannot file a block of an
 * unrelated plugin, or of another owner, under an incident whose page, appeal and evidence are
 * about something else.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachEngine } from '../engines.ts';
import {
	ALICE,
	blacklistEntries,
	malwareReport,
	openWorld,
	PLUGINS,
	rejectsWith,
	type World,
} from './world.ts';

async function actionCount(world: World): Promise<number> {
	const rows = await world.database.db.selectFrom('incident_actions').select('id').execute();
	return rows.length;
}

describe('action scope', () => {
	it('an incident about one plugin cannot block another plugin or another owner', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const { incidentId } = await world.service.submitReport(
					malwareReport(PLUGINS.community.id),
					{ clientAddress: '198.51.100.7' },
				);
				for (const kind of ['soft_quarantine', 'hard_blacklist'] as const) {
					await rejectsWith(
						world.service.requestAction(
							incidentId,
							kind,
							{ pluginId: PLUGINS.official.id },
							ALICE,
							'Blocking something else',
						),
						'BAD_REQUEST',
					);
				}
				await rejectsWith(
					world.service.requestAction(
						incidentId,
						'version_block',
						{ pluginId: PLUGINS.trusted.id, versions: '>=0' },
						ALICE,
						'Blocking something else',
					),
					'BAD_REQUEST',
				);
				await rejectsWith(
					world.service.requestAction(
						incidentId,
						'author_block',
						{ ownerUrl: 'https://github.com/picard/' },
						ALICE,
						'Blocking another owner',
					),
					'BAD_REQUEST',
				);
				assert.equal(await actionCount(world), 0);
				assert.deepEqual(await blacklistEntries(world.store), []);

				// Its own plugin, and its own plugin's owner, are in scope.
				const own = await world.service.requestAction(
					incidentId,
					'soft_quarantine',
					{ pluginId: PLUGINS.community.id },
					ALICE,
					'Until we know',
				);
				assert.equal(own.state, 'applied');
				const owner = await world.service.requestAction(
					incidentId,
					'author_block',
					{ ownerUrl: 'https://github.com/someone' },
					ALICE,
					'The owner account was taken over',
				);
				assert.equal(owner.state, 'awaiting_approval');
			} finally {
				await world.close();
			}
		});
	});

	it('an author incident acts under its owner only; a several-plugin incident on its plugins', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const author = await world.service.openIncident(
					{
						grouping: 'author',
						pluginIds: [],
						ownerUrl: 'https://github.com/someone/',
						title: 'Owner account taken over',
						reason: 'Takeover reported',
					},
					ALICE,
				);
				await rejectsWith(
					world.service.requestAction(
						author.id,
						'hard_blacklist',
						{ pluginId: PLUGINS.official.id },
						ALICE,
						'Not this owner',
					),
					'BAD_REQUEST',
				);
				await rejectsWith(
					world.service.requestAction(
						author.id,
						'author_block',
						{ ownerUrl: 'https://github.com/picard' },
						ALICE,
						'Not this owner',
					),
					'BAD_REQUEST',
				);
				const under = await world.service.requestAction(
					author.id,
					'soft_quarantine',
					{ pluginId: PLUGINS.community.id },
					ALICE,
					'One of the owner’s plugins',
				);
				assert.equal(under.state, 'applied');

				const several = await world.service.openIncident(
					{
						grouping: 'plugin',
						pluginIds: [PLUGINS.trusted.id, PLUGINS.official.id],
						title: 'One indicator in two plugins',
						reason: 'Hunt result',
					},
					ALICE,
				);
				await rejectsWith(
					world.service.requestAction(
						several.id,
						'soft_quarantine',
						{ pluginId: PLUGINS.community.id },
						ALICE,
						'Not found by the hunt',
					),
					'BAD_REQUEST',
				);
				const named = await world.service.requestAction(
					several.id,
					'soft_quarantine',
					{ pluginId: PLUGINS.official.id },
					ALICE,
					'Found by the hunt',
				);
				assert.equal(named.state, 'applied');
			} finally {
				await world.close();
			}
		});
	});
});
