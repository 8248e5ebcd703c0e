/**
 * An author block waits for its second maintainer (it is a mass action), and its entry is a
 * pattern on the owner's URL: it blocks whatever the registry lists under that owner when it
 * lands. Were the owner's plugins free to move while it waits, one maintainer could point each
 * of them at another owner's address (a `git_url` edit, or a removal and a re-add elsewhere)
 * before the second approves: the approved pattern would then match none of them, new installs
 * would fetch the new addresses with the plugins' trust, and the incident would never show it.
 * So a waiting author block holds every plugin listed under its owner, as a waiting plugin block
 * holds its plugin: a move within the owner goes through, a move out or a removal is refused
 * until the request is decided, and refusing it on the incident's record frees them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileBlacklist } from '@vouch/library/internal/blacklist/compile';
import {
	planPluginEdit,
	planPluginRemove,
} from '@vouch/library/internal/registry/edit/plugin-plans';
import { forEachEngine } from '../engines.ts';
import {
	ALICE,
	BOB,
	blacklistEntries,
	CAROL,
	malwareReport,
	openWorld,
	PLUGINS,
	registryText,
	rejectsWith,
	type World,
} from './world.ts';

const ESCAPED = 'https://github.com/elsewhere/lyrics-fetcher';

function moveTo(world: World, pluginId: string, url: string) {
	return world.store.edit(
		(context) => planPluginEdit(context, pluginId, { gitUrl: url, reason: 'Moved' }),
		CAROL,
	);
}

async function awaitingAuthorBlock(world: World): Promise<number> {
	const { incidentId } = await world.service.submitReport(malwareReport(PLUGINS.community.id), {
		clientAddress: '198.51.100.7',
	});
	await world.service.transition(incidentId, 'investigating', ALICE, 'Reading');
	const block = await world.service.requestAction(
		incidentId,
		'author_block',
		{},
		ALICE,
		'Every repository of this account ships the payload',
	);
	assert.equal(block.state, 'awaiting_approval');
	return block.actionId;
}

describe('a waiting author block holds the owner’s plugins', () => {
	it('refuses a move out of the owner or a removal, and the approved block covers them', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const actionId = await awaitingAuthorBlock(world);
				await assert.rejects(moveTo(world, PLUGINS.community.id, ESCAPED), (error: unknown) => {
					const failure = error as {
						code?: string;
						details?: { held?: { action: number; plugin: string; url: string | null }[] };
					};
					assert.equal(failure.code, 'HELD_BY_INCIDENT', String(error));
					assert.equal(failure.details?.held?.[0]?.action, actionId);
					assert.equal(failure.details?.held?.[0]?.plugin, PLUGINS.community.id);
					assert.equal(failure.details?.held?.[0]?.url, ESCAPED);
					return true;
				});
				await rejectsWith(
					world.store.edit(
						(context) => planPluginRemove(context, PLUGINS.trusted.id, 'Gone'),
						CAROL,
					),
					'HELD_BY_INCIDENT',
				);
				// A replacement of the whole registry is held to the same rule.
				await rejectsWith(
					world.store.importText(
						registryText().replace(PLUGINS.community.url, ESCAPED),
						CAROL,
						'Moved',
					),
					'HELD_BY_INCIDENT',
				);
				// Within the owner, or another owner's plugin: free.
				await moveTo(world, PLUGINS.community.id, `${PLUGINS.community.url}-2`);
				await moveTo(world, PLUGINS.official.id, 'https://github.com/elsewhere/bpm');

				await world.service.approveAction(actionId, BOB, 'Saw it too');
				const compiled = compileBlacklist(await blacklistEntries(world.store));
				for (const plugin of [PLUGINS.community, PLUGINS.trusted]) {
					const url = plugin === PLUGINS.community ? `${plugin.url}-2` : plugin.url;
					assert.equal(compiled.check({ uuid: plugin.uuid, url }).blocked, true, plugin.id);
				}
			} finally {
				await world.close();
			}
		});
	});

	it('refused on the incident, the request holds nothing', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const actionId = await awaitingAuthorBlock(world);
				await world.service.revertAction(actionId, CAROL, 'Only one repository is affected');
				await moveTo(world, PLUGINS.community.id, ESCAPED);
			} finally {
				await world.close();
			}
		});
	});
});
