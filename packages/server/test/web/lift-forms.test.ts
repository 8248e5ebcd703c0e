/**
 * Lifting a dual-controlled block from the maintainers' pages (D22): a revert through the form
 * says "lift requested; needs a second maintainer" and leaves the entry; the same maintainer
 * cannot approve the lift through the API instead of the page, nor remove the entry by hand
 * through the blacklist page or API; a second maintainer's approval on the page removes it; a
 * refusal on the page keeps it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { adminApi } from '../../src/http/admin-api.ts';
import { incidentsAdminApi } from '../../src/http/incidents-admin-api.ts';
import type { Actor } from '../../src/store/actor.ts';
import type { WebFixture } from '../helpers/web-app.ts';
import { withFixture } from '../helpers/web-fixture-run.ts';
import { form, ORIGIN, post, signIn } from '../helpers/web-session.ts';

const TAG_TOOLS_UUID = '2b1d2f1e-9a0c-4e8f-8a55-1d8f0b7c2a04';
const ALICE: Actor = { name: 'alice', role: 'maintainer' };
const BOB: Actor = { name: 'bob', role: 'maintainer' };

/** The trusted plugin hard-blocked by Alice, approved by Bob. */
async function dualBlock(fixture: WebFixture) {
	const { incidentId } = await fixture.incidents.submitReport(
		{ plugin: { id: 'tag-tools' }, kind: 'malware', details: 'Steals tokens', evidence: [] },
		{ clientAddress: '198.51.100.9' },
	);
	await fixture.incidents.transition(incidentId, 'investigating', ALICE, 'Reading');
	const { actionId } = await fixture.incidents.requestAction(
		incidentId,
		'hard_blacklist',
		{},
		ALICE,
		'Steals tokens',
	);
	await fixture.incidents.approveAction(actionId, BOB, 'Saw it too');
	return { incidentId, actionId };
}

async function blocked(fixture: WebFixture): Promise<boolean> {
	const registry = (await fixture.store.registry())?.registry;
	return registry?.blacklist.some((entry) => entry.uuid === TAG_TOOLS_UUID) ?? false;
}

async function pendingLift(fixture: WebFixture) {
	return fixture.database.db
		.selectFrom('lift_requests')
		.selectAll()
		.where('state', '=', 'pending')
		.executeTakeFirst();
}

