/**
 * An author's answer to a block (D22). An appeal is filed against an incident with an applied
 * action, with a bounded statement and an optional contact (never shown publicly), and moves
 * the incident to `appealed`; its token is shown once. A maintainer decides it
 * (`appeal-decisions.ts`).
 */
import { serverError } from '../errors.ts';
import { retryOnConflict } from '../store/log-only-change.ts';
import { HOUR_MS, type IncidentContext, SERVICE_ACTOR } from './deps.ts';
import { logStep } from './incident-log.ts';
import { appliedActionsOf, incidentRow } from './rows.ts';
import { lineText, proseText } from './text-rules.ts';
import { clientKeyOf, newToken, tokenHash } from './tokens.ts';

export const MAX_STATEMENT_CHARS = 4000;
export const MAX_CONTACT_CHARS = 200;

/** Appeals are rate-limited by a keyed hash of the client; kept in memory per process. */
export function createAppealLimiter(perDay: number) {
	const seen = new Map<string, number[]>();
	return (key: string, now: number): void => {
		const recent = (seen.get(key) ?? []).filter((at) => now - at < 24 * HOUR_MS);
		if (recent.length >= perDay) {
			throw serverError(
				'RATE_LIMITED',
				`Too many appeals: at most ${perDay} a day from one client.`,
				{
					hint: 'An appeal already filed is being looked at.',
				},
			);
		}
		recent.push(now);
		seen.delete(key);
		seen.set(key, recent);
		while (seen.size > 10_000) {
			const oldest = seen.keys().next().value;
			if (oldest === undefined) break;
			seen.delete(oldest);
		}
	};
}

export async function fileAppeal(
	context: IncidentContext,
	limitAppeals: (key: string, now: number) => void,
	incidentId: number,
	rawStatement: string,
	rawContact: string | undefined,
	clientAddress: string,
): Promise<{ appealId: number; token: string }> {
	const statement = proseText(rawStatement, MAX_STATEMENT_CHARS, 'The statement').trim();
	if (statement === '') throw serverError('BAD_REQUEST', 'The statement is required.');
	const contact =
		rawContact === undefined || rawContact.trim() === ''
			? null
			: lineText(rawContact.trim(), MAX_CONTACT_CHARS, 'The contact');
	const incident = await incidentRow(context.db.db, incidentId);
	// A resolved incident whose block is still in force may be appealed once: a maintainer who
	// resolved it straight after confirming would otherwise leave its author no answer at all. One
	// already decided is not appealed again (the conditional update below keeps it to one).
	const resolvedUnheard =
		incident.state === 'resolved' &&
		(await context.db.db
			.selectFrom('appeals')
			.select('id')
			.where('incident_id', '=', incidentId)
			.executeTakeFirst()) === undefined;
	if (
		incident.state !== 'confirmed' &&
		incident.state !== 'received' &&
		incident.state !== 'investigating' &&
		!resolvedUnheard
	) {
		throw serverError('BAD_REQUEST', `A ${incident.state} incident cannot be appealed.`, {
			hint:
				incident.state === 'resolved'
					? 'Its appeal was decided already.'
					: 'An appeal answers a block that is in force.',
		});
	}
	if ((await appliedActionsOf(context.db.db, incidentId)).length === 0) {
		throw serverError(
			'BAD_REQUEST',
			'This incident has blocked nothing, so there is nothing to appeal.',
		);
	}
	limitAppeals(clientKeyOf(context.clientKeySecret, clientAddress), context.clock().getTime());
	const token = newToken();
	const now = context.clock().toISOString();
	const appealId = await retryOnConflict(context.db, async (trx) => {
		const updated = await trx
			.updateTable('incidents')
			.set({ state: 'appealed', updated_at: now })
			.where('id', '=', incidentId)
			.where('state', '=', incident.state)
			.executeTakeFirst();
		if (Number(updated.numUpdatedRows) !== 1) {
			throw serverError('REGISTRY_CONFLICT', 'The incident changed meanwhile; try again.');
		}
		const row = await trx
			.insertInto('appeals')
			.values({
				incident_id: incidentId,
				token_hash: tokenHash(token),
				statement,
				contact,
				state: 'open',
				created_at: now,
				decided_at: null,
				decided_by: null,
				decision_reason: null,
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const id = Number(row.id);
		// The statement is the author's own text: the timeline and the log say only that there is one.
		await logStep(context, trx, {
			incidentId,
			actor: SERVICE_ACTOR,
			kind: 'appeal',
			from: incident.state,
			to: 'appealed',
			reason: 'The author appealed.',
			details: { appealId: id },
			summary: 'appealed',
		});
		return id;
	});
	return { appealId, token };
}
