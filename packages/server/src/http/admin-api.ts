/**
 * The admin JSON API under `/api/v1/admin`, for maintainers' tooling: plugin, ref and
 * blacklist edits (maintainer), a whole-registry import, accounts, tokens and publishing
 * (admin). Every edit is planned by the library's planners, exactly as `vouch registry …`
 * plans it, and journalled with the account as its actor.
 */
import {
	planBlacklistAdd,
	planBlacklistRemove,
} from '@vouch/library/internal/registry/edit/blacklist-plans';
import {
	planPluginAdd,
	planPluginEdit,
	planPluginRemove,
} from '@vouch/library/internal/registry/edit/plugin-plans';
import {
	planRefAdd,
	planRefEdit,
	planRefRemove,
} from '@vouch/library/internal/registry/edit/ref-plans';
import { Hono } from 'hono';
import { type Accounts, actorOf } from '../admin/accounts.ts';
import { serverError } from '../errors.ts';
import { assertNotHeldByAction } from '../incidents/held-entries.ts';
import { manualEntryGuard } from '../incidents/manual-entries.ts';
import { listChanges } from '../store/change-queries.ts';
import { type AdminEnv, bearerAuth, requireRole } from './admin-auth.ts';
import { type EditRunnerDeps, editResponse, publishAfterEdit, runEdit } from './admin-edits.ts';
import {
	accountBody,
	blacklistAddBody,
	changesQuery,
	confirmedReasonBody,
	importBody,
	pluginAddBody,
	pluginEditBody,
	refAddBody,
	refEditBody,
	revokeBody,
	tokenBody,
} from './admin-schemas.ts';
import { jsonReply } from './json-text.ts';
import { validJson, validQuery } from './validate.ts';

export interface AdminApiDeps extends EditRunnerDeps {
	accounts: Accounts;
}

function defined<T extends Record<string, unknown>>(
	value: T,
): { [K in keyof T]: Exclude<T[K], undefined> } {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
		[K in keyof T]: Exclude<T[K], undefined>;
	};
}

