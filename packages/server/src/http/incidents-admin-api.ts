/**
 * The maintainers' incident API under `/api/v1/admin` (bearer token of a maintainer or admin;
 * a reporter's token is refused): open an incident, move it, take and reverse actions, approve
 * (dual control), undo (mass actions, 10 minutes), and decide appeals. A step that changed the
 * registry or the log is published at once, so the decision is signed within seconds.
 */
import { Hono } from 'hono';
import { type Accounts, actorOf } from '../admin/accounts.ts';
import type { ActionKind, IncidentService, IncidentState } from '../incidents/types.ts';
import { type AdminEnv, bearerAuth, requireRole } from './admin-auth.ts';
import { type EditRunnerDeps, publishAfterEdit } from './admin-edits.ts';
import {
	actionBody,
	decideBody,
	numericId,
	openIncidentBody,
	reasonBody,
	transitionBody,
} from './incident-schemas.ts';
import { jsonReply } from './json-text.ts';
import { parseWith, validJson } from './validate.ts';

export interface IncidentsAdminApiDeps extends EditRunnerDeps {
	accounts: Accounts;
	incidents: IncidentService;
}

export function incidentsAdminApi(deps: IncidentsAdminApiDeps): Hono<AdminEnv> {
	const api = new Hono<AdminEnv>();
	api.use('/incidents/*', bearerAuth(deps.accounts));
	api.use('/incidents', bearerAuth(deps.accounts));
	api.use('/actions/*', bearerAuth(deps.accounts));
	api.use('/appeals/*', bearerAuth(deps.accounts));

	/** Publishes what the step wrote (a blacklist edit, a log entry) and says how it went. */
	async function published() {
		const version = await deps.store.version();
		return version === undefined ? null : publishAfterEdit(deps, version.revision);
	}

	api.post('/incidents', async (c) => {
		const actor = actorOf(requireRole(c, 'maintainer'));
		const body = await validJson(c, openIncidentBody);
		const opened = await deps.incidents.openIncident(
			{
				grouping: body.grouping,
				pluginIds: body.pluginIds,
				...(body.ownerUrl === undefined ? {} : { ownerUrl: body.ownerUrl }),
				title: body.title,
				reason: body.reason,
				...(body.evidence === undefined ? {} : { evidence: body.evidence }),
			},
			actor,
		);
		return jsonReply({ ...opened, publish: await published() }, 201);
	});

	api.post('/incidents/:id/transition', async (c) => {
		const actor = actorOf(requireRole(c, 'maintainer'));
		const id = parseWith(numericId, c.req.param('id'), 'incident id');
		const body = await validJson(c, transitionBody);
		await deps.incidents.transition(id, body.to as IncidentState, actor, body.reason);
		return jsonReply({ id, state: body.to, publish: await published() });
	});

	api.post('/incidents/:id/actions', async (c) => {
		const actor = actorOf(requireRole(c, 'maintainer'));
		const id = parseWith(numericId, c.req.param('id'), 'incident id');
		const body = await validJson(c, actionBody);
		const params = Object.fromEntries(
			Object.entries(body.params).filter(([, value]) => value !== undefined),
		);
		const taken = await deps.incidents.requestAction(
			id,
			body.kind as ActionKind,
			params,
			actor,
			body.reason,
		);
		return jsonReply({ ...taken, publish: await published() }, 201);
	});

	for (const verb of ['approve', 'revert', 'undo'] as const) {
		api.post(`/actions/:id/${verb}`, async (c) => {
			const actor = actorOf(requireRole(c, 'maintainer'));
			const id = parseWith(numericId, c.req.param('id'), 'action id');
			const body = await validJson(c, reasonBody);
			if (verb === 'approve') await deps.incidents.approveAction(id, actor, body.reason);
			else if (verb === 'revert') await deps.incidents.revertAction(id, actor, body.reason);
			else await deps.incidents.undoAction(id, actor, body.reason);
			return jsonReply({ actionId: id, done: verb, publish: await published() });
		});
	}

	api.post('/appeals/:id/decide', async (c) => {
		const actor = actorOf(requireRole(c, 'maintainer'));
		const id = parseWith(numericId, c.req.param('id'), 'appeal id');
		const body = await validJson(c, decideBody);
		await deps.incidents.decideAppeal(id, body.grant, actor, body.reason);
		return jsonReply({ appealId: id, granted: body.grant, publish: await published() });
	});

	return api;
}
