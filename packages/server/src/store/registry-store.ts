/**
 * The registry in the database. The document (the `plugins.toml` text) is the source of truth;
 * an edit is planned by the library's own planners (the rules of `vouch registry …`, in one
 * home), applied to the text, and written together with its projections and its change record
 * in one transaction that only commits if the document is still the revision the edit read.
 * Two writers racing on different processes therefore never lose an edit: the loser plans
 * again against the new document.
 */

import { createPatternCache } from '@vouch/library/internal/blacklist/pattern-cache';
import { sniffRegistryFormat } from '@vouch/library/internal/registry/decode';
import {
	decodeRaw,
	type RegistryFileText,
	sha256Hex,
} from '@vouch/library/internal/registry/edit/apply';
import type { RegistryChange } from '@vouch/library/internal/registry/edit/change';
import { parseJournal } from '@vouch/library/internal/registry/edit/journal';
import {
	type CommittedEdit,
	commitPlan,
	type EditContext,
	type EditParseOptions,
	type EditPlan,
	editContext,
} from '@vouch/library/internal/registry/edit/plan';
import type { Registry } from '@vouch/library/internal/registry/model';
import { parseRegistryText } from '@vouch/library/internal/registry/parse';
import { formatIsoUtcTimestamp } from '@vouch/library/internal/registry/timestamps';
import type { Kysely, Transaction } from 'kysely';
import type { ServiceDb } from '../db/open.ts';
import type { ServiceDatabase } from '../db/schema.ts';
import { serverError } from '../errors.ts';
import { assertEditKeepsHeldCoverage } from '../incidents/held-coverage.ts';
import { assertReplacementKeepsHeldEntries } from '../incidents/held-entries.ts';
import { assertEditKeepsPendingTargets } from '../incidents/pending-targets.ts';
import { recordLostProtection } from '../incidents/trust-history.ts';
import type { Actor } from './actor.ts';
import { checkBacklog } from './backlog.ts';
import { lockRegistryDocument } from './lock-order.ts';
import { assertLoggable, assertLoggableText } from './loggable-change.ts';
import { projectRegistry } from './projection.ts';
import { assertStillPublishable } from './publishable.ts';
import { replaceProjection } from './write-projection.ts';

export interface RegistryDocument {
	text: string;
	sha256: string;
	revision: number;
	updatedAt: string;
}

export interface StoredChange {
	seq: number;
	revision: number;
	/** The library's record of the edit, as the CLI prints it. */
	change: RegistryChange | undefined;
	action: string;
	subject: string;
	reason: string;
}

export interface StoreEditResult {
	/** Undefined when the plan changed nothing. */
	stored?: StoredChange;
	notes: string[];
	document: RegistryDocument;
}

export interface RegistryStoreOptions {
	database: ServiceDb;
	clock: () => Date;
	/** How `git_url`s are compared (the service profile's case-insensitive hosts). */
	parseOptions?: EditParseOptions;
	/** Attempts when another writer changed the document in between. Default 3. */
	attempts?: number;
}

export interface RegistryStore {
	/** The current document; undefined before the first import. */
	document(): Promise<RegistryDocument | undefined>;
	/**
	 * The current document's hash and revision, without its text: what a cache of the parsed
	 * registry checks on every request (the text of a large registry is megabytes).
	 */
	version(): Promise<{ sha256: string; revision: number } | undefined>;
	/** The current document parsed by the library's reader. */
	registry(): Promise<{ document: RegistryDocument; registry: Registry } | undefined>;
	/**
	 * The same, read inside `trx`: what a transaction that took the document's row first
	 * (`lock-order.ts`) decides on cannot change before it commits.
	 */
	registryIn(
		trx: Transaction<ServiceDatabase>,
	): Promise<{ document: RegistryDocument; registry: Registry } | undefined>;
	/**
	 * Replaces the whole document (the first import, or following a registry repository). The
	 * text is read by the library's reader first; one that it refuses is never stored. A text
	 * that drops or weakens a blacklist entry an applied incident action holds is refused
	 * (`HELD_BY_INCIDENT`, `incidents/held-entries.ts`): such a block is lifted through its
	 * incident, never by replacing the document.
	 */
	importText(text: string, actor: Actor, reason: string): Promise<StoreEditResult>;
	/**
	 * Plans an edit against the current document and commits it, or throws the planner's error.
	 * `alongside` runs in the edit's own transaction (with its stored change, or none when the
	 * plan changed nothing): what records the edit elsewhere commits with it or not at all.
	 */
	edit(
		planner: (context: EditContext) => EditPlan,
		actor: Actor,
		alongside?: EditAlongside,
	): Promise<StoreEditResult>;
}

/** Work that must commit in one transaction with an edit (see `RegistryStore.edit`). */
export type EditAlongside = (
	trx: Transaction<ServiceDatabase>,
	stored: StoredChange | undefined,
) => Promise<void>;

const LABEL = 'registry';

