/**
 * The incident pages end to end in-process, on both engines, with the real incident service:
 * a report through the plugin page's form (hostile text in every field), refused when posted
 * from another site, without the form's cookie, replayed, oversized or invalid; the public
 * incident page, the status page, the maintainers' forms (forged tokens refused, a second
 * maintainer's approval), an appeal granted, the Atom feed, OSV and metrics.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { osvRecordSchema } from '../../src/incidents/osv.ts';
import type { WebFixture } from '../helpers/web-app.ts';
import { withFixture } from '../helpers/web-fixture-run.ts';
import { form, ORIGIN, post, signIn } from '../helpers/web-session.ts';
import { checkXml } from '../helpers/xml-check.ts';

const HOSTILE = '<script>window.__pwned=1</script>"><img src=x onerror=alert(1)>';

/** The report form's token and cookie, as a browser holds them after opening the plugin page. */
async function reportForm(app: WebFixture['app'], id: string) {
	const response = await app.request(`${ORIGIN}/plugins/${id}`);
	assert.equal(response.status, 200);
	const text = await response.text();
	const token = /name="form" value="([^"]+)"/.exec(text)?.[1];
	const cookie = response.headers
		.getSetCookie()
		.find((line) => line.startsWith('vouch_form='))
		?.split(';')[0];
	assert.ok(token && cookie, 'the plugin page sets a form token');
	assert.match(text, /Report this plugin/);
	return { token, cookie, text };
}

const reportFields = (token: string, extra: Record<string, string> = {}) =>
	form({
		form: token,
		kind: 'malware',
		details: `It sends my tokens away. ${HOSTILE}`,
		ev1_commit: 'a'.repeat(40),
		ev1_path: 'src/<b onmouseover=alert(1)>x</b>.py',
		ev1_line: '42',
		ev2_url: 'https://example.org/analysis?a="><script>alert(2)</script>',
		...extra,
	});

