/**
 * Replacing the whole registry (the path the admin import, the git sync and `vouch-server
 * import` share) never drops or weakens a blacklist entry that an applied incident action
 * holds (D22): the replacement is refused whole, naming the entry, its action and incident.
 * The attempts here try every spelling the reader accepts to sneak a drop past the rule:
 * respelt ids, duplicates, a move out of the blacklist, another format, a reorder behind a
 * soft entry. Entries no action holds, or held by an action since lifted, go as before.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeRaw } from '@vouch/library/internal/registry/edit/apply';
import { planBlacklistAdd } from '@vouch/library/internal/registry/edit/blacklist-plans';
import type { HeldEntryProblem } from '../../src/incidents/held-entries.ts';
import { forEachEngine } from '../engines.ts';
import { ALICE, BOB, CAROL, malwareReport, openWorld, PLUGINS, ROOT, type World } from './world.ts';

const OTHER_UUID = 'c0ffee00-0000-4000-8000-000000000001';
const ROUNDS = 6;
const tick = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Three entries: H, the trusted plugin's hard block (two maintainers); V, a version block of
 * the community plugin (one maintainer); U, a soft entry added by hand that no action holds.
 */
async function heldWorld(world: World) {
	const trusted = await world.service.submitReport(malwareReport(PLUGINS.trusted.id), {
		clientAddress: '198.51.100.7',
	});
	await world.service.transition(trusted.incidentId, 'investigating', ALICE, 'Reading');
	const hard = await world.service.requestAction(
		trusted.incidentId,
		'hard_blacklist',
		{},
		ALICE,
		'Payload in the release',
	);
	await world.service.approveAction(hard.actionId, BOB, 'Saw it too');
	const community = await world.service.submitReport(malwareReport(PLUGINS.community.id), {
		clientAddress: '198.51.100.8',
	});
	await world.service.transition(community.incidentId, 'investigating', ALICE, 'Reading');
	const version = await world.service.requestAction(
		community.incidentId,
		'version_block',
		{ versions: '>=1.0.0 <2.0.0' },
		ALICE,
		'The 1.x releases',
	);
	assert.equal(version.state, 'applied');
	const byHand = await world.store.edit(
		(context) =>
			planBlacklistAdd(context, { uuid: OTHER_UUID, severity: 'soft', reason: 'By hand' }),
		ROOT,
	);
	return {
		H: {
			id: await entryOf(world, hard.actionId),
			action: hard.actionId,
			incident: trusted.incidentId,
		},
		V: {
			id: await entryOf(world, version.actionId),
			action: version.actionId,
			incident: community.incidentId,
		},
		U: { id: byHand.stored?.subject as string },
	};
}

async function entryOf(world: World, actionId: number): Promise<string> {
	const row = await world.database.db
		.selectFrom('incident_actions')
		.select('blacklist_entry_id')
		.where('id', '=', actionId)
		.executeTakeFirstOrThrow();
	assert.match(String(row.blacklist_entry_id), /^bl-[0-9a-f]{12}$/);
	return String(row.blacklist_entry_id);
}

/** The document as `[[blacklist]]` blocks after the head (plugins and all). */
function blocksOf(text: string): { head: string; entries: string[] } {
	const [head, ...entries] = text.split(/\n(?=\[\[blacklist\]\]\n)/);
	return { head: head as string, entries: entries.map((entry) => entry.replace(/\n+$/, '')) };
}

function joinBlocks(head: string, entries: string[]): string {
	return `${[head, ...entries].join('\n')}\n`;
}

function entryBlock(text: string, id: string): string {
	const found = blocksOf(text).entries.find((entry) => entry.includes(`id = "${id}"`));
	assert.ok(found, `no entry ${id}`);
	return found;
}

function withoutEntry(text: string, id: string): string {
	const { head, entries } = blocksOf(text);
	return joinBlocks(
		head,
		entries.filter((entry) => !entry.includes(`id = "${id}"`)),
	);
}

function editEntry(text: string, id: string, edit: (block: string) => string): string {
	const { head, entries } = blocksOf(text);
	const next = entries.map((entry) => (entry.includes(`id = "${id}"`) ? edit(entry) : entry));
	assert.notDeepEqual(next, entries, `the edit of ${id} changed nothing`);
	return joinBlocks(head, next);
}

/** Moves the entry `id` to the front of the blacklist. */
function entryFirst(text: string, id: string): string {
	const { head, entries } = blocksOf(text);
	const block = entryBlock(text, id);
	return joinBlocks(head, [block, ...entries.filter((entry) => entry !== block)]);
}

