/**
 * How every admin edit runs: the library's planner, the "are you sure?" of the CLI turned into
 * a required `confirm: true`, the store's optimistic-lock commit, then a publish so clients see
 * the change. An edit that committed stays committed when the publish fails: the response says
 * so, and the publisher's next round carries it.
 */
import type { EditContext, EditPlan } from '@vouch/library/internal/registry/edit/plan';
import type { ServiceDb } from '../db/open.ts';
import { serverError } from '../errors.ts';
import type { Actor } from '../store/actor.ts';
import type { EditAlongside, RegistryStore, StoreEditResult } from '../store/registry-store.ts';

export interface Publisher {
	publishNow(): Promise<unknown>;
	/** Resolves once any process's publish carried `revision`; the lease may be another's. */
	waitForRevision?(revision: number, options?: { timeoutMs?: number }): Promise<void>;
}

/** How long an edit waits for another process's publisher to carry it before answering. */
const WAIT_FOR_OTHER_PUBLISHER_MS = 10_000;

export interface EditRunnerDeps {
	database: ServiceDb;
	store: RegistryStore;
	publisher?: Publisher;
	log?: (line: string) => void;
}

/** Refuses a plan that asks a question, unless the request already answered yes. */
export function confirmed(
	planner: (context: EditContext) => EditPlan,
	confirm: boolean | undefined,
): (context: EditContext) => EditPlan {
	return (context) => {
		const plan = planner(context);
		if (plan.confirm !== undefined && confirm !== true && plan.ops.length > 0) {
			throw serverError('CONFIRMATION_REQUIRED', plan.confirm, {
				hint: 'Send the request again with "confirm": true if this is what you mean.',
				details: { question: plan.confirm, notes: plan.notes },
			});
		}
		return plan;
	};
}

export async function publishAfterEdit(deps: EditRunnerDeps, revision: number) {
	if (deps.publisher === undefined) return { published: false, reason: 'no publisher runs here' };
	try {
		const outcome = (await deps.publisher.publishNow()) as { status?: string } | undefined;
		// Another process holds the lease: its loop publishes the edit; wait for it, briefly.
		if (outcome?.status === 'not-holder' && deps.publisher.waitForRevision !== undefined) {
			await deps.publisher.waitForRevision(revision, { timeoutMs: WAIT_FOR_OTHER_PUBLISHER_MS });
		}
	} catch (error) {
		deps.log?.(`publish after an edit failed: ${(error as Error).stack ?? String(error)}`);
		const code = (error as { code?: unknown }).code;
		return { published: false, reason: typeof code === 'string' ? code : 'PUBLISH_FAILED' };
	}
	const latest = await deps.database.db
		.selectFrom('publishes')
		.select(['id', 'revision', 'completed_at'])
		.orderBy('id', 'desc')
		.limit(1)
		.executeTakeFirst();
	const carried = latest !== undefined && latest.revision >= revision;
	return {
		published: carried,
		...(carried ? {} : { reason: 'the edit is committed and waits for the next publish' }),
		publishId: latest?.id ?? null,
		revision: latest?.revision ?? null,
		completedAt: latest?.completed_at ?? null,
	};
}

/** The JSON answer to an edit. */
export async function editResponse(deps: EditRunnerDeps, result: StoreEditResult) {
	const stored = result.stored;
	return {
		changed: stored !== undefined,
		change:
			stored === undefined
				? null
				: {
						seq: stored.seq,
						revision: stored.revision,
						action: stored.action,
						subject: stored.subject,
						reason: stored.reason,
						record: stored.change ?? null,
					},
		notes: result.notes,
		revision: result.document.revision,
		publish: stored === undefined ? null : await publishAfterEdit(deps, stored.revision),
	};
}

export async function runEdit(
	deps: EditRunnerDeps,
	actor: Actor,
	planner: (context: EditContext) => EditPlan,
	confirm?: boolean,
	alongside?: EditAlongside,
) {
	const result = await deps.store.edit(confirmed(planner, confirm), actor, alongside);
	return editResponse(deps, result);
}
