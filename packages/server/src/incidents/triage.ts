/**
 * A maintainer's own moves on incidents: opening one without a report (a finding of their own,
 * or `registry hunt`), and moving one through its states (`state-machine.ts`). Confirming an
 * incident makes its automatic quarantine permanent (it no longer lapses); dismissing one
 * reverts every action still applied, with the dismissal's reason, once no block applied under
 * dual control remains (those are lifted by two maintainers first).
 */
import { serverError } from '../errors.ts';
import type { Actor } from '../store/actor.ts';
import { retryOnConflict } from '../store/log-only-change.ts';
import { requireMaintainer, reverseAction } from './actions.ts';
import type { IncidentContext } from './deps.ts';
import { normaliseOwnerUrl, openIncidentOf } from './grouping.ts';
import { logStep } from './incident-log.ts';
import { actionLiftIsDual } from './lifts.ts';
import { type ActionRow, appliedActionsOf, incidentRow, insertReceivedIncident } from './rows.ts';
import { assertMove, isIncidentState, timestampsFor } from './state-machine.ts';
import { lineText, requireReasonText } from './text-rules.ts';
import type { IncidentGrouping, IncidentState } from './types.ts';

export interface OpenIncidentInput {
	grouping: IncidentGrouping;
	pluginIds: string[];
	ownerUrl?: string;
	title: string;
	reason: string;
	evidence?: unknown[];
}

const MAX_EVIDENCE_JSON = 16 * 1024;

export async function openIncident(
	context: IncidentContext,
	input: OpenIncidentInput,
	actor: Actor,
): Promise<{ id: number }> {
	requireMaintainer(actor);
	const reason = requireReasonText(input.reason);
	const title = lineText(input.title, 300, 'The title').trim();
	if (title === '') throw serverError('BAD_REQUEST', 'The title is required.');
	const evidence = JSON.stringify(input.evidence ?? []);
	if (evidence.length > MAX_EVIDENCE_JSON) {
		throw serverError('BAD_REQUEST', `The evidence is over ${MAX_EVIDENCE_JSON} bytes.`);
	}
	const registry = (await context.store.registry())?.registry;
	const pluginIds = [...new Set(input.pluginIds)];
	for (const id of pluginIds) {
		if (!registry?.plugins.some((plugin) => plugin.id === id)) {
			throw serverError(
				'NOT_FOUND',
				`The registry lists no plugin ${lineText(id, 200, 'A plugin id')}.`,
			);
		}
	}
	const groupKey = groupKeyOf(context, input, pluginIds);
	const now = context.clock().toISOString();
	return retryOnConflict(context.db, async (trx) => {
		const open = await openIncidentOf(trx, groupKey);
		if (open !== undefined) {
			throw serverError(
				'REGISTRY_CONFLICT',
				`Incident ${open.id} is already open for this group.`,
				{
					hint: `Add to incident ${open.id} instead.`,
					details: { question: `incident ${open.id}` },
				},
			);
		}
		const id = await insertReceivedIncident(
			trx,
			{
				grouping: input.grouping,
				groupKey,
				pluginId: pluginIds.length === 1 ? (pluginIds[0] as string) : null,
				title,
			},
			now,
		);
		await logStep(context, trx, {
			incidentId: id,
			actor,
			kind: 'state',
			from: null,
			to: 'received',
			reason,
			details: { pluginIds, evidence: input.evidence ?? [] },
			summary: 'received',
		});
		return { id };
	});
}

function groupKeyOf(
	context: IncidentContext,
	input: OpenIncidentInput,
	pluginIds: string[],
): string {
	if (input.grouping === 'author') {
		if (input.ownerUrl === undefined) {
			throw serverError('BAD_REQUEST', 'An author incident needs ownerUrl.');
		}
		return normaliseOwnerUrl(lineText(input.ownerUrl, 2048, 'The owner URL'), context.urlContext);
	}
	const [first] = pluginIds;
	if (first === undefined) throw serverError('BAD_REQUEST', 'Name the plugin (pluginIds).');
	if (input.grouping === 'plugin') {
		// Several plugins are one incident when one finding covers them (`registry hunt`): the
		// group is that set, so the same finding reported again joins it.
		return pluginIds.length === 1 ? first : `plugins:${[...pluginIds].sort().join(',')}`;
	}
	// `version`: the plugin and what the title names (a version or a commit), so that two
	// compromised releases of one plugin are two incidents.
	if (pluginIds.length !== 1)
		throw serverError('BAD_REQUEST', 'A version incident is about one plugin.');
	return `${first}@${input.title.slice(0, 200)}`;
}

