/**
 * Actions: the reversible registry edits an incident makes, each with a required reason, each
 * one blacklist entry added through the library's planner (`planBlacklistAdd`, a hard one ahead
 * of the soft entries that would outrank it: `blacklist-entry.ts`) and removed the same way
 * (`planBlacklistRemove`). An action is applied at once, or waits for a second
 * maintainer (`dual-control.ts`). A hard blacklist supersedes a soft quarantine of the same
 * plugin, and an action takes over an entry no action holds on exactly its identifiers: in the
 * edit that adds its entry (`entry-takeover.ts`), so nothing is lifted unless the block is in.
 */

import { normaliseUuid } from '@vouch/library/internal/core/uuid';
import { planBlacklistRemove } from '@vouch/library/internal/registry/edit/blacklist-plans';
import type { RegistryPlugin } from '@vouch/library/internal/registry/model';
import { roleAllows } from '../admin/accounts.ts';
import { serverError } from '../errors.ts';
import type { Actor } from '../store/actor.ts';
import { retryOnConflict } from '../store/log-only-change.ts';
import {
	assertOwnerInScope,
	assertPluginInScope,
	assertRequestedTarget,
	pluginOfAction,
} from './action-scope.ts';
import { withdrawGrantsOverNewBlock } from './appeal-escalation.ts';
import { blacklistInputFor, type EntryTarget, planActionEntry } from './blacklist-entry.ts';
import { type IncidentContext, incidentUrl } from './deps.ts';
import {
	assertAutomaticAllowed,
	assertSecondMaintainer,
	isMassAction,
	liftNeedsSecondMaintainer,
	needsSecondMaintainer,
} from './dual-control.ts';
import { readTakeOver, settleTakeOver } from './entry-takeover.ts';
import { normaliseOwnerUrl, ownerPrefixOf } from './grouping.ts';
import { logStep } from './incident-log.ts';
import { closeActionLifts } from './lifts.ts';
import { type ActionRow, actionRow, type IncidentRow, incidentRow, paramsOf } from './rows.ts';
import { ACTIONABLE_STATES } from './state-machine.ts';
import { lineText, requireReasonText } from './text-rules.ts';
import { isProtectedPlugin, isProtectedTrust } from './trust-history.ts';
import type { ActionKind, ActionParams, ActionState, IncidentState } from './types.ts';
import { ACTION_KINDS } from './types.ts';

/** A mass action may be undone this long after it was applied. */
export const UNDO_WINDOW_MS = 10 * 60 * 1000;

export function requireMaintainer(actor: Actor): void {
	if (!roleAllows(actor.role, 'maintainer')) {
		throw serverError('FORBIDDEN', 'This needs the maintainer role.');
	}
}

export interface RequestOptions {
	automatic?: boolean;
	expiresAt?: string;
}

