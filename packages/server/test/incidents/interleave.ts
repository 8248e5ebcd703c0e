/**
 * Tools for racing two incident steps at a chosen moment: a registry store whose edits run a
 * step inside their transaction (just before what they record beside the edit), and a wait for
 * the racing step to be stuck behind a row lock.
 *
 * On PostgreSQL each step has its own connection, so a step started while an edit's transaction
 * is open runs until it needs a row that transaction holds. With SQLite the service has one
 * connection: a step started inside a transaction waits for the connection, so nothing runs in
 * between and the wait returns at once.
 */
import { sql } from 'kysely';
import type { ServiceDb } from '../../src/db/open.ts';
import type { RegistryStore } from '../../src/store/registry-store.ts';

export interface SteppedStore {
	store: RegistryStore;
	/** Runs once, inside the next edit's transaction that records something beside the edit. */
	inNextEdit(step: () => Promise<void>): void;
}

export function steppedStore(inner: RegistryStore): SteppedStore {
	let next: (() => Promise<void>) | undefined;
	return {
		store: {
			...inner,
			edit(planner, actor, alongside) {
				if (alongside === undefined) return inner.edit(planner, actor);
				return inner.edit(planner, actor, async (trx, stored) => {
					const step = next;
					next = undefined;
					await step?.();
					await alongside(trx, stored);
				});
			},
		},
		inNextEdit(step) {
			next = step;
		},
	};
}

/**
 * Resolves once `racing` has settled, or once some connection to the database waits for a row
 * lock (on PostgreSQL; at once on SQLite). Polls: there is no event for a lock wait.
 */
export async function settledOrWaiting(database: ServiceDb, racing: Promise<unknown>) {
	if (database.engine !== 'postgres') return;
	let settled = false;
	racing.then(
		() => {
			settled = true;
		},
		() => {
			settled = true;
		},
	);
	while (!settled) {
		const { rows } = await sql<{ waiting: number }>`
			SELECT count(*)::int AS waiting FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(database.db);
		if ((rows[0]?.waiting ?? 0) > 0) return;
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

/** The code of a rejection, or `ok`. */
export function outcome(settled: PromiseSettledResult<unknown>): string {
	if (settled.status === 'fulfilled') return 'ok';
	const error = settled.reason as { code?: string };
	return `${error.code ?? 'error'}: ${String(settled.reason)}`;
}