describe('lift forms', () => {
	it('a revert on the page only asks; the asker cannot approve through the API; a second maintainer lifts', async (t) => {
		await withFixture(t, async (fixture) => {
			const { app } = fixture;
			app.route(
				'/api/v1/admin',
				adminApi({ database: fixture.database, store: fixture.store, accounts: fixture.accounts }),
			);
			app.route(
				'/api/v1/admin',
				incidentsAdminApi({
					database: fixture.database,
					store: fixture.store,
					accounts: fixture.accounts,
					incidents: fixture.incidents,
				}),
			);
			const carolAccount = await fixture.accounts.byName('carol');
			assert.ok(carolAccount);
			const carolToken = await fixture.accounts.issueToken(carolAccount, 'test');
			const { incidentId, actionId } = await dualBlock(fixture);
			const carol = await signIn(app, 'carol');
			const bob = await signIn(app, 'bob');

			const page = await (
				await app.request(`${ORIGIN}/admin/incidents/${incidentId}`, {
					headers: { cookie: carol.cookie },
				})
			).text();
			assert.match(page, /Two maintainers applied this block/);

			// Removing the entry by hand is no way around the incident, on the page or the API.
			const { blacklist_entry_id: entryId } = await fixture.database.db
				.selectFrom('incident_actions')
				.select('blacklist_entry_id')
				.where('id', '=', actionId)
				.executeTakeFirstOrThrow();
			assert.ok(entryId);
			const byHand = await post(
				app,
				`/admin/blacklist/${entryId}/remove`,
				form({ csrf: carol.csrf, reason: 'Clean after all' }),
				{ cookie: carol.cookie, origin: ORIGIN },
			);
			assert.equal(byHand.status, 403);
			assert.match(await byHand.text(), new RegExp(`block of action ${actionId}`));
			const deleted = await app.request(`${ORIGIN}/api/v1/admin/blacklist/${entryId}`, {
				method: 'DELETE',
				headers: { authorization: `Bearer ${carolToken}`, 'content-type': 'application/json' },
				body: JSON.stringify({ reason: 'Clean after all', confirm: true }),
			});
			assert.equal(deleted.status, 403);
			assert.equal(await blocked(fixture), true);
			const asked = await post(
				app,
				`/admin/actions/${actionId}/revert`,
				form({ csrf: carol.csrf, reason: 'The release is clean' }),
				{ cookie: carol.cookie, origin: ORIGIN },
			);
			assert.equal(asked.status, 303);
			assert.equal(asked.headers.get('location'), `/admin/incidents/${incidentId}?done=lift`);
			assert.equal(await blocked(fixture), true);
			const lift = await pendingLift(fixture);
			assert.ok(lift);
			const said = await (
				await app.request(`${ORIGIN}/admin/incidents/${incidentId}?done=lift`, {
					headers: { cookie: carol.cookie },
				})
			).text();
			assert.match(said, /Lift requested; needs a second maintainer/);
			assert.match(said, /You asked for it, so you cannot approve it/);
			assert.equal(said.includes(`/admin/lifts/${lift.id}/approve`), false);

			// The same person by the other door: the API refuses as the page does.
			const viaApi = await app.request(`${ORIGIN}/api/v1/admin/lifts/${lift.id}/approve`, {
				method: 'POST',
				headers: { authorization: `Bearer ${carolToken}`, 'content-type': 'application/json' },
				body: JSON.stringify({ reason: 'Approving my own request' }),
			});
			assert.equal(viaApi.status, 403);
			const viaPage = await post(
				app,
				`/admin/lifts/${lift.id}/approve`,
				form({ csrf: carol.csrf, reason: 'Approving my own request' }),
				{ cookie: carol.cookie, origin: ORIGIN },
			);
			assert.notEqual(viaPage.status, 303);
			assert.match(await viaPage.text(), /cannot approve it/);
			const again = await post(
				app,
				`/admin/actions/${actionId}/revert`,
				form({ csrf: carol.csrf, reason: 'Once more' }),
				{ cookie: carol.cookie, origin: ORIGIN },
			);
			assert.notEqual(again.status, 303);
			assert.equal(await blocked(fixture), true);

			const bobPage = await (
				await app.request(`${ORIGIN}/admin/incidents/${incidentId}`, {
					headers: { cookie: bob.cookie },
				})
			).text();
			assert.match(bobPage, new RegExp(`/admin/lifts/${lift.id}/approve`));
			const approved = await post(
				app,
				`/admin/lifts/${lift.id}/approve`,
				form({ csrf: bob.csrf, reason: 'Checked: clean' }),
				{ cookie: bob.cookie, origin: ORIGIN },
			);
			assert.equal(approved.status, 303);
			assert.equal(
				approved.headers.get('location'),
				`/admin/incidents/${incidentId}?done=lift_approved`,
			);
			assert.equal(await blocked(fixture), false);
		});
	});

	it('a refusal on the page keeps the block', async (t) => {
		await withFixture(t, async (fixture) => {
			const { app } = fixture;
			const { incidentId, actionId } = await dualBlock(fixture);
			const carol = await signIn(app, 'carol');
			const root = await signIn(app, 'root');
			await post(
				app,
				`/admin/actions/${actionId}/revert`,
				form({ csrf: carol.csrf, reason: 'Clean' }),
				{ cookie: carol.cookie, origin: ORIGIN },
			);
			const lift = await pendingLift(fixture);
			assert.ok(lift);
			const refused = await post(
				app,
				`/admin/lifts/${lift.id}/refuse`,
				form({ csrf: root.csrf, reason: 'The payload is real' }),
				{ cookie: root.cookie, origin: ORIGIN },
			);
			assert.equal(refused.status, 303);
			assert.equal(
				refused.headers.get('location'),
				`/admin/incidents/${incidentId}?done=lift_refused`,
			);
			assert.equal(await blocked(fixture), true);
			assert.equal(await pendingLift(fixture), undefined);
		});
	});
});