export function adminApi(deps: AdminApiDeps): Hono<AdminEnv> {
	const api = new Hono<AdminEnv>();
	api.use('*', bearerAuth(deps.accounts));

	api.get('/whoami', (c) => {
		const account = c.get('account');
		return jsonReply({ name: account.name, role: account.role });
	});

	api.post('/plugins', async (c) => {
		const actor = actorOf(requireRole(c, 'maintainer'));
		const body = await validJson(c, pluginAddBody);
		const manifest = {
			uuid: body.manifest.uuid,
			name: body.manifest.name,
			description: body.manifest.description,
			authors: body.manifest.authors,
			maintainers: body.manifest.maintainers,
			categories: body.manifest.categories,
			nameI18n: body.manifest.name_i18n,
			descriptionI18n: body.manifest.description_i18n,
		};
		const result = await runEdit(deps, actor, (context) =>
			planPluginAdd(
				context,
				defined({
					gitUrl: body.git_url,
					// One manifest per ref: the caller read it once; the UUID check still runs.
					manifests: body.refs.map(() => manifest),
					trust: body.trust,
					categories: body.categories,
					refs: body.refs.map((ref) => defined(ref)),
					versioningScheme: body.versioning_scheme,
					reason: body.reason,
					report: body.report,
				}),
			),
		);
		return jsonReply(result, result.changed ? 201 : 200);
	});

	api.patch('/plugins/:id', async (c) => {
		const actor = actorOf(requireRole(c, 'maintainer'));
		const body = await validJson(c, pluginEditBody);
		const id = c.req.param('id');
		const input = defined({
			trust: body.trust,
			categories: body.categories,
			gitUrl: body.git_url,
			versioningScheme: body.versioning_scheme,
			reason: body.reason,
			report: body.report,
		});
		return jsonReply(await runEdit(deps, actor, (context) => planPluginEdit(context, id, input)));
	});

	api.delete('/plugins/:id', async (c) => {
		const actor = actorOf(requireRole(c, 'maintainer'));
		const body = await validJson(c, confirmedReasonBody);
		const id = c.req.param('id');
		// Removing a plugin lifts no block (its entry stays); a re-add elsewhere is the store's
		// to refuse (`incidents/held-coverage.ts`).
		return jsonReply(
			await runEdit(
				deps,
				actor,
				(context) => planPluginRemove(context, id, body.reason),
				body.confirm,
			),
		);
	});

	api.post('/plugins/:id/refs', async (c) => {
		const actor = actorOf(requireRole(c, 'maintainer'));
		const body = await validJson(c, refAddBody);
		const id = c.req.param('id');
		const fields = defined({
			description: body.description,
			minApiVersion: body.min_api_version,
			maxApiVersion: body.max_api_version,
		});
		const result = await runEdit(deps, actor, (context) =>
			planRefAdd(context, id, body.name, fields),
		);
		return jsonReply(result, result.changed ? 201 : 200);
	});

	api.patch('/plugins/:id/refs/:name', async (c) => {
		const actor = actorOf(requireRole(c, 'maintainer'));
		const body = await validJson(c, refEditBody);
		const id = c.req.param('id');
		const name = c.req.param('name');
		const fields = defined({
			newName: body.new_name,
			description: body.description,
			minApiVersion: body.min_api_version,
			maxApiVersion: body.max_api_version,
		});
		return jsonReply(
			await runEdit(deps, actor, (context) => planRefEdit(context, id, name, fields)),
		);
	});

	api.delete('/plugins/:id/refs/:name', async (c) => {
		const actor = actorOf(requireRole(c, 'maintainer'));
		const id = c.req.param('id');
		const name = c.req.param('name');
		return jsonReply(await runEdit(deps, actor, (context) => planRefRemove(context, id, name)));
	});

	api.post('/blacklist', async (c) => {
		const actor = actorOf(requireRole(c, 'maintainer'));
		const body = await validJson(c, blacklistAddBody);
		const input = defined({
			uuid: body.uuid,
			url: body.url,
			urlRegex: body.url_regex,
			versions: body.versions,
			severity: body.severity,
			reason: body.reason,
			report: body.report,
		});
		// Not what an incident applies only with a second maintainer (D22).
		const guard = manualEntryGuard();
		const result = await runEdit(
			deps,
			actor,
			(context) => guard.plan(context, planBlacklistAdd(context, input)),
			body.confirm,
			guard.alongside,
		);
		return jsonReply(result, result.changed ? 201 : 200);
	});

	api.delete('/blacklist/:id', async (c) => {
		const actor = actorOf(requireRole(c, 'maintainer'));
		const body = await validJson(c, confirmedReasonBody);
		const id = c.req.param('id');
		return jsonReply(
			await runEdit(
				deps,
				actor,
				(context) => planBlacklistRemove(context, { id, reason: body.reason }),
				body.confirm,
				// In the edit's transaction, on every attempt: an action applied between a check
				// made beforehand and the commit would otherwise lose its entry.
				(trx) => assertNotHeldByAction(trx, id),
			),
		);
	});

	// The whole document at once (following the registry's own repository): admin only.
	api.put('/registry', async (c) => {
		const actor = actorOf(requireRole(c, 'admin'));
		const body = await validJson(c, importBody);
		const result = await deps.store.importText(body.text, actor, body.reason);
		return jsonReply(await editResponse(deps, result));
	});

	api.get('/changes', async (c) => {
		requireRole(c, 'maintainer');
		const query = validQuery(c, changesQuery);
		const rows = await listChanges(deps.database.db, {
			after: query.after ?? 0,
			limit: query.limit ?? 50,
		});
		return jsonReply({
			changes: rows.map((row) => ({
				seq: row.seq,
				action: row.action,
				subject: row.subject,
				reason: row.reason,
				actor: row.actor_name,
				actorKey: row.actor_key,
				report: row.report,
				sha256Before: row.sha256_before,
				sha256After: row.sha256_after,
				revision: row.revision,
				createdAt: row.created_at,
				published: row.publish_id !== null,
				publishId: row.publish_id,
				publishedAt: row.completed_at ?? null,
			})),
		});
	});

	api.post('/publish', async (c) => {
		requireRole(c, 'admin');
		if (deps.publisher === undefined) {
			throw serverError('UNAVAILABLE', 'This service runs no publisher.', {
				hint: 'Start it with --keys <dir> to sign and publish.',
			});
		}
		const current = await deps.store.document();
		return jsonReply(await publishAfterEdit(deps, current?.revision ?? 0));
	});

	api.post('/accounts', async (c) => {
		requireRole(c, 'admin');
		const body = await validJson(c, accountBody);
		const account = await deps.accounts.create(body.name, body.role, body.password);
		return jsonReply({ name: account.name, role: account.role }, 201);
	});

	api.post('/accounts/:name/tokens', async (c) => {
		requireRole(c, 'admin');
		const body = await validJson(c, tokenBody);
		const account = await deps.accounts.byName(c.req.param('name'));
		if (account === undefined) throw serverError('NOT_FOUND', 'There is no such account.');
		const token = await deps.accounts.issueToken(account, body.label, body.days);
		// Shown once: only its hash is stored.
		return jsonReply({ account: account.name, token }, 201);
	});

	api.post('/tokens/revoke', async (c) => {
		requireRole(c, 'admin');
		const body = await validJson(c, revokeBody);
		return jsonReply({ revoked: await deps.accounts.revokeToken(body.token) });
	});

	return api;
}
