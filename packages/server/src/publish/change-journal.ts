/**
 * The registry as the store left it, and the changes not yet published, turned into the
 * change journal `publishRepository` logs (D28): one record per `changes` row, in the order
 * the edits were made. The journal is what carries each change's reason, actor and report into
 * the transparency log, so a row the journal format refuses stops the publish instead of being
 * skipped: a change never reaches clients without its record.
 */
import { writeFile } from 'node:fs/promises';
import { sanitizeText } from '@vouch/library/internal/core/sanitize';
import {
	type ChangeRecord,
	changeRecordSchema,
	logLine,
} from '@vouch/library/internal/registry/edit/journal';
import type { Kysely, Selectable } from 'kysely';
import type { ChangeTable, RegistryDocumentTable, ServiceDatabase } from '../db/schema.ts';
import { serverError } from '../errors.ts';
import { MAX_UNPUBLISHED_CHANGES } from '../store/backlog.ts';

export type ChangeRow = Selectable<ChangeTable>;
export type RegistryDocument = Pick<
	Selectable<RegistryDocumentTable>,
	'text' | 'sha256' | 'revision'
>;

/**
 * The most changes one publish carries. Every edit is published at once, so the backlog is
 * normally one; the store refuses edits past this bound (`store/backlog.ts`), so that a
 * backlog always fits in one publish's journal (the library bounds it at 4 MiB: 256 records
 * of the longest reason, subject and report fit).
 */
export const MAX_CHANGES_PER_PUBLISH = MAX_UNPUBLISHED_CHANGES;

const KEY_ID = /^[0-9a-f]{64}$/;

export async function readRegistryDocument(
	db: Kysely<ServiceDatabase>,
): Promise<RegistryDocument | undefined> {
	const row = await db
		.selectFrom('registry_document')
		.select(['text', 'sha256', 'revision'])
		.where('id', '=', 1)
		.executeTakeFirst();
	return row === undefined ? undefined : { ...row, revision: Number(row.revision) };
}

/**
 * The unpublished changes up to `revision`, oldest first. An edit writes the document and its
 * change row in one transaction, so every change up to the revision just read is visible;
 * rows of later edits are left for the next publish, which will also carry their document.
 */
export async function readUnpublishedChanges(
	db: Kysely<ServiceDatabase>,
	revision: number,
): Promise<ChangeRow[]> {
	const rows = await db
		.selectFrom('changes')
		.selectAll()
		.where('publish_id', 'is', null)
		.where('revision', '<=', revision)
		.orderBy('seq')
		.limit(MAX_CHANGES_PER_PUBLISH + 1)
		.execute();
	if (rows.length > MAX_CHANGES_PER_PUBLISH) {
		throw serverError(
			'PUBLISH_FAILED',
			`More than ${MAX_CHANGES_PER_PUBLISH} changes wait to be published.`,
			{ hint: 'Publish more often; so many edits between two publishes is not expected.' },
		);
	}
	return rows.map((row) => ({ ...row, seq: Number(row.seq), revision: Number(row.revision) }));
}

/** The seqs of every unpublished change up to `revision` (those the first publish carries). */
export async function unpublishedSeqsThrough(
	db: Kysely<ServiceDatabase>,
	revision: number,
): Promise<number[]> {
	const rows = await db
		.selectFrom('changes')
		.select('seq')
		.where('publish_id', 'is', null)
		.where('revision', '<=', revision)
		.orderBy('seq')
		.execute();
	return rows.map((row) => Number(row.seq));
}

/** One journal record for a change row, checked by the journal's own schema. */
export function changeRecordOf(row: ChangeRow): ChangeRecord {
	const record = {
		action: row.action,
		subject: row.subject,
		// A reason may span lines (an incident's, a form's); the log holds it on one.
		reason: logLine(row.reason),
		// The log's actor is a key id; a name alone is kept in the row, and the publisher's
		// key stands in for it in the log (as for the editing commands' records).
		...(row.actor_key !== null && KEY_ID.test(row.actor_key) ? { actor: row.actor_key } : {}),
		...(row.report === null ? {} : { report: row.report }),
		registrySha256Before: row.sha256_before,
		registrySha256After: row.sha256_after,
		...(Number.isNaN(Date.parse(row.created_at))
			? {}
			: { time: new Date(row.created_at).toISOString() }),
	};
	const parsed = changeRecordSchema.safeParse(record);
	if (!parsed.success) {
		throw serverError(
			'PUBLISH_FAILED',
			`Change ${row.seq} (${sanitizeText(row.action, { maxLength: 64 })} of ${sanitizeText(row.subject, { maxLength: 100 })}) cannot be logged: ${sanitizeText(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '), { maxLength: 300 })}.`,
			{ hint: 'Correct the change row; nothing is published until every change can be logged.' },
		);
	}
	return parsed.data;
}

export async function writeChangeJournal(path: string, rows: readonly ChangeRow[]): Promise<void> {
	const text = rows.map((row) => `${JSON.stringify(changeRecordOf(row))}\n`).join('');
	await writeFile(path, text, { mode: 0o600 });
}