function withEntryFirst(text: string, block: string): string {
	const { head, entries } = blocksOf(text);
	return joinBlocks(head, [block, ...entries]);
}

async function refused(
	world: World,
	text: string,
	expected: Array<Pick<HeldEntryProblem, 'entry' | 'problem'>>,
): Promise<HeldEntryProblem[]> {
	const before = await world.store.document();
	const changes = await changeCount(world);
	let problems: HeldEntryProblem[] = [];
	await assert.rejects(world.store.importText(text, ROOT, 'replace'), (error: unknown) => {
		assert.equal((error as { code?: string }).code, 'HELD_BY_INCIDENT', String(error));
		problems = (error as { details: { held: HeldEntryProblem[] } }).details.held;
		assert.match(String((error as { hint?: string }).hint), /revert|second maintainer/);
		return true;
	});
	assert.deepEqual(
		problems.map(({ entry, problem }) => ({ entry, problem })),
		expected,
	);
	assert.deepEqual(await world.store.document(), before, 'the document was not replaced');
	assert.equal(await changeCount(world), changes, 'no change was recorded');
	return problems;
}

async function imports(world: World, text: string): Promise<void> {
	const result = await world.store.importText(text, ROOT, 'replace');
	assert.notEqual(result.stored, undefined, 'the import changed the document');
	assert.equal((await world.store.document())?.text, text);
}

async function changeCount(world: World): Promise<number> {
	const rows = await world.database.db.selectFrom('changes').select('seq').execute();
	return rows.length;
}

async function current(world: World): Promise<string> {
	return (await world.store.document())?.text as string;
}