export async function requestAction(
	context: IncidentContext,
	incidentId: number,
	kind: ActionKind,
	rawParams: ActionParams,
	actor: Actor,
	rawReason: string,
	options: RequestOptions = {},
): Promise<{ actionId: number; state: ActionState }> {
	requireMaintainer(actor);
	if (!ACTION_KINDS.includes(kind)) throw serverError('BAD_REQUEST', 'Unknown action kind.');
	const reason = requireReasonText(rawReason);
	if (options.automatic === true) assertAutomaticAllowed(kind);
	const now = context.clock().toISOString();
	// What the request names, and so what a waiting request holds (`pending-targets.ts`), is read
	// from the registry in the transaction that records it, after the document's row lock
	// (`store/lock-order.ts`): an edit moving the plugin, or an owner's plugin, either committed
	// before and is seen here, or commits after and finds the request waiting. Read before, a move
	// committed in between would escape the hold, and the block approved later would miss it.
	const { actionId, dual } = await retryOnConflict(context.db, async (trx) => {
		const incident = await incidentRow(trx, incidentId);
		if (!ACTIONABLE_STATES.includes(incident.state as IncidentState)) {
			throw serverError('BAD_REQUEST', `A ${incident.state} incident takes no new action.`, {
				hint: 'Actions are taken on received, investigating, confirmed or appealed incidents.',
			});
		}
		const plugins = (await context.store.registryIn(trx))?.registry.plugins ?? [];
		const params = settleParams(context, incident, kind, rawParams, plugins);
		const target = targetIn(plugins, kind, params);
		if (target.plugin !== undefined) {
			assertPluginInScope(incident, target.plugin);
			params.target = {
				uuid: normaliseUuid(target.plugin.uuid),
				url: target.plugin.canonicalGitUrl,
			};
		}
		if (target.ownerUrl !== undefined) assertOwnerInScope(incident, target.ownerUrl, plugins);
		// Planned once now, so a request the planner refuses is refused before anything is stored.
		blacklistInputFor(kind, params, target, reason, incidentUrl(context, incidentId));
		// Official or trusted now, or once (`trust-history.ts`): a trust lowered first changes nothing.
		const dual =
			options.automatic !== true &&
			needsSecondMaintainer(kind, await isProtectedPlugin(trx, target.plugin));
		const inserted = await trx
			.insertInto('incident_actions')
			.values({
				incident_id: incidentId,
				kind,
				params_json: JSON.stringify(params),
				reason,
				state: 'awaiting_approval',
				automatic: options.automatic === true ? 1 : 0,
				mass: isMassAction(kind) ? 1 : 0,
				requested_by: actor.name,
				approved_by: null,
				requested_at: now,
				applied_at: null,
				reverted_at: null,
				blacklist_entry_id: null,
				change_seq: null,
				expires_at: options.expiresAt ?? null,
				undo_until: null,
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const actionId = Number(inserted.id);
		if (dual) {
			// The plugins an author block holds while it waits, as the request found them.
			const held =
				target.ownerUrl === undefined
					? {}
					: { holds: ownedPlugins(plugins, target.ownerUrl).slice(0, MAX_HELD_SHOWN) };
			await logStep(context, trx, {
				incidentId,
				actor,
				kind: 'action',
				reason,
				details: { actionId, action: kind, state: 'awaiting_approval', ...held },
				summary: `${kind} requested, awaiting a second maintainer (action ${actionId})`,
			});
		}
		return { actionId, dual };
	});
	if (dual) return { actionId, state: 'awaiting_approval' };
	try {
		await applyAction(context, await actionRow(context.db.db, actionId), actor, undefined);
	} catch (error) {
		// Nothing was changed: the request is kept as refused, so the timeline shows the attempt.
		await context.db.db
			.updateTable('incident_actions')
			.set({ state: 'refused' })
			.where('id', '=', actionId)
			.where('state', '=', 'awaiting_approval')
			.execute();
		throw error;
	}
	return { actionId, state: 'applied' };
}

export async function approveAction(
	context: IncidentContext,
	actionId: number,
	actor: Actor,
	rawReason: string,
): Promise<void> {
	requireMaintainer(actor);
	const reason = requireReasonText(rawReason);
	const action = await actionRow(context.db.db, actionId);
	if (action.state !== 'awaiting_approval') {
		throw serverError(
			'BAD_REQUEST',
			`Action ${actionId} is ${action.state}, not awaiting approval.`,
		);
	}
	assertSecondMaintainer(action.requested_by, actor);
	const incident = await incidentRow(context.db.db, action.incident_id);
	if (!ACTIONABLE_STATES.includes(incident.state as IncidentState)) {
		throw serverError('BAD_REQUEST', `A ${incident.state} incident takes no new action.`);
	}
	await applyAction(context, action, actor, reason);
}

async function applyAction(
	context: IncidentContext,
	action: ActionRow,
	actor: Actor,
	approvalReason: string | undefined,
): Promise<void> {
	const kind = action.kind as ActionKind;
	const params = paramsOf(action);
	const target = await targetOf(context, kind, params);
	assertRequestedTarget(target.plugin === undefined ? [] : [target.plugin], action.id, params);
	// A hard block takes the soft quarantine's place (the registry refuses two entries on the
	// same identifiers), and the action takes over an entry no action holds on exactly its
	// identifiers, in the same edit (`entry-takeover.ts`). A version block covers less than a
	// quarantine of every version, so it leaves the quarantine in the registry, moved after the
	// block so the block stays hard.
	let takeOver = await readTakeOver(context.db.db, kind, target.plugin, action.automatic === 1);
	const input = blacklistInputFor(
		kind,
		params,
		target,
		action.reason,
		incidentUrl(context, action.incident_id),
	);
	const now = context.clock();
	// The plugin as the document the entry is written to lists it: a block one maintainer applies
	// alone is checked again there, in the edit's transaction, against a trust raised meanwhile.
	let written = target.plugin;
	// The entry and the action's record commit together: a crash between the two would leave an
	// entry no action accounts for, and a second approval would add it again.
	await context.store.edit(
		(plan) => {
			// Again against the document the entry is written to: a move committed meanwhile counts.
			assertRequestedTarget(plan.registry.plugins, action.id, params);
			if (target.plugin !== undefined) {
				written = plan.registry.plugins.find((p) => p.id === params.pluginId) ?? target.plugin;
			}
			return planActionEntry(plan, input, takeOver).plan;
		},
		actor,
		async (trx, stored) => {
			// A trust level raised since the request was judged to need one maintainer, or a
			// plugin protected once (`trust-history.ts`): a hard block of a plugin made trusted in
			// that instant would otherwise land unapproved.
			if (
				approvalReason === undefined &&
				action.automatic !== 1 &&
				needsSecondMaintainer(kind, await isProtectedPlugin(trx, written))
			) {
				throw serverError(
					'FORBIDDEN',
					`The plugin of action ${action.id} became official or trusted meanwhile: the block needs a second maintainer.`,
					{ hint: 'Request it again: it will wait for a second maintainer (dual control).' },
				);
			}
			// The incident's state again, in the transaction that writes the entry: a dismissal or a
			// resolution since the check above would otherwise find a block landing after it, which
			// it never judged. The transaction holds the registry document's row (`lock-order.ts`), so
			// a step committing meanwhile is either seen here or waits for this block.
			const open = await trx
				.updateTable('incidents')
				.set({
					severity: kind === 'soft_quarantine' ? 'soft' : 'hard',
					...(params.advice === undefined ? {} : { advice: params.advice }),
					updated_at: now.toISOString(),
				})
				.where('id', '=', action.incident_id)
				.where('state', 'in', [...ACTIONABLE_STATES])
				.executeTakeFirst();
			if (Number(open.numUpdatedRows) !== 1) {
				throw serverError(
					'BAD_REQUEST',
					`Incident ${action.incident_id} moved on while action ${action.id} was applied; it takes no new action.`,
					{ hint: 'Reload the incident: a dismissed or resolved incident takes no new block.' },
				);
			}
			// An open appeal stops no block, but a grant waiting on the blocks it judged is withdrawn
			// by a new one (`appeal-escalation.ts`).
			const withdrawn = await withdrawGrantsOverNewBlock(
				trx,
				action.incident_id,
				now.toISOString(),
			);
			await settleTakeOver(
				context,
				trx,
				takeOver,
				(fresh) => {
					takeOver = fresh;
				},
				{ action, actor, plugin: target.plugin },
			);
			const entryId = stored?.subject ?? null;
			const updated = await trx
				.updateTable('incident_actions')
				.set({
					state: 'applied',
					approved_by: approvalReason === undefined ? null : actor.name,
					applied_at: now.toISOString(),
					blacklist_entry_id: entryId,
					change_seq: stored?.seq ?? null,
					undo_until:
						action.mass === 1 ? new Date(now.getTime() + UNDO_WINDOW_MS).toISOString() : null,
				})
				.where('id', '=', action.id)
				.where('state', '=', 'awaiting_approval')
				.executeTakeFirst();
			if (Number(updated.numUpdatedRows) !== 1) {
				throw serverError('BAD_REQUEST', `Action ${action.id} was decided meanwhile.`, {
					hint: 'Reload the incident.',
				});
			}
			await logStep(context, trx, {
				incidentId: action.incident_id,
				actor,
				kind: approvalReason === undefined ? 'action' : 'approval',
				reason: approvalReason ?? action.reason,
				details: {
					actionId: action.id,
					action: kind,
					state: 'applied',
					entry: entryId,
					...(withdrawn.length === 0 ? {} : { withdrawnLifts: withdrawn }),
				},
				summary: `${kind} applied (action ${action.id})`,
			});
		},
	);
}

export type Reversal = 'reverted' | 'undone' | 'expired';

/** What the log step of a reversal says beside the usual (the lift request it carries out). */
export interface ReversalStep {
	details?: Record<string, unknown>;
	summary?: string;
	/**
	 * The caller judged that one maintainer may lift it. Judged again against the document the
	 * removal is written to: a plugin made trusted or official meanwhile takes two to lift.
	 */
	alone?: boolean;
}

/**
 * Removes an applied action's entry and records why. Idempotent across processes: the entry
 * already gone is not an error, and only the writer that moves the action out of `applied`
 * records the step. The rules on who may lift (dual control) are the callers'
 * (`reversals.ts`, `lift-decisions.ts`); a lift request still waiting on the action is closed.
 */
export async function reverseAction(
	context: IncidentContext,
	action: ActionRow,
	actor: Actor,
	reason: string,
	outcome: Reversal,
	step: ReversalStep = {},
): Promise<boolean> {
	if (action.blacklist_entry_id !== null) {
		try {
			let written: RegistryPlugin | undefined;
			await context.store.edit(
				(plan) => {
					if (step.alone === true) written = assertLiftAlone(action, plan.registry.plugins);
					return planBlacklistRemove(plan, { id: action.blacklist_entry_id as string, reason });
				},
				actor,
				async (trx) => {
					// Protected once counts too (`trust-history.ts`): a lowering committed just before
					// this edit took the document's row is recorded by now.
					if (step.alone !== true || written === undefined) return;
					if (liftNeedsSecondMaintainer(action, await isProtectedPlugin(trx, written))) {
						throw liftNowDual(action);
					}
				},
			);
		} catch (error) {
			if ((error as { code?: string }).code !== 'ENTRY_NOT_FOUND') throw error;
		}
	}
	const now = context.clock().toISOString();
	return retryOnConflict(context.db, async (trx) => {
		const updated = await trx
			.updateTable('incident_actions')
			.set({ state: outcome, reverted_at: now, expires_at: null })
			.where('id', '=', action.id)
			.where('state', '=', 'applied')
			.executeTakeFirst();
		if (Number(updated.numUpdatedRows) !== 1) return false;
		await closeActionLifts(trx, action.id, now);
		await logStep(context, trx, {
			incidentId: action.incident_id,
			actor,
			kind: outcome === 'reverted' ? 'revert' : outcome === 'undone' ? 'undo' : 'expiry',
			reason,
			details: { actionId: action.id, action: action.kind, state: outcome, ...step.details },
			summary: step.summary ?? `${action.kind} ${outcome} (action ${action.id})`,
		});
		return true;
	});
}

/** Refuses a lift one maintainer asked for once the plugin's trust now needs two; returns it. */
function assertLiftAlone(
	action: ActionRow,
	plugins: readonly RegistryPlugin[],
): RegistryPlugin | undefined {
	const plugin =
		action.kind === 'author_block' ? undefined : pluginOfAction(plugins, paramsOf(action));
	if (liftNeedsSecondMaintainer(action, isProtectedTrust(plugin))) throw liftNowDual(action);
	return plugin;
}

function liftNowDual(action: ActionRow) {
	return serverError(
		'BAD_REQUEST',
		`Lifting action ${action.id} now needs a second maintainer: its plugin's trust changed meanwhile.`,
		{ hint: 'Reload the incident and ask again: the lift will wait for a second maintainer.' },
	);
}

/** The action's parameters, completed from the incident and checked. */
function settleParams(
	context: IncidentContext,
	incident: IncidentRow,
	kind: ActionKind,
	raw: ActionParams,
	plugins: readonly RegistryPlugin[],
): ActionParams {
	const params: ActionParams = {};
	if (raw.advice !== undefined) {
		params.advice = lineText(raw.advice, 1000, 'The advice').trim();
		// Refused here, before anything is stored: the registry refuses an empty advice when the
		// entry is written, so a request waiting for its second maintainer could never be approved.
		if (params.advice === '') {
			throw serverError('BAD_REQUEST', 'The advice is empty.', {
				hint: 'Say what users should do, or leave the advice out.',
			});
		}
	}
	if (kind === 'author_block') {
		const owner =
			raw.ownerUrl ??
			(incident.grouping === 'author' ? incident.group_key : undefined) ??
			ownerOfPlugin(plugins, raw.pluginId ?? incident.plugin_id);
		if (owner === undefined) throw serverError('BAD_REQUEST', 'An author block needs ownerUrl.');
		params.ownerUrl = normaliseOwnerUrl(lineText(owner, 2048, 'The owner URL'), context.urlContext);
		return params;
	}
	const pluginId = raw.pluginId ?? incident.plugin_id ?? undefined;
	if (pluginId === undefined) {
		throw serverError('BAD_REQUEST', 'This incident names no registered plugin: give pluginId.');
	}
	params.pluginId = lineText(pluginId, 200, 'The plugin id');
	if (kind === 'version_block') {
		if (raw.versions !== undefined) params.versions = lineText(raw.versions, 200, 'The range');
		if (raw.commit !== undefined) {
			if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(raw.commit)) {
				throw serverError('BAD_REQUEST', 'The commit is not a full commit hash.');
			}
			params.commit = raw.commit;
		}
	}
	return params;
}

function ownerOfPlugin(
	plugins: readonly RegistryPlugin[],
	pluginId: string | null | undefined,
): string | undefined {
	if (pluginId === null || pluginId === undefined) return undefined;
	const plugin = plugins.find((p) => p.id === pluginId);
	return plugin === undefined ? undefined : ownerPrefixOf(plugin.canonicalGitUrl);
}

/** The ids of the plugins listed under an owner's URL (what a waiting author block holds). */
function ownedPlugins(plugins: readonly RegistryPlugin[], ownerUrl: string): string[] {
	return plugins.filter((p) => p.canonicalGitUrl.startsWith(ownerUrl)).map((p) => p.id);
}

/** Plugin ids a request's log step lists at most. */
const MAX_HELD_SHOWN = 100;

async function targetOf(
	context: IncidentContext,
	kind: ActionKind,
	params: ActionParams,
): Promise<EntryTarget> {
	if (kind === 'author_block') return targetIn([], kind, params);
	return targetIn((await context.store.registry())?.registry.plugins ?? [], kind, params);
}

function targetIn(
	plugins: readonly RegistryPlugin[],
	kind: ActionKind,
	params: ActionParams,
): EntryTarget {
	if (kind === 'author_block') return { ...(params.ownerUrl ? { ownerUrl: params.ownerUrl } : {}) };
	const plugin = plugins.find((p) => p.id === params.pluginId);
	if (plugin === undefined) {
		throw serverError('NOT_FOUND', 'The registry lists no such plugin.', {
			hint: 'Actions block registered plugins; block other URLs with an author block.',
		});
	}
	return { plugin };
}
