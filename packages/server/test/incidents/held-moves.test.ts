/**
 * A plugin cannot be moved out from under a block an incident action holds (D22): one
 * maintainer changing its `git_url`, removing it and adding it again elsewhere, or a replacement
 * of the whole registry with the plugin at another address would leave the entry (uuid AND url,
 * or the owner's URL pattern) matching nothing, and new installs would fetch the new address
 * with the plugin's trust. Each is refused with 409 `HELD_BY_INCIDENT` on a real socket; a
 * respelling the entry still matches, other plugins' edits, and a move once the block is
 * lifted through its incident (by two maintainers where two applied it) go through.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type RunningService, startService } from '../../src/service.ts';
import { type EngineFixture, forEachEngine } from '../engines.ts';
import { PLUGINS, registryText } from './world.ts';

const clock = () => new Date('2026-06-01T12:00:00Z');
const ELSEWHERE = 'https://github.com/elsewhere/cover-art';

interface Held {
	service: RunningService;
	tokens: { alice: string; bob: string; root: string };
	close(): Promise<void>;
}

async function start(fixture: EngineFixture): Promise<Held> {
	const service = await startService({
		dataDir: fixture.options.dataDir ?? fixture.dir,
		...(fixture.options.url === undefined ? {} : { database: fixture.options.url }),
		clock,
		web: false,
		incidents: { publicBaseUrl: 'https://registry.example.org' },
	});
	await service.store.importText(registryText(), { name: 'root', role: 'admin' }, 'The registry');
	const token = async (name: string, role: 'admin' | 'maintainer') =>
		service.accounts.issueToken(await service.accounts.create(name, role), 'test');
	return {
		service,
		tokens: {
			alice: await token('alice', 'maintainer'),
			bob: await token('bob', 'maintainer'),
			root: await token('root', 'admin'),
		},
		close: () => service.close(),
	};
}

async function send(
	held: Held,
	method: string,
	path: string,
	token: string,
	body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
	const response = await fetch(`${held.service.url}/api/v1/admin${path}`, {
		method,
		headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function ok(
	held: Held,
	method: string,
	path: string,
	token: string,
	body: unknown,
): Promise<Record<string, unknown>> {
	const answer = await send(held, method, path, token, body);
	assert.ok(
		answer.status < 300,
		`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`,
	);
	return answer.body;
}

/** An action applied by alice and approved by bob; returns its id and incident. */
async function dualBlock(
	held: Held,
	pluginId: string,
	kind: 'hard_blacklist' | 'author_block',
): Promise<{ action: number; incident: number }> {
	const opened = await ok(held, 'POST', '/incidents', held.tokens.alice, {
		grouping: 'plugin',
		pluginIds: [pluginId],
		title: 'Stealing tokens',
		reason: 'Reports and a look at the code',
	});
	const incident = Number(opened.id);
	await ok(held, 'POST', `/incidents/${incident}/transition`, held.tokens.alice, {
		to: 'investigating',
		reason: 'Reading',
	});
	const taken = await ok(held, 'POST', `/incidents/${incident}/actions`, held.tokens.alice, {
		kind,
		params: { pluginId },
		reason: 'Payload in the release',
	});
	assert.equal(taken.state, 'awaiting_approval', 'two maintainers apply this block');
	const action = Number(taken.actionId);
	await ok(held, 'POST', `/actions/${action}/approve`, held.tokens.bob, { reason: 'Saw it too' });
	return { action, incident };
}

async function refusedAsHeld(
	held: Held,
	answer: { status: number; body: Record<string, unknown> },
	block: { action: number; incident: number },
	revision: number | undefined,
): Promise<void> {
	const error = answer.body.error as { code: string; message: string; hint: string };
	assert.equal(answer.status, 409, JSON.stringify(answer.body));
	assert.equal(error.code, 'HELD_BY_INCIDENT');
	assert.ok(
		error.message.includes(`(action ${block.action}, incident ${block.incident})`),
		error.message,
	);
	assert.match(error.hint, new RegExp(`/api/v1/admin/actions/${block.action}/revert`));
	assert.match(error.hint, /second maintainer/);
	assert.equal((await held.service.store.document())?.revision, revision, 'nothing was written');
}

async function revision(held: Held): Promise<number | undefined> {
	return (await held.service.store.document())?.revision;
}

function moveTo(id: string, url: string) {
	return { git_url: url, reason: `Moved ${id}` };
}

