/**
 * A registry service database for the publisher's tests: the store's part played with plain
 * Kysely writes. `seedDocument` puts a registry in place without a change row (an import),
 * `editDocument` changes it the way every store edit does: the document and one `changes` row
 * in one transaction, the row's before/after hashes chaining to the document's.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../../../src/db/schema.ts';

export const UUIDS = [
	'78430c8c-d2ed-4dcf-8b3f-d2bc8b7348ac',
	'743aab37-d639-41b5-8000-727cb4bf291c',
	'abfb68b7-4fc5-4ec4-a1b8-c824e31ad0c5',
	'0f6a3c36-5d7e-4f0a-9d6b-4c1e8a2b7f10',
	'5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
	'c0ffee00-1234-4abc-9def-0123456789ab',
	'd00dfeed-4321-4cba-8fed-ba9876543210',
	'e1e2e3e4-f5f6-4a7b-8c9d-0a1b2c3d4e5f',
] as const;

export function sha256(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * A valid Picard-format registry with the first `count` plugins; `variant` changes a
 * description, so two variants with the same count differ.
 */
export function registryText(count: number, variant = 0): string {
	const plugins = UUIDS.slice(0, count).map((uuid, i) =>
		[
			'[[plugins]]',
			`id = "plugin-${i}"`,
			`uuid = "${uuid}"`,
			`name = "Plugin ${i}"`,
			`description = "The plugin number ${i}, edition ${variant}"`,
			`git_url = "https://github.com/example/picard-plugin-${i}"`,
			'categories = ["metadata"]',
			'trust_level = "community"',
			'added_at = "2026-01-01T00:00:00Z"',
			'updated_at = "2026-01-01T00:00:00Z"',
			'',
		].join('\n'),
	);
	const blacklist = [
		'[[blacklist]]',
		'url = "https://github.com/evil/one"',
		'reason = "Malware"',
		'blacklisted_at = 2026-01-01T00:00:00Z',
		'',
	].join('\n');
	return `api_version = "3.0"\n\n${plugins.join('\n')}\n${blacklist}`;
}

export async function seedDocument(
	db: Kysely<ServiceDatabase>,
	text: string,
	at = '2026-01-02T00:00:00.000Z',
): Promise<void> {
	await db
		.insertInto('registry_document')
		.values({ id: 1, text, sha256: sha256(text), revision: 1, updated_at: at })
		.execute();
}

export interface EditInput {
	action?: string;
	subject?: string;
	reason?: string;
	actorKey?: string | null;
	report?: string | null;
	at?: string;
}

/** Replaces the document by `text` and records the change; returns the new revision. */
export async function editDocument(
	db: Kysely<ServiceDatabase>,
	text: string,
	edit: EditInput = {},
): Promise<number> {
	return db.transaction().execute(async (trx) => {
		const current = await trx
			.selectFrom('registry_document')
			.select(['sha256', 'revision'])
			.where('id', '=', 1)
			.executeTakeFirstOrThrow();
		const revision = Number(current.revision) + 1;
		const at = edit.at ?? '2026-01-03T00:00:00.000Z';
		const updated = await trx
			.updateTable('registry_document')
			.set({ text, sha256: sha256(text), revision, updated_at: at })
			.where('id', '=', 1)
			.where('revision', '=', Number(current.revision))
			.executeTakeFirst();
		if (Number(updated.numUpdatedRows) !== 1) throw new Error('the document moved meanwhile');
		await trx
			.insertInto('changes')
			.values({
				action: edit.action ?? 'plugin_update',
				subject: edit.subject ?? `edit ${revision}`,
				reason: edit.reason ?? `Reason of revision ${revision}`,
				actor_name: 'a maintainer',
				actor_key: edit.actorKey ?? null,
				report: edit.report ?? null,
				sha256_before: current.sha256,
				sha256_after: sha256(text),
				revision,
				created_at: at,
				publish_id: null,
			})
			.execute();
		return revision;
	});
}

/** Every change row, oldest first. */
export async function changeRows(db: Kysely<ServiceDatabase>) {
	const rows = await db.selectFrom('changes').selectAll().orderBy('seq').execute();
	return rows.map((row) => ({
		...row,
		seq: Number(row.seq),
		publish_id: row.publish_id === null ? null : Number(row.publish_id),
	}));
}

export async function publishRows(db: Kysely<ServiceDatabase>) {
	const rows = await db.selectFrom('publishes').selectAll().orderBy('id').execute();
	return rows.map((row) => ({
		...row,
		id: Number(row.id),
		lease_epoch: Number(row.lease_epoch),
		revision: Number(row.revision),
		targets_version: Number(row.targets_version),
		timestamp_version: Number(row.timestamp_version),
		log_size: Number(row.log_size),
	}));
}