async function count(fixture: WebFixture, table: 'reports' | 'appeals' | 'incidents') {
	const row = await fixture.database.db
		.selectFrom(table)
		.select((eb) => eb.fn.countAll<string | number>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

describe('incident pages', () => {
	it('takes a report from the plugin page once, and refuses forged, cross-site, replayed and oversized posts', async (t) => {
		await withFixture(t, async (fixture) => {
			const { app } = fixture;
			const { token, cookie } = await reportForm(app, 'tag-tools');
			const headers = { cookie, origin: ORIGIN };

			const refused = [
				await post(app, '/plugins/tag-tools/report', reportFields(token), {
					cookie,
					origin: 'https://evil.example',
				}),
				await post(app, '/plugins/tag-tools/report', reportFields(token), {
					cookie,
					'sec-fetch-site': 'cross-site',
				}),
				await post(app, '/plugins/tag-tools/report', reportFields(token), { origin: ORIGIN }),
				await post(app, '/plugins/tag-tools/report', reportFields('p_forged'), headers),
				await post(app, '/plugins/tag-tools/report', reportFields(token), {
					cookie,
					origin: 'null',
				}),
			];
			assert.deepEqual(
				refused.map((response) => response.status),
				[403, 403, 403, 403, 403],
			);
			const big = await post(
				app,
				'/plugins/tag-tools/report',
				reportFields(token, { details: 'x'.repeat(40_000) }),
				headers,
			);
			assert.equal(big.status, 413);
			const invalid = await post(
				app,
				'/plugins/tag-tools/report',
				reportFields(token, { kind: "malware' OR 1=1 --", ev1_path: '../../etc/passwd' }),
				headers,
			);
			assert.equal(invalid.status, 400);
			const invalidText = await invalid.text();
			assert.match(invalidText, /The report was not sent/);
			assert.match(invalidText, /Evidence 1 \(path\)/);
			assert.equal(await count(fixture, 'reports'), 0);

			const sent = await post(app, '/plugins/tag-tools/report', reportFields(token), headers);
			assert.equal(sent.status, 200);
			assert.equal(sent.headers.get('cache-control'), 'no-store');
			const receipt = await sent.text();
			const reporterToken = /<pre class="command"><code>([A-Za-z0-9_-]{43})<\/code><\/pre>/.exec(
				receipt,
			)?.[1];
			assert.ok(reporterToken, 'the reporter token is shown');
			const incidentId = /href="\/incidents\/(\d+)"/.exec(receipt)?.[1];
			assert.ok(incidentId);
			assert.equal(await count(fixture, 'reports'), 1);

			// The same request again (a replayed capture) files nothing.
			const replay = await post(app, '/plugins/tag-tools/report', reportFields(token), headers);
			assert.equal(replay.status, 403);
			assert.equal(await count(fixture, 'reports'), 1);

			// The public page: kinds and evidence as text, nothing of the reporter or the token.
			const pageText = await (await app.request(`${ORIGIN}/incidents/${incidentId}`)).text();
			assert.match(pageText, /Malware: 1/);
			assert.match(pageText, /src\/&lt;b onmouseover=alert\(1\)&gt;x&lt;\/b&gt;\.py:42/);
			assert.equal(pageText.includes('<script>alert(2)'), false);
			assert.equal(pageText.includes('<b onmouseover'), false);
			assert.equal(pageText.includes(reporterToken), false);
			assert.match(pageText, /rel="nofollow noopener noreferrer"/);

			// The status page takes the token in the body; a token in the URL is ignored.
			const statusForm = await app.request(`${ORIGIN}/reports/status?token=${reporterToken}`);
			const statusCookie = statusForm.headers.getSetCookie()[0]?.split(';')[0] ?? '';
			const statusText = await statusForm.text();
			assert.equal(statusText.includes(reporterToken), false);
			const statusToken = /name="form" value="([^"]+)"/.exec(statusText)?.[1] ?? '';
			const status = await post(
				app,
				'/reports/status',
				form({ form: statusToken, token: reporterToken }),
				{ cookie: statusCookie, origin: ORIGIN },
			);
			assert.equal(status.status, 200);
			const outcome = await status.text();
			assert.match(outcome, /Report #1/);
			assert.match(outcome, /Received/);
			assert.equal(outcome.includes(reporterToken), false);
			const unknown = await post(
				app,
				'/reports/status',
				form({ form: statusToken, token: 'x'.repeat(43) }),
				{ cookie: statusCookie, origin: ORIGIN },
			);
			assert.equal(unknown.status, 404);
			assert.match(await unknown.text(), /No report has this token/);
		});
	});

	it('lets maintainers triage with form tokens, needs a second maintainer for a trusted plugin, and grants an appeal', async (t) => {
		await withFixture(t, async (fixture) => {
			const { app, incidents } = fixture;
			const receipt = await incidents.submitReport(
				{ plugin: { id: 'tag-tools' }, kind: 'malware', details: HOSTILE, evidence: [] },
				{ clientAddress: '198.51.100.9' },
			);
			const id = receipt.incidentId;
			const alice = await signIn(app, 'alice');
			const bob = await signIn(app, 'bob');
			const queue = await (
				await app.request(`${ORIGIN}/admin/incidents`, { headers: { cookie: alice.cookie } })
			).text();
			assert.match(queue, new RegExp(`href="/admin/incidents/${id}"`));
			const dashboard = await (
				await app.request(`${ORIGIN}/admin`, { headers: { cookie: alice.cookie } })
			).text();
			assert.match(dashboard, /href="\/admin\/incidents"/);

			const stateOf = async () =>
				(
					await fixture.database.db
						.selectFrom('incidents')
						.select('state')
						.where('id', '=', id)
						.executeTakeFirstOrThrow()
				).state;
			const move = (
				session: { cookie: string },
				csrf: string,
				to: string,
				reason = 'looking into it',
			) =>
				post(app, `/admin/incidents/${id}/transition`, form({ csrf, to, reason }), {
					cookie: session.cookie,
					origin: ORIGIN,
				});
			assert.equal((await move(alice, 'forged', 'investigating')).status, 403);
			assert.equal((await move(alice, bob.csrf, 'investigating')).status, 403);
			assert.equal(
				(
					await post(
						app,
						`/admin/incidents/${id}/transition`,
						form({ csrf: alice.csrf, to: 'investigating', reason: 'x' }),
						{
							cookie: alice.cookie,
							origin: 'https://evil.example',
						},
					)
				).status,
				403,
			);
			assert.equal(await stateOf(), 'received');
			const noReason = await move(alice, alice.csrf, 'investigating', '   ');
			assert.equal(noReason.status, 400);
			const badMove = await move(alice, alice.csrf, 'resolved');
			assert.equal(badMove.status, 400);
			assert.match(await badMove.text(), /cannot move from received to resolved/);
			const moved = await move(alice, alice.csrf, 'investigating');
			assert.equal(moved.status, 303);
			assert.equal(moved.headers.get('location'), `/admin/incidents/${id}?done=transition`);
			assert.equal(await stateOf(), 'investigating');
			assert.equal(
				(await move(alice, alice.csrf, 'confirmed', `Confirmed ${HOSTILE}`)).status,
				303,
			);

			// A hard block of a trusted plugin waits for a second maintainer.
			const action = await post(
				app,
				`/admin/incidents/${id}/actions`,
				form({
					csrf: alice.csrf,
					kind: 'hard_blacklist',
					pluginId: 'tag-tools',
					advice: `Rotate your tokens ${HOSTILE}`,
					reason: `Steals tokens ${HOSTILE}`,
				}),
				{ cookie: alice.cookie, origin: ORIGIN },
			);
			assert.equal(action.status, 303);
			const row = await fixture.database.db
				.selectFrom('incident_actions')
				.select(['id', 'state'])
				.where('incident_id', '=', id)
				.executeTakeFirstOrThrow();
			assert.equal(row.state, 'awaiting_approval');
			const alicePage = await (
				await app.request(`${ORIGIN}/admin/incidents/${id}`, { headers: { cookie: alice.cookie } })
			).text();
			assert.match(alicePage, /waits for a second maintainer/);
			assert.match(alicePage, /You requested it, so you cannot approve it/);
			assert.equal(alicePage.includes('<script>window.__pwned'), false);
			assert.equal(alicePage.includes(`/admin/actions/${row.id}/approve`), false);
			const own = await post(
				app,
				`/admin/actions/${row.id}/approve`,
				form({ csrf: alice.csrf, reason: 'me' }),
				{
					cookie: alice.cookie,
					origin: ORIGIN,
				},
			);
			assert.equal(own.status, 403);
			const bobPage = await (
				await app.request(`${ORIGIN}/admin/incidents/${id}`, { headers: { cookie: bob.cookie } })
			).text();
			assert.match(bobPage, new RegExp(`/admin/actions/${row.id}/approve`));
			const approved = await post(
				app,
				`/admin/actions/${row.id}/approve`,
				form({ csrf: bob.csrf, reason: 'Seen the code too' }),
				{ cookie: bob.cookie, origin: ORIGIN },
			);
			assert.equal(approved.status, 303);
			assert.ok(fixture.publishes > 0, 'the decision is published at once');

			// The public page: the action with its reason, the advice, and an appeal form.
			const publicPage = await app.request(`${ORIGIN}/incidents/${id}`);
			const publicCookie = publicPage.headers.getSetCookie()[0]?.split(';')[0] ?? '';
			const publicText = await publicPage.text();
			assert.match(publicText, /Hard blacklist/);
			assert.match(publicText, /Steals tokens &lt;script&gt;/);
			assert.match(publicText, /Rotate your tokens/);
			assert.equal(publicText.includes('<script>window.__pwned'), false);
			assert.match(publicText, /action="\/incidents\/\d+\/appeal"/);
			const appealToken = /name="form" value="([^"]+)"/.exec(publicText)?.[1] ?? '';

			// The feed and OSV list the removal, escaped.
			const feed = await app.request(`${ORIGIN}/feeds/removals.atom`);
			assert.match(feed.headers.get('content-type') ?? '', /application\/atom\+xml/);
			const feedText = await feed.text();
			const names = checkXml(feedText);
			assert.equal(names.filter((name) => name === 'entry').length, 1);
			assert.equal(feedText.includes('<script'), false);
			assert.match(feedText, /Steals tokens &lt;script&gt;/);
			const osv = (await (await app.request(`${ORIGIN}/api/v1/osv`)).json()) as unknown[];
			assert.equal(osv.length, 1);
			const record = osvRecordSchema.parse(osv[0]);
			assert.equal(record.affected[0]?.package.name, 'tag-tools');
			const one = await app.request(`${ORIGIN}/api/v1/osv/${record.id}`);
			assert.equal(one.status, 200);
			assert.equal(
				(await app.request(`${ORIGIN}/api/v1/osv/VOUCH-MAL-1999-${row.id}`)).status,
				404,
			);
			assert.equal((await app.request(`${ORIGIN}/api/v1/osv/%3Cscript%3E`)).status, 404);

			// The author appeals; a maintainer grants it; the block is withdrawn.
			const appeal = await post(
				app,
				`/incidents/${id}/appeal`,
				form({
					form: appealToken,
					statement: `Not malware ${HOSTILE}`,
					contact: 'author@example.org',
				}),
				{ cookie: publicCookie, origin: ORIGIN },
			);
			assert.equal(appeal.status, 200);
			assert.match(await appeal.text(), /Keep this appeal token/);
			const again = await post(
				app,
				`/incidents/${id}/appeal`,
				form({ form: appealToken, statement: 'again' }),
				{ cookie: publicCookie, origin: ORIGIN },
			);
			assert.equal(again.status, 403);
			assert.equal(await count(fixture, 'appeals'), 1);
			assert.equal(
				(await (await app.request(`${ORIGIN}/incidents/${id}`)).text()).includes(
					'author@example.org',
				),
				false,
			);
			const appealId = (
				await fixture.database.db.selectFrom('appeals').select('id').executeTakeFirstOrThrow()
			).id;
			const adminText = await (
				await app.request(`${ORIGIN}/admin/incidents/${id}`, { headers: { cookie: bob.cookie } })
			).text();
			assert.match(adminText, /Not malware &lt;script&gt;/);
			assert.match(adminText, /author@example.org/);
			const refused = await post(
				app,
				`/admin/appeals/${appealId}/decide`,
				form({ csrf: bob.csrf, decision: 'deny', reason: 'I approved the block' }),
				{ cookie: bob.cookie, origin: ORIGIN },
			);
			assert.notEqual(refused.status, 303, 'who approved the block does not judge the appeal');
			const carol = await signIn(app, 'carol');
			const decided = await post(
				app,
				`/admin/appeals/${appealId}/decide`,
				form({ csrf: carol.csrf, decision: 'grant', reason: 'The code is fine after all' }),
				{ cookie: carol.cookie, origin: ORIGIN },
			);
			assert.equal(decided.status, 303);
			// Bob approved a hard block of a trusted plugin: the grant waits for a second maintainer.
			assert.match(decided.headers.get('location') ?? '', /done=grant_pending$/);
			const [still] = (await (await app.request(`${ORIGIN}/api/v1/osv`)).json()) as unknown[];
			assert.equal(osvRecordSchema.parse(still).withdrawn, undefined);
			const lift = await fixture.database.db
				.selectFrom('lift_requests')
				.selectAll()
				.executeTakeFirstOrThrow();
			assert.equal(lift.state, 'pending');
			assert.equal(lift.requested_by, 'carol');
			const carolPage = await (
				await app.request(`${ORIGIN}/admin/incidents/${id}?done=grant_pending`, {
					headers: { cookie: carol.cookie },
				})
			).text();
			assert.match(carolPage, /needs a second maintainer to confirm it/);
			assert.match(carolPage, /You asked for it, so you cannot approve it/);
			assert.equal(carolPage.includes(`/admin/lifts/${lift.id}/approve`), false);
			const ownConfirm = await post(
				app,
				`/admin/lifts/${lift.id}/approve`,
				form({ csrf: carol.csrf, reason: 'Confirming my own grant' }),
				{ cookie: carol.cookie, origin: ORIGIN },
			);
			assert.notEqual(ownConfirm.status, 303, 'the decider does not confirm their own grant');
			const root = await signIn(app, 'root');
			const rootPage = await (
				await app.request(`${ORIGIN}/admin/incidents/${id}`, { headers: { cookie: root.cookie } })
			).text();
			assert.match(rootPage, new RegExp(`/admin/lifts/${lift.id}/approve`));
			const confirmed = await post(
				app,
				`/admin/lifts/${lift.id}/approve`,
				form({ csrf: root.csrf, reason: 'Read the code as well' }),
				{ cookie: root.cookie, origin: ORIGIN },
			);
			assert.equal(confirmed.status, 303);
			const [withdrawn] = (await (await app.request(`${ORIGIN}/api/v1/osv`)).json()) as unknown[];
			assert.ok(osvRecordSchema.parse(withdrawn).withdrawn);

			const metrics = (await (await app.request(`${ORIGIN}/api/v1/metrics`)).json()) as {
				reportToTriage: { count: number };
				reportToDecision: { count: number };
			};
			assert.equal(metrics.reportToTriage.count, 1);
			assert.equal(metrics.reportToDecision.count, 1);
			const metricsPage = await app.request(`${ORIGIN}/admin/metrics`, {
				headers: { cookie: bob.cookie },
			});
			assert.equal(metricsPage.status, 200);
			assert.match(await metricsPage.text(), /Signed publication/);
			const anonymous = await app.request(`${ORIGIN}/admin/metrics`);
			assert.equal(anonymous.status, 303);
		});
	});

	it('hides a soft-quarantined plugin from browsing and keeps its page', async (t) => {
		await withFixture(t, async (fixture) => {
			const { app, incidents } = fixture;
			const { id } = await incidents.openIncident(
				{
					grouping: 'plugin',
					pluginIds: ['bidi-name'],
					title: 'Looks like a fake',
					reason: 'a hunch',
				},
				{ name: 'alice', role: 'maintainer' },
			);
			const before = await (await app.request(`${ORIGIN}/`)).text();
			assert.match(before, /href="\/plugins\/bidi-name"/);
			await incidents.requestAction(
				id,
				'soft_quarantine',
				{ pluginId: 'bidi-name' },
				{ name: 'alice', role: 'maintainer' },
				'impersonates another plugin',
			);
			const after = await (await app.request(`${ORIGIN}/`)).text();
			assert.equal(after.includes('href="/plugins/bidi-name"'), false);
			assert.equal((await app.request(`${ORIGIN}/plugins/bidi-name`)).status, 200);
			const list = await (
				await app.request(`${ORIGIN}/incidents?state=received&plugin=bidi-name`)
			).text();
			assert.match(list, /Looks like a fake/);
			const none = await (await app.request(`${ORIGIN}/incidents?plugin=%27%20OR%201%3D1`)).text();
			assert.match(none, /No incidents/);
			assert.equal((await app.request(`${ORIGIN}/incidents/abc`)).status, 404);
			assert.equal((await app.request(`${ORIGIN}/incidents/99999999999999999999`)).status, 404);
		});
	});
});