/**
 * A dismissal lifts every block of the incident with one maintainer's word, so it waits until
 * the blocks two maintainers applied were lifted by two (D22): else dismissing would be the way
 * around dual control. The actions judged are returned, and only those are lifted: a block a
 * second maintainer approves while the dismissal runs stays, and the dismissal is then refused
 * (`transition`), so the incident stays open to an appeal of it.
 */
async function blocksToLift(context: IncidentContext, incidentId: number): Promise<ActionRow[]> {
	const applied = await appliedActionsOf(context.db.db, incidentId);
	for (const action of applied) {
		if (await actionLiftIsDual(context, action)) {
			throw serverError(
				'FORBIDDEN',
				`Action ${action.id} (${action.kind}) was applied under dual control: dismissing would lift it alone.`,
				{
					hint: `Revert it first (POST /api/v1/admin/actions/${action.id}/revert) and have a second maintainer approve the lift, then dismiss.`,
				},
			);
		}
	}
	return applied;
}

export async function transition(
	context: IncidentContext,
	incidentId: number,
	to: IncidentState,
	actor: Actor,
	rawReason: string,
): Promise<void> {
	requireMaintainer(actor);
	if (typeof to !== 'string' || !isIncidentState(to)) {
		throw serverError('BAD_REQUEST', 'Unknown incident state.');
	}
	const reason = requireReasonText(rawReason);
	const incident = await incidentRow(context.db.db, incidentId);
	assertMove(incident.state, to);
	const judged = new Set<number>();
	if (to === 'dismissed') {
		for (const action of await blocksToLift(context, incidentId)) {
			judged.add(action.id);
			await reverseAction(
				context,
				action,
				actor,
				`Incident dismissed: ${reason}`.slice(0, 2000),
				'reverted',
			);
		}
	}
	const now = context.clock().toISOString();
	await retryOnConflict(context.db, async (trx) => {
		const updated = await trx
			.updateTable('incidents')
			.set({ state: to, updated_at: now, ...timestampsFor(incident.state, to, now, incident) })
			.where('id', '=', incidentId)
			.where('state', '=', incident.state)
			.executeTakeFirst();
		if (Number(updated.numUpdatedRows) !== 1) {
			throw serverError('REGISTRY_CONFLICT', 'The incident changed meanwhile.', {
				hint: 'Reload it and try again.',
			});
		}
		if (to === 'dismissed') {
			// A block applied since the check (a second maintainer's approval that passed its
			// incident check before this) is one the dismissal did not judge and does not lift. The
			// incident may not read "dismissed" over it: a dismissed incident cannot be appealed, so
			// its author would be blocked with no way to answer. The update above holds the
			// incident's row, and an approval writes that row too, so one committed meanwhile is
			// seen here and a later one finds the incident dismissed.
			const applied = await appliedActionsOf(trx, incidentId);
			const unjudged = applied.find((action) => !judged.has(action.id));
			if (unjudged !== undefined) {
				throw serverError(
					'FORBIDDEN',
					`Action ${unjudged.id} (${unjudged.kind}) was applied while the incident was being dismissed: dismissing would leave it in force on a dismissed incident.`,
					{
						hint: `Reload the incident. Revert the action first (POST /api/v1/admin/actions/${unjudged.id}/revert; a block two maintainers applied needs a second maintainer to lift), then dismiss.`,
					},
				);
			}
		}
		if (to === 'confirmed') {
			// A maintainer's confirmation makes the automatic quarantine permanent.
			await trx
				.updateTable('incident_actions')
				.set({ expires_at: null })
				.where('incident_id', '=', incidentId)
				.where('state', '=', 'applied')
				.execute();
		}
		if (to === 'dismissed') {
			// A request still waiting for its second maintainer dies with the incident: reopened
			// later, the incident starts again rather than holding a half-approved block.
			await trx
				.updateTable('incident_actions')
				.set({ state: 'refused', reverted_at: now })
				.where('incident_id', '=', incidentId)
				.where('state', '=', 'awaiting_approval')
				.execute();
		}
		await logStep(context, trx, {
			incidentId,
			actor,
			kind: 'state',
			from: incident.state,
			to,
			reason,
			summary: to,
		});
	});
}