export function createRegistryStore(options: RegistryStoreOptions): RegistryStore {
	const { db } = options.database;
	const parseOptions = options.parseOptions ?? {};
	const attempts = options.attempts ?? 3;
	// One cache for the store's life: held author blocks are checked on every edit, and
	// re2-wasm never frees a compiled pattern.
	const coverage = { urlContext: parseOptions, patterns: createPatternCache() };

	async function document(
		from: Kysely<ServiceDatabase> | Transaction<ServiceDatabase> = db,
	): Promise<RegistryDocument | undefined> {
		const row = await from
			.selectFrom('registry_document')
			.selectAll()
			.where('id', '=', 1)
			.executeTakeFirst();
		return row === undefined
			? undefined
			: { text: row.text, sha256: row.sha256, revision: row.revision, updatedAt: row.updated_at };
	}

	function parse(text: string): Registry {
		return parseRegistryText(text, {
			...parseOptions,
			label: LABEL,
			format: sniffRegistryFormat(text),
		});
	}

	async function importText(text: string, actor: Actor, reason: string): Promise<StoreEditResult> {
		const registry = parse(text);
		const now = options.clock();
		const current = await document();
		if (current?.text === text) return { notes: [], document: current };
		const sha256 = sha256Hex(text);
		const file: RegistryFileText = { text, format: registry.format, label: LABEL };
		const raw = decodeRaw(file);
		const before =
			current === undefined
				? undefined
				: decodeRaw({
						text: current.text,
						format: sniffRegistryFormat(current.text),
						label: LABEL,
					});
		const projection = projectRegistry(raw, registry, now.toISOString());
		const stored = await db.transaction().execute(async (trx) => {
			const revision = await writeDocument(trx, current, text, sha256, now);
			// After the write, in its transaction: the write holds the document row, so no action
			// can be applied (its entry added) between this check and the commit (see the module).
			await assertReplacementKeepsHeldEntries(trx, before, raw);
			await assertEditKeepsHeldCoverage(
				trx,
				() =>
					before === undefined || current === undefined
						? undefined
						: { raw: before, registry: parse(current.text) },
				() => ({ raw, registry }),
				coverage,
			);
			await assertEditKeepsPendingTargets(
				trx,
				() => (current === undefined ? undefined : parse(current.text)),
				() => registry,
			);
			// A plugin no longer listed as official or trusted stays under dual control (D22).
			await recordLostProtection(
				trx,
				() => (current === undefined ? undefined : parse(current.text)),
				() => registry,
				now.toISOString(),
			);
			await replaceProjection(trx, projection);
			return insertChange(trx, {
				action: 'edit',
				subject: LABEL,
				reason,
				actor,
				report: null,
				before: current?.sha256 ?? sha256Hex(''),
				after: sha256,
				revision,
				now,
				change: undefined,
			});
		});
		return {
			stored,
			notes: [],
			document: { text, sha256, revision: stored.revision, updatedAt: now.toISOString() },
		};
	}

	async function editOnce(
		planner: (context: EditContext) => EditPlan,
		actor: Actor,
		alongside: EditAlongside | undefined,
	): Promise<StoreEditResult> {
		const current = await document();
		if (current === undefined) {
			throw serverError('NOT_FOUND', 'The service holds no registry yet.', {
				hint: 'Import one first: vouch-server import plugins.toml.',
			});
		}
		const registry = parse(current.text);
		const file: RegistryFileText = { text: current.text, format: registry.format, label: LABEL };
		const now = options.clock();
		const context = editContext(file, registry, {
			urlContext: parseOptions,
			// A registry served to clients may not list local paths (D11).
			registryIsLocal: false,
			at: formatIsoUtcTimestamp(now),
			actor: actor.keyId === undefined ? actor.name : `key:${actor.keyId}`,
		});
		const plan = planner(context);
		if (plan.ops.length === 0) {
			if (alongside !== undefined) {
				// The document row first, as an edit that writes it would (`lock-order.ts`).
				await db.transaction().execute(async (trx) => {
					await lockRegistryDocument(trx);
					await alongside(trx, undefined);
				});
			}
			return { notes: plan.notes, document: current };
		}
		const edit: CommittedEdit = commitPlan(file, plan, parseOptions);
		assertLoggableText({
			subject: edit.change.subject,
			reason: edit.change.reason ?? `${edit.change.action} ${edit.change.subject}`,
			report: edit.change.report ?? null,
		});
		assertStillPublishable(current.text, edit.text, LABEL);
		const record = parseJournal(`${JSON.stringify(edit.change)}\n`, LABEL)[0];
		const rawAfter = decodeRaw({ ...file, text: edit.text });
		const projection = projectRegistry(rawAfter, edit.registry, now.toISOString());
		const stored = await db.transaction().execute(async (trx) => {
			const revision = await writeDocument(trx, current, edit.text, edit.sha256After, now);
			// Every single edit (plugin edit, add, removal and re-add, by API, form or incident) is
			// held to the same rule as a replacement: no plugin leaves a held block (D22).
			await assertEditKeepsHeldCoverage(
				trx,
				// Both decoded afresh: the planner was handed the context's copies and may have
				// changed them.
				() => ({ raw: decodeRaw(file), registry: parse(current.text) }),
				() => ({ raw: rawAfter, registry: edit.registry }),
				coverage,
			);
			// Nor from under a block still waiting for its second maintainer.
			await assertEditKeepsPendingTargets(
				trx,
				() => parse(current.text),
				() => edit.registry,
			);
			// A trust lowered, a plugin removed or re-identified: it stays under dual control (D22).
			await recordLostProtection(
				trx,
				() => parse(current.text),
				() => edit.registry,
				now.toISOString(),
			);
			await replaceProjection(trx, projection);
			const change = await insertChange(trx, {
				action: record?.action ?? 'edit',
				subject: edit.change.subject,
				// The library's planners require a reason where its rules do; the log needs one always.
				reason: edit.change.reason ?? `${edit.change.action} ${edit.change.subject}`,
				actor,
				report: edit.change.report,
				before: edit.sha256Before,
				after: edit.sha256After,
				revision,
				now,
				change: edit.change,
			});
			await alongside?.(trx, change);
			return change;
		});
		return {
			stored,
			notes: plan.notes,
			document: {
				text: edit.text,
				sha256: edit.sha256After,
				revision: stored.revision,
				updatedAt: now.toISOString(),
			},
		};
	}

	async function edit(
		planner: (context: EditContext) => EditPlan,
		actor: Actor,
		alongside?: EditAlongside,
	): Promise<StoreEditResult> {
		for (let attempt = 1; ; attempt++) {
			try {
				return await editOnce(planner, actor, alongside);
			} catch (error) {
				if ((error as { code?: string }).code !== 'REGISTRY_CONFLICT' || attempt >= attempts)
					throw error;
			}
		}
	}

	return {
		document,
		async version() {
			const row = await db
				.selectFrom('registry_document')
				.select(['sha256', 'revision'])
				.where('id', '=', 1)
				.executeTakeFirst();
			return row === undefined ? undefined : { sha256: row.sha256, revision: Number(row.revision) };
		},
		async registry() {
			const current = await document();
			return current === undefined
				? undefined
				: { document: current, registry: parse(current.text) };
		},
		async registryIn(trx) {
			const current = await document(trx);
			return current === undefined
				? undefined
				: { document: current, registry: parse(current.text) };
		},
		importText,
		edit,
	};
}

