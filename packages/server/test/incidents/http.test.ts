/**
 * The incident JSON API against hostile clients: spam is a 429, an oversized report a 413,
 * control characters are refused and HTML is stored as inert text, forged and misplaced tokens
 * are 401/404, SQL is data; the public view never shows who reported; a reporter's token
 * opens no admin route.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAccounts } from '../../src/admin/accounts.ts';
import { createApp } from '../../src/http/app.ts';
import type { RateLimitOptions } from '../../src/http/rate-limit.ts';
import type { EngineFixture } from '../engines.ts';
import { forEachEngine } from '../engines.ts';
import { openWorld, PLUGINS } from './world.ts';

async function apiWorld(fixture: EngineFixture, rateLimit: RateLimitOptions | false = false) {
	const world = await openWorld(fixture);
	const accounts = createAccounts({ db: world.database.db, clock: world.clock.now });
	const tokens: Record<string, string> = {};
	for (const [name, role] of [
		['alice', 'maintainer'],
		['bob', 'maintainer'],
		['rita', 'reporter'],
		['sam', 'reporter'],
	] as const) {
		tokens[name] = await accounts.issueToken(await accounts.create(name, role), 'test');
	}
	const app = createApp({
		database: world.database,
		store: world.store,
		accounts,
		clock: world.clock.now,
		incidents: world.service,
		limits: { rateLimit },
	});
	async function send(
		method: string,
		path: string,
		options: { token?: string; body?: unknown; raw?: string; from?: string } = {},
	) {
		const headers: Record<string, string> = {};
		if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
		if ((options.body !== undefined || options.raw !== undefined) && method !== 'GET')
			headers['content-type'] = 'application/json';
		return app.request(
			path,
			{
				method,
				headers,
				...(options.body !== undefined && method !== 'GET'
					? { body: JSON.stringify(options.body) }
					: {}),
				...(options.raw !== undefined ? { body: options.raw } : {}),
			},
			{ incoming: { socket: { remoteAddress: options.from ?? '198.51.100.20' } } },
		);
	}
	return { world, send, tokens, token: (name: string) => tokens[name] as string };
}

const report = (details = 'It reads my tokens', extra: Record<string, unknown> = {}) => ({
	plugin: { id: PLUGINS.community.id },
	kind: 'malware',
	details,
	evidence: [{ path: 'plugin/__init__.py', line: 12, note: 'the call' }],
	...extra,
});

describe('incident API', () => {
	it('files reports, answers the token holder, and shows the public nothing private', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const { world, send, token } = await apiWorld(fixture);
			try {
				const anonymous = await send('POST', '/api/v1/reports', {
					body: report('<script>alert(1)</script> is in the page'),
				});
				assert.equal(anonymous.status, 201);
				const receipt = (await anonymous.json()) as {
					token: string;
					incidentId: number;
					reportId: number;
				};
				const trusted = await send('POST', '/api/v1/reports', {
					token: token('rita'),
					body: report('Same'),
					from: '192.0.2.1',
				});
				assert.equal(trusted.status, 201);
				const weights = await world.database.db
					.selectFrom('reports')
					.select(['weight', 'reporter_name'])
					.orderBy('id')
					.execute();
				assert.deepEqual(weights, [
					{ weight: 1, reporter_name: null },
					{ weight: 3, reporter_name: 'rita' },
				]);
				// A bearer that does not check out is refused, not taken as anonymous.
				assert.equal(
					(await send('POST', '/api/v1/reports', { token: 'vouch_forged', body: report() })).status,
					401,
				);

				const status = await send('GET', '/api/v1/reports/status', { token: receipt.token });
				assert.equal(status.status, 200);
				assert.equal(
					((await status.json()) as { incident: { id: number } }).incident.id,
					receipt.incidentId,
				);
				assert.equal((await send('GET', '/api/v1/reports/status')).status, 401);
				assert.equal(
					(await send('GET', '/api/v1/reports/status', { token: 'A'.repeat(43) })).status,
					404,
				);
				assert.equal(
					(await send('GET', '/api/v1/reports/status', { token: token('rita') })).status,
					404,
				);
				assert.equal(
					(await send('GET', '/api/v1/reports/status', { token: `${receipt.token}x` })).status,
					404,
				);
				// The reporter token is no admin credential.
				assert.equal(
					(await send('GET', '/api/v1/admin/whoami', { token: receipt.token })).status,
					401,
				);

				// Maintainers act through the admin API.
				const id = receipt.incidentId;
				assert.equal(
					(
						await send('POST', `/api/v1/admin/incidents/${id}/transition`, {
							token: token('alice'),
							body: { to: 'investigating', reason: 'Reading' },
						})
					).status,
					200,
				);
				assert.equal(
					(
						await send('POST', `/api/v1/admin/incidents/${id}/transition`, {
							token: token('alice'),
							body: { to: 'received', reason: 'back' },
						})
					).status,
					400,
				);
				const taken = await send('POST', `/api/v1/admin/incidents/${id}/actions`, {
					token: token('alice'),
					body: {
						kind: 'hard_blacklist',
						params: { advice: 'Rotate your API tokens' },
						reason: 'Sends tokens to a remote host',
					},
				});
				assert.equal(taken.status, 201);
				const action = (await taken.json()) as { actionId: number; state: string };
				assert.equal(action.state, 'applied');

				const before = (await (await send('GET', `/api/v1/incidents/${id}`)).json()) as {
					evidence: unknown[];
				};
				assert.deepEqual(before.evidence, [], 'evidence waits for a confirmation');
				await send('POST', `/api/v1/admin/incidents/${id}/transition`, {
					token: token('bob'),
					body: { to: 'confirmed', reason: 'Confirmed' },
				});

				const appeal = await send('POST', `/api/v1/incidents/${id}/appeals`, {
					body: { statement: 'It is a <b>lyrics</b> call', contact: 'dev@example.org' },
				});
				assert.equal(appeal.status, 201);
				const { token: appealToken } = (await appeal.json()) as { token: string };

				const page = await send('GET', `/api/v1/incidents/${id}`);
				assert.equal(page.status, 200);
				const text = await page.text();
				for (const secret of [
					receipt.token,
					appealToken,
					'rita',
					'198.51.100.20',
					'192.0.2.1',
					'dev@example.org',
					'lyrics</b>',
					'client_key',
					'token_hash',
				]) {
					assert.ok(!text.includes(secret), `the public view leaks ${secret}`);
				}
				assert.ok(!text.includes('<'), 'markup never appears raw in JSON');
				const view = JSON.parse(text) as {
					state: string;
					timeline: { kind: string; actor: string; reason: string }[];
					actions: {
						kind: string;
						state: string;
						severity: string;
						requestedBy: string;
						advice: string;
					}[];
					evidence: { path?: string }[];
				};
				assert.equal(view.state, 'appealed');
				assert.deepEqual(
					view.timeline.map((event) => event.kind),
					['state', 'report', 'report', 'state', 'action', 'state', 'appeal'],
				);
				assert.deepEqual(
					view.actions.map((a) => [a.kind, a.state, a.severity, a.requestedBy, a.advice]),
					[['hard_blacklist', 'applied', 'hard', 'alice', 'Rotate your API tokens']],
				);
				assert.equal(view.evidence[0]?.path, 'plugin/__init__.py');

				const list = (await (await send('GET', '/api/v1/incidents?state=appealed')).json()) as {
					total: number;
				};
				assert.equal(list.total, 1);
				assert.equal((await send('GET', '/api/v1/incidents?state=nope')).status, 400);
				assert.equal((await send('GET', '/api/v1/incidents/1e3')).status, 400);
				assert.equal((await send('GET', '/api/v1/incidents/99999')).status, 404);

				const osv = (await (await send('GET', '/api/v1/osv')).json()) as {
					id: string;
					withdrawn?: string;
					affected: { package: { name: string } }[];
					database_specific: { incident: string };
				}[];
				assert.equal(osv.length, 1);
				const osvId = osv[0]?.id ?? '';
				assert.match(osvId, /^VOUCH-MAL-\d{4}-\d+$/);
				assert.equal(osv[0]?.affected[0]?.package.name, PLUGINS.community.id);
				assert.equal(osv[0]?.withdrawn, undefined);
				assert.ok(osv[0]?.database_specific.incident.endsWith(`/incidents/${id}`));
				assert.equal((await send('GET', `/api/v1/osv/${osvId}`)).status, 200);
				assert.equal((await send('GET', '/api/v1/osv/VOUCH-MAL-2026-999')).status, 404);
				assert.equal((await send('GET', "/api/v1/osv/VOUCH-1'--")).status, 404);
				const metrics = (await (await send('GET', '/api/v1/metrics')).json()) as {
					incidents: { total: number };
					reportToDecision: { count: number; medianSeconds: number };
				};
				assert.equal(metrics.incidents.total, 1);
				assert.equal(metrics.reportToDecision.count, 1);
				assert.equal(metrics.reportToDecision.medianSeconds, 0, 'the test clock stands still');

				const appealRow = await world.database.db
					.selectFrom('appeals')
					.select('id')
					.executeTakeFirstOrThrow();
				assert.equal(
					(
						await send('POST', `/api/v1/admin/appeals/${appealRow.id}/decide`, {
							token: token('bob'),
							body: { grant: true, reason: 'Benign after all' },
						})
					).status,
					200,
				);
				assert.equal((await world.store.registry())?.registry.blacklist.length, 0);
				const withdrawn = (await (await send('GET', `/api/v1/osv/${osvId}`)).json()) as {
					withdrawn?: string;
				};
				assert.ok(withdrawn.withdrawn !== undefined, 'a reverted removal is withdrawn');
			} finally {
				await world.close();
			}
		});
	});

	it('refuses control characters in every field, keeps HTML and SQL as text, and bounds sizes', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const { world, send } = await apiWorld(fixture);
			try {
				const hostile = [
					report('ok \u001b[31mred'),
					report('ok', { plugin: { id: 'lyrics\u0000fetcher' } }),
					report('ok', { plugin: { id: PLUGINS.community.id, ref: 'main\r\nX: y' } }),
					report('ok', { host: { profile: 'picard\u001b]0;title\u0007', version: '3' } }),
					report('ok', { evidence: [{ path: 'a.py', note: 'see \u009b2J' }] }),
					report('ok', { evidence: [{ path: '../../etc/passwd' }] }),
					report('ok', { evidence: [{ url: 'javascript:alert(1)' }] }),
					report('ok', { kind: 'malware<script>' }),
					report('ok', { unexpected: 1 }),
					report('ok', { evidence: Array.from({ length: 11 }, () => ({ path: 'a.py' })) }),
					report('x'.repeat(4001)),
				];
				for (const body of hostile) {
					const response = await send('POST', '/api/v1/reports', { body });
					assert.equal(response.status, 400, JSON.stringify(body).slice(0, 200));
				}
				assert.equal((await send('POST', '/api/v1/reports', { raw: '{"plugin":' })).status, 400);
				const oversized = await send('POST', '/api/v1/reports', {
					raw: JSON.stringify(report('y'.repeat(33 * 1024))),
				});
				assert.equal(oversized.status, 413);
				assert.equal(
					await world.database.db.selectFrom('reports').select('id').executeTakeFirst(),
					undefined,
					'nothing stored',
				);

				assert.equal(
					(
						await send('POST', '/api/v1/reports', {
							body: report('ok', { plugin: { id: "' OR 1=1 --" } }),
						})
					).status,
					404,
				);
				const sql = await send('POST', '/api/v1/reports', {
					body: report("'); DROP TABLE reports; -- <img src=x onerror=alert(1)>"),
				});
				assert.equal(sql.status, 201);
				const stored = await world.database.db
					.selectFrom('reports')
					.select('details')
					.executeTakeFirstOrThrow();
				assert.equal(stored.details, "'); DROP TABLE reports; -- <img src=x onerror=alert(1)>");

				const id = ((await sql.json()) as { incidentId: number }).incidentId;
				const appeals = [
					{ statement: 'hi\u001b[2J' },
					{ statement: 'hi', contact: 'a\nb' },
					{ statement: 'x'.repeat(4001) },
					{ statement: 'hi', contact: 'x'.repeat(201) },
					{ statement: 'hi', extra: true },
				];
				for (const body of appeals) {
					assert.equal(
						(await send('POST', `/api/v1/incidents/${id}/appeals`, { body })).status,
						400,
						JSON.stringify(body).slice(0, 80),
					);
				}
			} finally {
				await world.close();
			}
		});
	});

	it('bounds spam: the service per client and plugin, and the rate limit per address', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const { world, send } = await apiWorld(fixture);
			try {
				for (let i = 0; i < 3; i++) {
					assert.equal(
						(await send('POST', '/api/v1/reports', { body: report(`again ${i}`) })).status,
						201,
					);
				}
				const limited = await send('POST', '/api/v1/reports', { body: report('once more') });
				assert.equal(limited.status, 429);
				assert.match(
					((await limited.json()) as { error: { hint?: string } }).error.hint ?? '',
					/later/,
				);
				// Another client of the same IPv6 /64 is the same client.
				assert.equal(
					(await send('POST', '/api/v1/reports', { body: report('v6'), from: '2001:db8:1:2::1' }))
						.status,
					201,
				);
				for (let i = 0; i < 2; i++)
					await send('POST', '/api/v1/reports', {
						body: report(`v6 ${i}`),
						from: `2001:db8:1:2::${i + 5}`,
					});
				assert.equal(
					(
						await send('POST', '/api/v1/reports', {
							body: report('v6 more'),
							from: '2001:db8:1:2:ffff::9',
						})
					).status,
					429,
				);

				// An anonymous client opens at most 5 incidents a day.
				let opened = 0;
				let refused = 0;
				for (let i = 0; i < 7; i++) {
					const response = await send('POST', '/api/v1/reports', {
						body: {
							plugin: { url: `https://github.com/random/p${i}` },
							kind: 'other',
							details: 'x',
							evidence: [],
						},
						from: '203.0.113.50',
					});
					if (response.status === 201) opened++;
					else if (response.status === 429) refused++;
				}
				assert.deepEqual([opened, refused], [5, 2]);
			} finally {
				await world.close();
			}
		});
		await forEachEngine(t, async (fixture) => {
			const { world, send } = await apiWorld(fixture, {
				report: { burst: 2, perSecond: 0.001 },
				now: () => 0,
			});
			try {
				assert.equal((await send('POST', '/api/v1/reports', { body: report('a') })).status, 201);
				assert.equal(
					(await send('POST', '/api/v1/reports', { body: report('b'), from: '198.51.100.20' }))
						.status,
					201,
				);
				assert.equal((await send('POST', '/api/v1/reports', { body: report('c') })).status, 429);
			} finally {
				await world.close();
			}
		});
	});

	it('a reporter token opens no admin route and no incident step', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const { world, send, token } = await apiWorld(fixture);
			try {
				const routes: [string, string][] = [
					['POST', '/api/v1/admin/plugins'],
					['PATCH', `/api/v1/admin/plugins/${PLUGINS.community.id}`],
					['DELETE', `/api/v1/admin/plugins/${PLUGINS.community.id}`],
					['POST', `/api/v1/admin/plugins/${PLUGINS.community.id}/refs`],
					['PATCH', `/api/v1/admin/plugins/${PLUGINS.community.id}/refs/main`],
					['DELETE', `/api/v1/admin/plugins/${PLUGINS.community.id}/refs/main`],
					['POST', '/api/v1/admin/blacklist'],
					['DELETE', '/api/v1/admin/blacklist/bl-1'],
					['PUT', '/api/v1/admin/registry'],
					['GET', '/api/v1/admin/changes'],
					['POST', '/api/v1/admin/publish'],
					['POST', '/api/v1/admin/accounts'],
					['POST', '/api/v1/admin/accounts/rita/tokens'],
					['POST', '/api/v1/admin/tokens/revoke'],
					['POST', '/api/v1/admin/incidents'],
					['POST', '/api/v1/admin/incidents/1/transition'],
					['POST', '/api/v1/admin/incidents/1/actions'],
					['POST', '/api/v1/admin/actions/1/approve'],
					['POST', '/api/v1/admin/actions/1/revert'],
					['POST', '/api/v1/admin/actions/1/undo'],
					['POST', '/api/v1/admin/appeals/1/decide'],
					['POST', '/api/v1/admin/lifts/1/approve'],
					['POST', '/api/v1/admin/lifts/1/refuse'],
				];
				for (const [method, path] of routes) {
					const response = await send(method, path, {
						token: token('rita'),
						body: { reason: 'x' },
					});
					assert.equal(response.status, 403, `${method} ${path}`);
				}
				const opened = await send('POST', '/api/v1/admin/incidents', {
					token: token('alice'),
					body: {
						grouping: 'author',
						ownerUrl: 'https://github.com/someone',
						title: 'Owner taken over',
						reason: 'Takeover reported by the host',
					},
				});
				assert.equal(opened.status, 201);
				const { id } = (await opened.json()) as { id: number };
				await send('POST', `/api/v1/admin/incidents/${id}/transition`, {
					token: token('alice'),
					body: { to: 'investigating', reason: 'Looking' },
				});
				const block = (await (
					await send('POST', `/api/v1/admin/incidents/${id}/actions`, {
						token: token('alice'),
						body: { kind: 'author_block', reason: 'All of the owner' },
					})
				).json()) as { actionId: number; state: string };
				assert.equal(block.state, 'awaiting_approval');
				assert.equal(
					(
						await send('POST', `/api/v1/admin/actions/${block.actionId}/approve`, {
							token: token('alice'),
							body: { reason: 'me' },
						})
					).status,
					403,
				);
				assert.equal(
					(
						await send('POST', `/api/v1/admin/actions/${block.actionId}/approve`, {
							token: token('bob'),
							body: { reason: 'ok' },
						})
					).status,
					200,
				);
				// Two maintainers applied it: one asks to undo it, and nothing is lifted yet.
				const undo = await send('POST', `/api/v1/admin/actions/${block.actionId}/undo`, {
					token: token('bob'),
					body: { reason: 'too wide' },
				});
				assert.equal(undo.status, 202);
				const asked = (await undo.json()) as {
					state: string;
					liftId: number;
					message: string;
					next: string;
				};
				assert.equal(asked.state, 'lift_requested');
				assert.match(asked.message, /Lift requested; needs a second maintainer/);
				assert.match(asked.next, new RegExp(`/api/v1/admin/lifts/${asked.liftId}/approve`));
				assert.equal((await world.store.registry())?.registry.blacklist.length, 1);
				const own = await send('POST', `/api/v1/admin/lifts/${asked.liftId}/approve`, {
					token: token('bob'),
					body: { reason: 'me again' },
				});
				assert.equal(own.status, 403);
				assert.equal(((await own.json()) as { error: { code: string } }).error.code, 'FORBIDDEN');
				assert.equal((await world.store.registry())?.registry.blacklist.length, 1);
				const approved = await send('POST', `/api/v1/admin/lifts/${asked.liftId}/approve`, {
					token: token('alice'),
					body: { reason: 'agreed' },
				});
				assert.equal(approved.status, 200);
				const done = (await approved.json()) as { state: string; outcome: string };
				assert.deepEqual([done.state, done.outcome], ['approved', 'undone']);
				assert.equal((await world.store.registry())?.registry.blacklist.length, 0);
			} finally {
				await world.close();
			}
		});
	});
});