describe('replacing the registry keeps the entries incident actions hold', () => {
	it('refuses a drop and names the entry, its action and incident; keeps and unheld drops import', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const { H, V, U } = await heldWorld(world);
				const start = await current(world);
				const [problem] = await refused(world, withoutEntry(start, H.id), [
					{ entry: H.id, problem: 'missing' },
				]);
				assert.equal(problem?.action, H.action);
				assert.equal(problem?.incident, H.incident);
				// Both held entries gone: both named, in one refusal.
				await refused(world, withoutEntry(withoutEntry(start, V.id), H.id), [
					{ entry: H.id, problem: 'missing' },
					{ entry: V.id, problem: 'missing' },
				]);
				// Every entry gone, the blacklist table too.
				await refused(world, `${blocksOf(start).head}\n`, [
					{ entry: H.id, problem: 'missing' },
					{ entry: V.id, problem: 'missing' },
				]);

				// Keeping them: an unrelated edit imports; so does dropping the entry no action holds.
				const edited = start.replace('description = "A official plugin"', 'description = "Ours"');
				await imports(world, edited);
				await imports(world, withoutEntry(edited, U.id));
				// What users read may change: the reason and the incident link of H.
				await imports(
					world,
					editEntry(await current(world), H.id, (block) =>
						block.replace('reason = "Payload in the release"', 'reason = "Payload, see page"'),
					),
				);
			} finally {
				await world.close();
			}
		});
	});

	it('refuses a weakened entry: another target, a narrower range, a lower severity', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const { H, V } = await heldWorld(world);
				const start = await current(world);
				const weakened = (id: string) => [{ entry: id, problem: 'weakened' as const }];
				const attempts: Array<[string, string]> = [
					[
						H.id,
						editEntry(start, H.id, (b) =>
							b.replace(PLUGINS.trusted.url, `${PLUGINS.trusted.url}-gone`),
						),
					],
					[H.id, editEntry(start, H.id, (b) => b.replace(PLUGINS.trusted.uuid, OTHER_UUID))],
					[H.id, editEntry(start, H.id, (b) => b.replace(/\nurl = "[^"]*"/, ''))],
					[
						H.id,
						editEntry(start, H.id, (b) => b.replace('severity = "hard"', 'severity = "soft"')),
					],
					[H.id, editEntry(start, H.id, (b) => `${b}\nversions = ">=9.0.0"`)],
					[H.id, editEntry(start, H.id, (b) => `${b}\ncommit = "${'c'.repeat(40)}"`)],
					[
						H.id,
						editEntry(start, H.id, (b) => `${b}\nurl_regex = "^https://nowhere\\\\.invalid/"`),
					],
					[V.id, editEntry(start, V.id, (b) => b.replace('>=1.0.0 <2.0.0', '>=1.0.0 <1.5.0'))],
					[V.id, editEntry(start, V.id, (b) => b.replace('>=1.0.0 <2.0.0', '>=3.0.0'))],
					// Wider, but another range all the same: a new block is its own action.
					[V.id, editEntry(start, V.id, (b) => b.replace('>=1.0.0 <2.0.0', '*'))],
				];
				for (const [id, text] of attempts) await refused(world, text, weakened(id));

				// Stronger, or the same spelt otherwise: a range dropped (every version), soft to hard
				// is shown below, a uuid in capitals (UUIDs compare lowercase).
				await imports(
					world,
					editEntry(start, V.id, (b) => b.replace(/\nversions = "[^"]*"/, '')),
				);
				await imports(
					world,
					editEntry(await current(world), H.id, (b) =>
						b.replace(PLUGINS.trusted.uuid, PLUGINS.trusted.uuid.toUpperCase()),
					),
				);
			} finally {
				await world.close();
			}
		});
	});

	it('sees through respelt ids, duplicates, moves, reorders and the other format', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const { H, V, U } = await heldWorld(world);
				const start = await current(world);
				const missing = [{ entry: H.id, problem: 'missing' as const }];
				// The lift finds the entry by its exact id.
				await refused(
					world,
					editEntry(start, H.id, (b) => b.replace(H.id, H.id.toUpperCase())),
					missing,
				);
				await refused(
					world,
					editEntry(start, H.id, (b) => b.replace(`"${H.id}"`, `" ${H.id}"`)),
					missing,
				);
				await refused(
					world,
					editEntry(start, H.id, (b) => b.replace(`"${H.id}"`, `"${H.id}\\t"`)),
					missing,
				);
				// A copy under the same id: which one would a lift remove?
				await refused(world, `${start.replace(/\n+$/, '')}\n\n${entryBlock(start, H.id)}\n`, [
					{ entry: H.id, problem: 'duplicated' },
				]);
				const softCopy = entryBlock(start, H.id).replace('severity = "hard"', 'severity = "soft"');
				await refused(world, withEntryFirst(start, softCopy), [
					{ entry: H.id, problem: 'duplicated' },
				]);
				// Moved out of the blacklist, into a plugin's table: the reader takes it for an
				// unknown key of the plugin, not a blacklist entry.
				const moved = withoutEntry(start, H.id).replace(
					'[[plugins.releases]]',
					`${entryBlock(start, H.id).replace('[[blacklist]]', '[[plugins.blacklist]]')}\n\n[[plugins.releases]]`,
				);
				await refused(world, moved, missing);
				// TOML's other spelling of the table array, every entry inline: the same document at
				// the top; after the last table, the array belongs to that table, not the registry.
				const inlineArray = (text: string) => {
					const raw = decodeRaw({ text, format: 'toml', label: 'test' });
					const entries = (raw.blacklist as Array<Record<string, unknown>>).map(
						(entry) =>
							`  { ${Object.entries(entry)
								.map(([key, value]) => `${key} = ${JSON.stringify(value)}`)
								.join(', ')} },`,
					);
					return `blacklist = [\n${entries.join('\n')}\n]\n`;
				};
				const atTop = (text: string) =>
					blocksOf(start).head.replace(
						'api_version = "3.0"\n',
						`api_version = "3.0"\n${inlineArray(text)}`,
					);
				await refused(world, `${blocksOf(start).head}\n${inlineArray(start)}`, [
					{ entry: H.id, problem: 'missing' },
					{ entry: V.id, problem: 'missing' },
				]);
				await refused(world, atTop(withoutEntry(start, H.id)), missing);
				await imports(world, atTop(start));
				await imports(world, start);

				// A soft entry ahead of the hard block would decide its severity (first match, D4).
				const softAhead = (identifiers: string) =>
					withEntryFirst(
						start,
						`[[blacklist]]\n${identifiers}\nseverity = "soft"\nreason = "Only a warning"`,
					);
				const outranked = [{ entry: H.id, problem: 'outranked' as const }];
				await refused(world, softAhead(`uuid = "${PLUGINS.trusted.uuid}"`), outranked);
				// A URL without a uuid is not judged against V's other URL (spellings vary): refused too.
				await refused(world, softAhead(`url = "${PLUGINS.trusted.url}"`), [
					{ entry: H.id, problem: 'outranked' },
					{ entry: V.id, problem: 'outranked' },
				]);
				// A pattern ahead names no uuid: it may match either block.
				await refused(world, softAhead('url_regex = "^https://github\\\\.com/"'), [
					{ entry: H.id, problem: 'outranked' },
					{ entry: V.id, problem: 'outranked' },
				]);
				// The soft entry U moved ahead of H: it names another uuid, so it never decides H.
				await imports(world, entryFirst(start, U.id));
				// Reordered among themselves, the blocks stand: H and V first, in either order.
				await imports(world, entryFirst(entryFirst(start, V.id), H.id));
				await imports(world, entryFirst(await current(world), V.id));

				// The same document as JSON imports; as JSON without H, it does not.
				const json = (text: string) =>
					`${JSON.stringify(decodeRaw({ text, format: 'toml', label: 'test' }), null, 2)}\n`;
				await refused(world, json(withoutEntry(await current(world), H.id)), missing);
				await imports(world, json(await current(world)));
				// And back to TOML from JSON, the entry in its place.
				await imports(world, start);
				// Without its `id` key, an entry has the id its content gives, which is the one the
				// planner stored: still the same entry, found by the lift, so it imports.
				await imports(
					world,
					editEntry(start, H.id, (b) => b.replace(`id = "${H.id}"\n`, '')),
				);
				// With any field changed as well, the content gives another id: dropped.
				await refused(
					world,
					editEntry(start, H.id, (b) =>
						b.replace(`id = "${H.id}"\n`, '').replace('Payload in the release', 'Payload'),
					),
					missing,
				);
			} finally {
				await world.close();
			}
		});
	});

	it('lets an entry go once its action is reverted or lifted, not while the lift waits', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const { H, V } = await heldWorld(world);
				const withBoth = await current(world);
				// One maintainer's revert of a single-maintainer block lifts it at once.
				assert.equal(
					(await world.service.revertAction(V.action, BOB, 'Wrong range')).state,
					'reverted',
				);
				// The repository still has V: importing it back is an addition, held by nobody, and
				// dropping it again is allowed.
				await imports(world, withBoth);
				await imports(world, withoutEntry(withBoth, V.id));

				// Two maintainers applied H: a revert only asks, and the entry stays held meanwhile.
				const asked = await world.service.revertAction(H.action, ALICE, 'False alarm');
				assert.equal(asked.state, 'lift_requested');
				const liftId = asked.state === 'lift_requested' ? asked.liftId : -1;
				await refused(world, `${blocksOf(withBoth).head}\n`, [{ entry: H.id, problem: 'missing' }]);
				await world.service.approveLift(liftId, CAROL, 'Agreed');
				await imports(world, withBoth);
				await imports(world, withoutEntry(withoutEntry(withBoth, V.id), H.id));
			} finally {
				await world.close();
			}
		});
	});

	it('an action applied while a replacement runs is never dropped by it', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const base = await current(world);
				const { incidentId } = await world.service.submitReport(
					malwareReport(PLUGINS.community.id),
					{ clientAddress: '198.51.100.20' },
				);
				await world.service.transition(incidentId, 'investigating', ALICE, 'Reading');
				for (let round = 0; round < ROUNDS; round++) {
					// The replacement was written before the quarantine: it does not hold its entry.
					const replacement = base.replace(
						'description = "A official plugin"',
						`description = "Round ${round}"`,
					);
					const action = world.service.requestAction(
						incidentId,
						'soft_quarantine',
						{},
						ALICE,
						'Hold on',
					);
					// Each round starts the replacement a little later, so that the two meet at
					// different points; the last round starts it once the action is applied.
					if (round === ROUNDS - 1) await action.catch(() => undefined);
					else for (let turn = 0; turn < round * 4; turn++) await tick();
					const [applied, replaced] = await Promise.allSettled([
						action,
						world.store.importText(replacement, ROOT, `round ${round}`),
					]);
					if (replaced.status === 'rejected') {
						const code = (replaced.reason as { code?: string }).code;
						assert.ok(
							code === 'HELD_BY_INCIDENT' || code === 'REGISTRY_CONFLICT',
							String(replaced.reason),
						);
					}
					assert.equal(
						applied.status,
						'fulfilled',
						String((applied as PromiseRejectedResult).reason),
					);
					const rows = await world.database.db
						.selectFrom('incident_actions')
						.select(['id', 'blacklist_entry_id'])
						.where('state', '=', 'applied')
						.execute();
					const text = await current(world);
					for (const row of rows) {
						assert.ok(
							text.includes(`id = "${row.blacklist_entry_id}"`),
							`round ${round}: action ${row.id}'s entry is in force`,
						);
					}
					for (const row of rows) {
						assert.equal(
							(await world.service.revertAction(Number(row.id), ALICE, 'Next round')).state,
							'reverted',
						);
					}
				}
			} finally {
				await world.close();
			}
		});
	});
});