describe('a plugin cannot be moved out from under a block an incident holds', () => {
	it('a hard block two maintainers applied: no move by edit, re-add or replacement until it is lifted', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const held = await start(fixture);
			try {
				const { alice, bob, root } = held.tokens;
				const trusted = PLUGINS.trusted;
				const block = await dualBlock(held, trusted.id, 'hard_blacklist');
				const at = await revision(held);

				// One maintainer points the plugin somewhere else.
				const moved = await send(
					held,
					'PATCH',
					`/plugins/${trusted.id}`,
					alice,
					moveTo(trusted.id, ELSEWHERE),
				);
				await refusedAsHeld(held, moved, block, at);
				const details = (moved.body.error as { details: { held: unknown[] } }).details.held;
				assert.deepEqual(details, [
					{
						entry: details.length === 1 ? (details[0] as { entry: string }).entry : '',
						action: block.action,
						incident: block.incident,
						plugin: trusted.id,
						url: ELSEWHERE,
						problem: 'moved',
					},
				]);

				// A replacement of the whole document with the plugin elsewhere.
				const text = (await held.service.store.document())?.text as string;
				assert.ok(text.includes(`git_url = "${trusted.url}"`));
				const replaced = await send(held, 'PUT', '/registry', root, {
					text: text.replace(`git_url = "${trusted.url}"`, `git_url = "${ELSEWHERE}"`),
					reason: 'From the repository',
				});
				await refusedAsHeld(held, replaced, block, at);

				// Another plugin's edits go as before.
				await ok(
					held,
					'PATCH',
					`/plugins/${PLUGINS.community.id}`,
					alice,
					moveTo(PLUGINS.community.id, 'https://github.com/other/lyrics-fetcher'),
				);
				// A respelling the entry still matches (host case, `.git`) is no move.
				await ok(
					held,
					'PATCH',
					`/plugins/${trusted.id}`,
					alice,
					moveTo(trusted.id, 'https://GitHub.com/someone/cover-art.git'),
				);

				// A revert by one maintainer is only a request: the plugin stays where it is blocked.
				const revert = await send(held, 'POST', `/actions/${block.action}/revert`, alice, {
					reason: 'A false alarm',
				});
				assert.equal(revert.status, 202, JSON.stringify(revert.body));
				const waiting = await revision(held);
				await refusedAsHeld(
					held,
					await send(held, 'PATCH', `/plugins/${trusted.id}`, alice, moveTo(trusted.id, ELSEWHERE)),
					block,
					waiting,
				);

				// Removing it lifts nothing, and adding it again elsewhere is a move.
				await ok(held, 'DELETE', `/plugins/${trusted.id}`, alice, {
					reason: 'Gone',
					confirm: true,
				});
				const readd = {
					git_url: ELSEWHERE,
					manifest: { uuid: trusted.uuid.toUpperCase(), name: 'Cover art', description: 'Covers' },
					trust: 'trusted',
					reason: 'Back again',
				};
				await refusedAsHeld(
					held,
					await send(held, 'POST', '/plugins', alice, readd),
					block,
					await revision(held),
				);
				// The blocked repository back under a new name and a new uuid: also a move.
				const renamed = await send(held, 'POST', '/plugins', alice, {
					git_url: trusted.url,
					manifest: {
						uuid: '3f1e0c2a-9d4b-4c7e-8a1f-5b6d7e8f9a0b',
						name: 'Cover art reborn',
						description: 'Covers',
					},
					trust: 'trusted',
					reason: 'A new plugin',
				});
				await refusedAsHeld(held, renamed, block, await revision(held));
				assert.equal(
					(renamed.body.error as { details: { held: { problem: string }[] } }).details.held[0]
						?.problem,
					'added',
				);

				// Lifted through its incident by a second maintainer: the move goes through.
				await ok(held, 'POST', `/lifts/${Number(revert.body.liftId)}/approve`, bob, {
					reason: 'Agreed',
				});
				await ok(held, 'POST', '/plugins', alice, readd);
				await ok(
					held,
					'PATCH',
					`/plugins/${trusted.id}`,
					alice,
					moveTo(trusted.id, 'https://github.com/elsewhere/cover-art-2'),
				);
			} finally {
				await held.close();
			}
		});
	});

	it('an author block: a plugin moved out of the owner prefix is refused, within it is not', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const held = await start(fixture);
			try {
				const { alice, root } = held.tokens;
				const block = await dualBlock(held, PLUGINS.community.id, 'author_block');
				const at = await revision(held);
				// The other plugin under the same owner, moved to another owner.
				await refusedAsHeld(
					held,
					await send(
						held,
						'PATCH',
						`/plugins/${PLUGINS.trusted.id}`,
						alice,
						moveTo(PLUGINS.trusted.id, ELSEWHERE),
					),
					block,
					at,
				);
				const text = (await held.service.store.document())?.text as string;
				await refusedAsHeld(
					held,
					await send(held, 'PUT', '/registry', root, {
						text: text.replace(
							`git_url = "${PLUGINS.community.url}"`,
							'git_url = "https://gitlab.com/someone/lyrics-fetcher"',
						),
						reason: 'From the repository',
					}),
					block,
					at,
				);
				// Within the owner prefix the block still holds; another owner's plugin is not held.
				await ok(
					held,
					'PATCH',
					`/plugins/${PLUGINS.trusted.id}`,
					alice,
					moveTo(PLUGINS.trusted.id, 'https://github.com/someone/cover-art-2'),
				);
				await ok(
					held,
					'PATCH',
					`/plugins/${PLUGINS.official.id}`,
					alice,
					moveTo(PLUGINS.official.id, 'https://github.com/picard/bpm-plugin'),
				);
			} finally {
				await held.close();
			}
		});
	});
});
