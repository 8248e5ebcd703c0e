/**
 * A block waiting for its second maintainer holds its plugin where it was requested (D22). The
 * approval blocks the plugin as the two judged it (`assertRequestedTarget`, `action-scope.ts`),
 * so a plugin moved meanwhile makes the approval fail. Without this rule one maintainer could
 * keep the block from ever applying by moving the plugin (a new `git_url`, a new uuid, a new id,
 * a removal) each time it is asked for again, with registry edits that never show on the
 * incident. So while a plugin block waits on an incident that can still approve it, an edit that
 * takes the plugin away from its requested uuid and canonical URL is refused. The way out is
 * on the incident's record: refuse the request (any maintainer may), then move the plugin.
 *
 * Only the plugin the request names, by its id, as the approval finds it; a plugin already
 * elsewhere before the edit is not this edit's doing (the approval will say so).
 *
 * An author block names an owner, and its entry is a pattern on the owner's URL: it blocks what
 * is listed under the owner when it lands. So it holds every plugin listed under the owner
 * (its canonical URL under the owner's, as `assertPluginInScope` reads an author incident): each
 * stays listed, by its id, under the owner. Else one maintainer could move the owner's plugins to
 * another owner's addresses while the block waits, and the approved pattern would match none of
 * them. A move within the owner is free: the pattern still matches.
 *
 * A waiting version block (a `versions` range) also holds its plugin's `versioning_scheme`, as
 * an applied one does (`held-coverage.ts`): kept or dropped, never changed or added. Clients read
 * the range against the installed tag under that scheme; a scheme put in place while the block
 * waits, one its tags do not follow, would leave the approved range only the manifest's version
 * (the author's word) to read.
 */
import { sanitizeText } from '@vouch/library/internal/core/sanitize';
import type { Registry, RegistryPlugin } from '@vouch/library/internal/registry/model';
import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';
import { serverError } from '../errors.ts';
import { isAtRequestedTarget } from './action-scope.ts';
import { ACTIONABLE_STATES } from './state-machine.ts';
import type { ActionParams } from './types.ts';

export interface PendingTargetProblem {
	action: number;
	incident: number;
	/** The plugin the request names (registry text: sanitise before display). */
	plugin: string;
	/** Its address after the edit, or null when the edit removes it (registry text). */
	url: string | null;
	/** `pending`: moved or removed; `rescheme`: given a versioning scheme a waiting range reads by. */
	problem: 'pending' | 'rescheme';
}

interface PendingRequest {
	action: number;
	incident: number;
	params: ActionParams;
}

/** Requests still waiting for a second maintainer, on incidents that can still approve them. */
async function pendingRequests(db: Kysely<ServiceDatabase>): Promise<PendingRequest[]> {
	const rows = await db
		.selectFrom('incident_actions')
		.innerJoin('incidents', 'incidents.id', 'incident_actions.incident_id')
		.select(['incident_actions.id', 'incident_actions.incident_id', 'incident_actions.params_json'])
		.where('incident_actions.state', '=', 'awaiting_approval')
		.where('incidents.state', 'in', [...ACTIONABLE_STATES])
		.orderBy('incident_actions.id')
		.execute();
	return rows.flatMap((row) => {
		const params = JSON.parse(row.params_json) as ActionParams;
		const holds =
			(params.target !== undefined && params.pluginId !== undefined) ||
			params.ownerUrl !== undefined;
		return holds ? [{ action: Number(row.id), incident: Number(row.incident_id), params }] : [];
	});
}

const underOwner = (ownerUrl: string) => (plugin: RegistryPlugin) =>
	plugin.canonicalGitUrl.startsWith(ownerUrl);

/** The owner's plugins (by id) that the edit takes out from under a waiting author block. */
function ownerProblems(
	before: Registry,
	after: Registry,
	request: { action: number; incident: number; params: ActionParams },
): PendingTargetProblem[] {
	const owned = underOwner(request.params.ownerUrl as string);
	return before.plugins.filter(owned).flatMap((held) => {
		const now = after.plugins.find((p) => p.id === held.id);
		if (now !== undefined && owned(now)) return [];
		return [
			{
				action: request.action,
				incident: request.incident,
				plugin: held.id,
				url: now?.gitUrl ?? null,
				problem: 'pending' as const,
			},
		];
	});
}

/** Every waiting request whose plugin this edit takes away from where it was requested. */
export function pendingTargetProblems(
	before: Registry,
	after: Registry,
	pending: readonly { action: number; incident: number; params: ActionParams }[],
): PendingTargetProblem[] {
	return pending.flatMap((request) => {
		if (request.params.ownerUrl !== undefined) return ownerProblems(before, after, request);
		if (!isAtRequestedTarget(before.plugins, request.params)) return [];
		const plugin = request.params.pluginId as string;
		const now = after.plugins.find((p) => p.id === plugin);
		const problem = (kind: PendingTargetProblem['problem']) => [
			{
				action: request.action,
				incident: request.incident,
				plugin,
				url: now?.gitUrl ?? null,
				problem: kind,
			},
		];
		if (!isAtRequestedTarget(after.plugins, request.params)) return problem('pending');
		if (request.params.versions === undefined || now?.versioningScheme === undefined) return [];
		const was = before.plugins.find((p) => p.id === plugin);
		return was?.versioningScheme === now.versioningScheme ? [] : problem('rescheme');
	});
}

/**
 * Refuses an edit that moves a plugin a waiting block names. Call it inside the transaction
 * that writes `after`, once the write holds the document row: a request approved or refused
 * meanwhile either committed first or commits after this edit and judges its document.
 */
export async function assertEditKeepsPendingTargets(
	db: Kysely<ServiceDatabase>,
	before: () => Registry | undefined,
	after: () => Registry,
): Promise<void> {
	// The documents are compared only when some block waits: most edits pay one query.
	const pending = await pendingRequests(db);
	if (pending.length === 0) return;
	const was = before();
	if (was === undefined) return;
	const problems = pendingTargetProblems(was, after(), pending);
	if (problems.length === 0) return;
	throw movedWhilePending(problems);
}

function movedWhilePending(problems: PendingTargetProblem[]) {
	const shown = problems.slice(0, 50).map((problem) => ({
		...problem,
		plugin: sanitizeText(problem.plugin, { maxLength: 100 }),
		url: problem.url === null ? null : sanitizeText(problem.url, { maxLength: 300 }),
	}));
	const named = shown
		.slice(0, 3)
		.map(
			(p) =>
				`${p.plugin} ${p.problem === 'rescheme' ? 'would take another versioning_scheme' : p.url === null ? 'would be removed' : `would move to ${p.url}`} while action ${p.action} of incident ${p.incident} waits to block it`,
		);
	const more = problems.length > 3 ? `; and ${problems.length - 3} more` : '';
	const first = shown[0] as PendingTargetProblem;
	return serverError(
		'HELD_BY_INCIDENT',
		`The edit moves ${problems.length === 1 ? 'a plugin' : `${problems.length} plugins`} a block waiting for its second maintainer names (or changes how its range reads their tags), so nothing was changed: ${named.join('; ')}${more}.`,
		{
			hint: `Let a second maintainer approve the block first, or refuse the request on its incident (POST /api/v1/admin/actions/${first.action}/revert, or its form on /admin/incidents/${first.incident}), then move the plugin. A versioning_scheme may be dropped meanwhile, not changed.`,
			details: { held: shown },
		},
	);
}
