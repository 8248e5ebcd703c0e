import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachEngine } from '../engines.ts';
import { errorCode, FIXED_NOW, type JsonDocument, testService } from './helpers.ts';

const PLUGIN = 'additional-artists-details';

describe('admin API', () => {
	it('refuses missing, malformed, unknown, revoked and expired tokens, and the wrong role', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			let now = FIXED_NOW;
			const service = await testService(options, { clock: () => now });
			try {
				const edit = { trust: 'official', reason: 'reviewed' };
				assert.equal(
					await errorCode(
						await service.send('PATCH', `/api/v1/admin/plugins/${PLUGIN}`, undefined, edit),
					),
					'UNAUTHENTICATED',
				);
				for (const header of [
					'Basic abc',
					'Bearer',
					`Bearer ${service.adminToken}x`,
					'Bearer vouch_nope',
					`Token ${service.adminToken}`,
				]) {
					const response = await service.request('/api/v1/admin/whoami', {
						headers: { authorization: header },
					});
					assert.equal(response.status, 401, header);
				}
				// A maintainer may edit, but not manage accounts or publish.
				assert.equal(
					(await service.send('GET', '/api/v1/admin/whoami', service.maintainerToken)).status,
					200,
				);
				const forbidden = await service.send(
					'POST',
					'/api/v1/admin/accounts',
					service.maintainerToken,
					{ name: 'eve', role: 'admin' },
				);
				assert.equal(forbidden.status, 403);
				assert.equal(await errorCode(forbidden), 'FORBIDDEN');
				assert.equal(
					(await service.send('POST', '/api/v1/admin/publish', service.maintainerToken)).status,
					403,
				);
				assert.equal(
					(
						await service.send('PUT', '/api/v1/admin/registry', service.maintainerToken, {
							text: 'x',
							reason: 'y',
						})
					).status,
					403,
				);
				assert.equal(await service.accounts.byName('eve'), undefined);

				// Revoked.
				const revoked = await service.send(
					'POST',
					'/api/v1/admin/tokens/revoke',
					service.adminToken,
					{ token: service.maintainerToken },
				);
				assert.deepEqual(await revoked.json(), { revoked: true });
				assert.equal(
					(
						await service.send(
							'PATCH',
							`/api/v1/admin/plugins/${PLUGIN}`,
							service.maintainerToken,
							edit,
						)
					).status,
					401,
				);

				// Expired.
				const issued = await service.send(
					'POST',
					'/api/v1/admin/accounts/mia/tokens',
					service.adminToken,
					{ label: 'short', days: 1 },
				);
				assert.equal(issued.status, 201);
				const { token } = (await issued.json()) as { token: string };
				assert.equal((await service.send('GET', '/api/v1/admin/whoami', token)).status, 200);
				now = new Date(FIXED_NOW.getTime() + 2 * 86_400_000);
				assert.equal((await service.send('GET', '/api/v1/admin/whoami', token)).status, 401);

				const changes = await service.database.db.selectFrom('changes').selectAll().execute();
				assert.equal(changes.length, 1, 'only the import: nothing refused was written');
			} finally {
				await service.close();
			}
		});
	});

	it('edits through the planners, journals the change, and returns untrusted text as JSON data', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const published: number[] = [];
			const service = await testService(options, {
				publisher: {
					async publishNow() {
						published.push(1);
						const document = await service.store.document();
						await service.database.db
							.insertInto('publishes')
							.values({
								lease_epoch: 1,
								holder: 'test',
								revision: document?.revision ?? 0,
								targets_version: published.length,
								timestamp_version: published.length,
								log_size: published.length,
								started_at: FIXED_NOW.toISOString(),
								completed_at: FIXED_NOW.toISOString(),
							})
							.execute();
						await service.database.db
							.updateTable('changes')
							.set({ publish_id: published.length })
							.where('publish_id', 'is', null)
							.execute();
					},
				},
			});
			try {
				const reason = '<script>alert("x")</script> reviewed; DROP TABLE changes; --';
				const response = await service.send(
					'PATCH',
					`/api/v1/admin/plugins/${PLUGIN}`,
					service.maintainerToken,
					{
						trust: 'official',
						categories: ['metadata', 'ui'],
						reason,
						report: 'https://example.org/review/1',
					},
				);
				assert.equal(response.status, 200);
				const raw = await response.text();
				assert.doesNotMatch(
					raw,
					/<script>/,
					'JSON escapes nothing it need not, but never reaches HTML',
				);
				const body = JSON.parse(raw) as JsonDocument;
				assert.equal(body.change.action, 'trust_change');
				assert.equal(body.change.reason, reason);
				assert.equal(body.revision, 2);
				assert.equal(body.publish.published, true);
				assert.equal(body.publish.revision, 2);

				const detail = (await (
					await service.request(`/api/v1/plugins/${PLUGIN}`)
				).json()) as JsonDocument;
				assert.equal(detail.trust, 'official');
				assert.deepEqual(detail.categories, ['metadata', 'ui']);
				const rows = await service.database.db
					.selectFrom('changes')
					.selectAll()
					.orderBy('seq')
					.execute();
				assert.equal(rows.length, 2);
				assert.equal(rows[1]?.actor_name, 'mia');
				assert.equal(rows[1]?.reason, reason);
				assert.equal(rows[1]?.subject, PLUGIN);

				const changes = (await (
					await service.send('GET', '/api/v1/admin/changes?after=1', service.maintainerToken)
				).json()) as {
					changes: JsonDocument[];
				};
				assert.equal(changes.changes.length, 1);
				assert.equal(changes.changes[0]?.published, true);
				assert.equal(changes.changes[0]?.actor, 'mia');

				// The planners' rules hold: a trust change needs a reason; unknown keys are refused.
				assert.equal(
					(
						await service.send(
							'PATCH',
							`/api/v1/admin/plugins/${PLUGIN}`,
							service.maintainerToken,
							{ trust: 'community' },
						)
					).status,
					400,
				);
				const misspelt = await service.send(
					'PATCH',
					`/api/v1/admin/plugins/${PLUGIN}`,
					service.maintainerToken,
					{ trust: 'community', reson: 'x' },
				);
				assert.equal(misspelt.status, 400);
				assert.equal(
					await errorCode(
						await service.send('PATCH', '/api/v1/admin/plugins/nope', service.maintainerToken, {
							reason: 'x',
							trust: 'official',
						}),
					),
					'PLUGIN_NOT_IN_REGISTRY',
				);
				const notJson = await service.request(`/api/v1/admin/plugins/${PLUGIN}`, {
					method: 'PATCH',
					headers: {
						authorization: `Bearer ${service.maintainerToken}`,
						'content-type': 'application/json',
					},
					body: '{"reason": ',
				});
				assert.equal(notJson.status, 400);
				assert.equal(
					(await service.database.db.selectFrom('changes').selectAll().execute()).length,
					2,
				);
			} finally {
				await service.close();
			}
		});
	});

	it('asks for confirm: true before blocking registered plugins or removing anything', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const service = await testService(options);
			try {
				// Soft: a hard entry on a trusted plugin is an incident's, with a second maintainer.
				const entry = {
					url: 'https://github.com/rdswift/picard-plugin-additional-artists-details',
					severity: 'soft',
					reason: 'compromised <img src=x onerror=alert(1)>',
				};
				const asked = await service.send(
					'POST',
					'/api/v1/admin/blacklist',
					service.maintainerToken,
					entry,
				);
				assert.equal(asked.status, 409);
				const question = (await asked.json()) as {
					error: { code: string; details: { notes: string[] } };
				};
				assert.equal(question.error.code, 'CONFIRMATION_REQUIRED');
				assert.match(question.error.details.notes.join(' '), /additional-artists-details/);
				assert.equal(
					((await (await service.request('/api/v1/blacklist')).json()) as { entries: unknown[] })
						.entries.length,
					0,
				);

				const added = await service.send(
					'POST',
					'/api/v1/admin/blacklist',
					service.maintainerToken,
					{ ...entry, confirm: true },
				);
				assert.equal(added.status, 201);
				const id = ((await added.json()) as { change: { subject: string } }).change.subject;
				const listed = (await (await service.request('/api/v1/blacklist')).json()) as {
					entries: { id: string; reason: string }[];
				};
				assert.equal(listed.entries[0]?.id, id);
				assert.equal(listed.entries[0]?.reason, entry.reason);

				assert.equal(
					(
						await service.send('DELETE', `/api/v1/admin/blacklist/${id}`, service.maintainerToken, {
							reason: 'fixed',
						})
					).status,
					409,
				);
				assert.equal(
					(
						await service.send('DELETE', `/api/v1/admin/blacklist/${id}`, service.maintainerToken, {
							reason: 'fixed',
							confirm: true,
						})
					).status,
					200,
				);
				assert.equal(
					((await (await service.request('/api/v1/blacklist')).json()) as { entries: unknown[] })
						.entries.length,
					0,
				);

				assert.equal(
					(
						await service.send(
							'DELETE',
							`/api/v1/admin/plugins/${PLUGIN}`,
							service.maintainerToken,
							{ reason: 'gone' },
						)
					).status,
					409,
				);
				assert.equal((await service.request(`/api/v1/plugins/${PLUGIN}`)).status, 200);
				assert.equal(
					(
						await service.send(
							'DELETE',
							`/api/v1/admin/plugins/${PLUGIN}`,
							service.maintainerToken,
							{ reason: 'gone', confirm: true },
						)
					).status,
					200,
				);
				assert.equal((await service.request(`/api/v1/plugins/${PLUGIN}`)).status, 404);
			} finally {
				await service.close();
			}
		});
	});

	it('adds a plugin from manifest facts, manages its refs, and refuses a duplicate', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const service = await testService(options);
			try {
				const add = {
					git_url: 'https://github.com/example/picard-plugin-new-thing',
					manifest: {
						uuid: '0F0E0D0C-0000-4000-8000-000000000abc',
						name: 'New <Thing>',
						description: 'Does a new thing',
						authors: ['Ann Example'],
						name_i18n: { de: 'Neues Ding' },
					},
					categories: ['metadata'],
					refs: [{ name: 'main', min_api_version: '3.0' }],
				};
				const created = await service.send(
					'POST',
					'/api/v1/admin/plugins',
					service.maintainerToken,
					add,
				);
				assert.equal(created.status, 201, await created.clone().text());
				const id = ((await created.json()) as { change: { subject: string } }).change.subject;
				const detail = (await (
					await service.request(`/api/v1/plugins/${id}`)
				).json()) as JsonDocument;
				assert.equal(detail.name, 'New <Thing>');
				assert.equal(detail.uuid, '0f0e0d0c-0000-4000-8000-000000000abc');
				assert.equal(detail.trust, 'community');
				assert.equal(detail.nameI18n.de, 'Neues Ding');

				assert.equal(
					await errorCode(
						await service.send('POST', '/api/v1/admin/plugins', service.maintainerToken, add),
					),
					'DUPLICATE_ENTRY',
				);
				const official = await service.send(
					'POST',
					'/api/v1/admin/plugins',
					service.maintainerToken,
					{
						...add,
						git_url: 'https://github.com/example/other',
						manifest: {
							...add.manifest,
							uuid: '0f0e0d0c-0000-4000-8000-000000000abd',
							name: 'Other',
						},
						trust: 'official',
					},
				);
				assert.equal(await errorCode(official), 'INVALID_EDIT', 'an official add needs a reason');

				const ref = await service.send(
					'POST',
					`/api/v1/admin/plugins/${id}/refs`,
					service.maintainerToken,
					{ name: 'picard-v3', min_api_version: '3.0' },
				);
				assert.equal(ref.status, 201);
				assert.equal(
					(
						await service.send(
							'PATCH',
							`/api/v1/admin/plugins/${id}/refs/picard-v3`,
							service.maintainerToken,
							{ description: 'for 3.x' },
						)
					).status,
					200,
				);
				const refs = (
					(await (await service.request(`/api/v1/plugins/${id}`)).json()) as {
						refs: { name: string; description?: string }[];
					}
				).refs;
				assert.deepEqual(
					refs.map((r) => r.name),
					['main', 'picard-v3'],
				);
				assert.equal(refs[1]?.description, 'for 3.x');
				assert.equal(
					(
						await service.send(
							'DELETE',
							`/api/v1/admin/plugins/${id}/refs/picard-v3`,
							service.maintainerToken,
						)
					).status,
					200,
				);
				assert.equal(
					await errorCode(
						await service.send(
							'DELETE',
							`/api/v1/admin/plugins/${id}/refs/nope`,
							service.maintainerToken,
						),
					),
					'ENTRY_NOT_FOUND',
				);
				assert.equal(
					(
						await service.send(
							'POST',
							`/api/v1/admin/plugins/${id}/refs`,
							service.maintainerToken,
							{ name: '../../etc' },
						)
					).status,
					400,
				);
			} finally {
				await service.close();
			}
		});
	});

	it('bounds bodies: 413 and nothing stored; a registry import has its own, larger limit', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const service = await testService(options, {
				limits: { rateLimit: false, body: { defaultBytes: 1024, importBytes: 64 * 1024 } },
			});
			try {
				const before = await service.store.document();
				const big = await service.send(
					'PATCH',
					`/api/v1/admin/plugins/${PLUGIN}`,
					service.maintainerToken,
					{
						trust: 'official',
						reason: 'x'.repeat(2000),
					},
				);
				assert.equal(big.status, 413);
				assert.equal(big.headers.get('x-frame-options'), 'DENY');
				assert.equal(await errorCode(big), 'PAYLOAD_TOO_LARGE');
				// Chunked, without a Content-Length: counted as it streams.
				const chunks = new ReadableStream({
					start(controller) {
						for (let i = 0; i < 10; i++)
							controller.enqueue(new TextEncoder().encode(' '.repeat(500)));
						controller.close();
					},
				});
				const streamed = await service.request(`/api/v1/admin/plugins/${PLUGIN}`, {
					method: 'PATCH',
					headers: {
						authorization: `Bearer ${service.maintainerToken}`,
						'content-type': 'application/json',
					},
					body: chunks,
					duplex: 'half',
				} as RequestInit);
				assert.equal(streamed.status, 413);
				assert.deepEqual(await service.store.document(), before);

				const document = before?.text ?? '';
				const imported = await service.send('PUT', '/api/v1/admin/registry', service.adminToken, {
					text: document.replace('api_version = "3.0"', 'api_version = "3.0"\n# imported again'),
					reason: 'follow upstream',
				});
				assert.equal(imported.status, 200, await imported.clone().text());
				assert.equal(((await imported.json()) as { revision: number }).revision, 2);
				const tooBig = await service.send('PUT', '/api/v1/admin/registry', service.adminToken, {
					text: `${document}\n#${'x'.repeat(70 * 1024)}`,
					reason: 'huge',
				});
				assert.equal(tooBig.status, 413);
				assert.equal((await service.store.document())?.revision, 2);
				const broken = await service.send('PUT', '/api/v1/admin/registry', service.adminToken, {
					text: '[[plugins]\nid=',
					reason: 'broken',
				});
				assert.equal(broken.status, 400);
				assert.equal((await service.store.document())?.revision, 2);
			} finally {
				await service.close();
			}
		});
	});

	it('publishes on request (admin) and says when no publisher runs', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const service = await testService(options);
			try {
				const response = await service.send('POST', '/api/v1/admin/publish', service.adminToken);
				assert.equal(response.status, 503);
				assert.equal(await errorCode(response), 'UNAVAILABLE');
				const account = await service.send('POST', '/api/v1/admin/accounts', service.adminToken, {
					name: 'new-one',
					role: 'maintainer',
				});
				assert.equal(account.status, 201);
				const bad = await service.send('POST', '/api/v1/admin/accounts', service.adminToken, {
					name: '<b>',
					role: 'maintainer',
				});
				assert.equal(bad.status, 400);
				const role = await service.send('POST', '/api/v1/admin/accounts', service.adminToken, {
					name: 'x',
					role: 'root',
				});
				assert.equal(role.status, 400);
			} finally {
				await service.close();
			}
		});
	});
});
