/**
 * The maintainers' incident API under `/api/v1/admin` (bearer token of a maintainer or admin;
 * a reporter's token is refused): open an incident, move it, take and reverse actions, approve
 * (dual control), undo (mass actions, 10 minutes), decide appeals, and approve or refuse the
 * lift requests that a revert, an undo or a grant of a dual-controlled block leaves (202). A step that changed the
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

/** The answer when a block applied under dual control waits for a second maintainer to lift it. */
function liftRequested(liftId: number) {
	return {
		state: 'lift_requested',
		liftId,
		message: 'Lift requested; needs a second maintainer. The block stays until then.',
		next: `Another maintainer or admin approves it: POST /api/v1/admin/lifts/${liftId}/approve {reason} (or refuses it: .../refuse).`,
	};
}

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
	api.use('/lifts/*', bearerAuth(deps.accounts));

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

	api.post('/actions/:id/approve', async (c) => {
		const actor = actorOf(requireRole(c, 'maintainer'));
		const id = parseWith(numericId, c.req.param('id'), 'action id');
		const body = await validJson(c, reasonBody);
		await deps.incidents.approveAction(id, actor, body.reason);
		return jsonReply({ actionId: id, done: 'approve', publish: await published() });
	});

	for (const verb of ['revert', 'undo'] as const) {
		api.post(`/actions/:id/${verb}`, async (c) => {
			const actor = actorOf(requireRole(c, 'maintainer'));
			const id = parseWith(numericId, c.req.param('id'), 'action id');
			const body = await validJson(c, reasonBody);
			const outcome =
				verb === 'revert'
					? await deps.incidents.revertAction(id, actor, body.reason)
					: await deps.incidents.undoAction(id, actor, body.reason);
			const publish = await published();
			if (outcome.state === 'lift_requested') {
				// Nothing was lifted: 202, and the answer says who must act next.
				return jsonReply({ actionId: id, ...liftRequested(outcome.liftId), publish }, 202);
			}
			return jsonReply({ actionId: id, done: verb, state: outcome.state, publish });
		});
	}

	api.post('/lifts/:id/approve', async (c) => {
		const actor = actorOf(requireRole(c, 'maintainer'));
		const id = parseWith(numericId, c.req.param('id'), 'lift request id');
		const body = await validJson(c, reasonBody);
		const approval = await deps.incidents.approveLift(id, actor, body.reason);
		return jsonReply({ ...approval, publish: await published() });
	});

	api.post('/lifts/:id/refuse', async (c) => {
		const actor = actorOf(requireRole(c, 'maintainer'));
		const id = parseWith(numericId, c.req.param('id'), 'lift request id');
		const body = await validJson(c, reasonBody);
		const refusal = await deps.incidents.refuseLift(id, actor, body.reason);
		return jsonReply({
			...refusal,
			message: 'Lift refused; the block stays.',
			publish: await published(),
		});
	});

	api.post('/appeals/:id/decide', async (c) => {
		const actor = actorOf(requireRole(c, 'maintainer'));
		const id = parseWith(numericId, c.req.param('id'), 'appeal id');
		const body = await validJson(c, decideBody);
		const outcome = await deps.incidents.decideAppeal(id, body.grant, actor, body.reason);
		const publish = await published();
		if (outcome.state === 'grant_pending') {
			return jsonReply(
				{
					appealId: id,
					granted: false,
					...liftRequested(outcome.liftId),
					state: 'grant_pending',
					publish,
				},
				202,
			);
		}
		return jsonReply({ appealId: id, granted: body.grant, state: outcome.state, publish });
	});

	return api;
}