/**
 * Writes the new text if the document is still `current`; the optimistic lock of every edit.
 * The transaction's first write, so the document row is the first lock it takes (`lock-order.ts`).
 */
async function writeDocument(
	trx: Transaction<ServiceDatabase>,
	current: RegistryDocument | undefined,
	text: string,
	sha256: string,
	now: Date,
): Promise<number> {
	const updatedAt = now.toISOString();
	if (current === undefined) {
		const existing = await trx
			.selectFrom('registry_document')
			.select('id')
			.where('id', '=', 1)
			.executeTakeFirst();
		if (existing !== undefined) throw conflict();
		await trx
			.insertInto('registry_document')
			.values({ id: 1, text, sha256, revision: 1, updated_at: updatedAt })
			.execute();
		return 1;
	}
	const revision = current.revision + 1;
	const result = await trx
		.updateTable('registry_document')
		.set({ text, sha256, revision, updated_at: updatedAt })
		.where('id', '=', 1)
		.where('revision', '=', current.revision)
		.executeTakeFirst();
	if (Number(result.numUpdatedRows) !== 1) throw conflict();
	return revision;
}

function conflict() {
	return serverError('REGISTRY_CONFLICT', 'The registry changed while the edit was being made.', {
		hint: 'Try the edit again.',
	});
}

interface ChangeInsert {
	action: string;
	subject: string;
	reason: string;
	actor: Actor;
	report: string | null;
	before: string;
	after: string;
	revision: number;
	now: Date;
	change: RegistryChange | undefined;
}

async function insertChange(
	trx: Transaction<ServiceDatabase>,
	input: ChangeInsert,
): Promise<StoredChange> {
	// Before the row exists: a row the log refuses would stop every later publish.
	assertLoggable(input);
	await checkBacklog(trx);
	const row = await trx
		.insertInto('changes')
		.values({
			action: input.action,
			subject: input.subject,
			reason: input.reason,
			actor_name: input.actor.name,
			actor_key: input.actor.keyId ?? null,
			report: input.report,
			sha256_before: input.before,
			sha256_after: input.after,
			revision: input.revision,
			created_at: input.now.toISOString(),
			publish_id: null,
		})
		.returning('seq')
		.executeTakeFirstOrThrow();
	return {
		seq: row.seq,
		revision: input.revision,
		change: input.change,
		action: input.action,
		subject: input.subject,
		reason: input.reason,
	};
}
