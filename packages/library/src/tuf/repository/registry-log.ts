/**
 * The publisher's side of the transparency log (D28): the log lives in `<repository>/log/`,
 * served with the TUF files. A publish turns every change since the last one into entries:
 *   - each record of the change journal not yet logged, as recorded by the editing command;
 *   - an `edit` entry for a change the journal does not explain (the file was edited by
 *     hand), which needs the publisher's `--reason`: without one the publish is refused;
 *   - last, one `publish` entry naming the targets metadata just signed (version, SHA-256).
 * Entries chain by the registry file's SHA-256 (each `registry_before` is the previous
 * `registry_after`), so a verifier sees that nothing changed between two entries unlogged.
 *
 * Planning reads and checks everything before a single file is written; appending writes
 * tiles first and the signed checkpoint last (the log module's writer), and the caller writes
 * `timestamp.json` after that, so a client never sees targets the log does not yet hold.
 */
import { join } from 'node:path';
import { readFileBounded, writeFileAtomic } from '../../core/atomic-fs.ts';
import { isVouchError } from '../../core/errors.ts';
import { sanitizeText } from '../../core/sanitize.ts';
import { openCheckpoint, type SignedCheckpoint, signCheckpoint } from '../../log/checkpoint.ts';
import { MAX_NOTE_BYTES } from '../../log/limits.ts';
import { type NoteSigner, parseVerifierKey } from '../../log/note-keys.ts';
import { readLogEntries } from '../../log/read-entries.ts';
import {
	EDIT_ACTION,
	EMPTY_REGISTRY_SHA256,
	encodeRegistryLogEntry,
	PUBLISH_ACTION,
	publishSubject,
	type RegistryLogEntry,
} from '../../log/registry-entry.ts';
import { TileLog } from '../../log/tile-reader.ts';
import { appendEntries, CHECKPOINT_PATH, directoryTileReader } from '../../log/tile-writer.ts';
import { type ChangeRecord, logLine } from '../../registry/edit/journal.ts';
import { tufError } from '../errors.ts';
import { readRetiredLogSigners } from './log-keys.ts';

export const LOG_DIR = 'log';

export interface PlanLogInput {
	repoDir: string;
	keysDir: string;
	signer: NoteSigner;
	journal: readonly ChangeRecord[];
	/** SHA-256 of the registry file being published. */
	registrySha256: string;
	/** Why the registry changed, for a change the journal does not record. */
	reason?: string;
	/** A link to the report behind an unrecorded change. */
	report?: string;
	/** Key id of whoever publishes (the targets key by default). */
	actor: string;
	now: Date;
}

export interface LogPlan {
	logDir: string;
	/** Entries before the `publish` one; their targets version is filled in at append. */
	changes: Omit<RegistryLogEntry, 'sequence' | 'targets_version'>[];
	/** Journal records found already logged (a publish that crashed before emptying it). */
	alreadyLogged: number;
	sizeBefore: number;
	signer: NoteSigner;
	actor: string;
	registrySha256: string;
	time: string;
}

/** The log's time format: whole seconds, UTC. */
export function logTime(date: Date): string {
	return `${date.toISOString().slice(0, 19)}Z`;
}

export async function planLogEntries(input: PlanLogInput): Promise<LogPlan> {
	const logDir = join(input.repoDir, LOG_DIR);
	const checkpoint = await currentCheckpoint(logDir, input.signer, input.keysDir);
	const size = checkpoint?.size ?? 0;
	// The tail of the log: enough to find the registry's last hash and the journal records a
	// crashed publish already logged.
	const tail =
		checkpoint === undefined
			? []
			: await readLogEntries(
					new TileLog({ readTile: directoryTileReader(logDir), size, root: checkpoint.root }),
					Math.max(0, size - 2 * input.journal.length - 2),
					size,
				);
	const last = tail.at(-1)?.entry;
	let current = last?.registry_after ?? EMPTY_REGISTRY_SHA256;
	const time = logTime(input.now);
	const changes: LogPlan['changes'] = [];
	const unexplained = (after: string) => {
		if (input.reason === undefined || input.reason.trim() === '') {
			throw tufError(
				'TUF_LOG_REASON_REQUIRED',
				size === 0 && changes.length === 0
					? 'The registry has changes that no editing command recorded.'
					: `The registry changed (SHA-256 ${after.slice(0, 12)}) without a recorded change.`,
				{
					hint: 'Make changes with `vouch registry plugin|ref|blacklist ...`, or publish with --reason "<why>" to log this change.',
				},
			);
		}
		changes.push({
			time,
			actor: input.actor,
			action: EDIT_ACTION,
			subject: 'registry',
			reason: logLine(input.reason),
			...(input.report === undefined ? {} : { report: input.report }),
			registry_before: current,
			registry_after: after,
		});
		current = after;
	};
	/**
	 * A log's first entry is the registry as it stood when the log started: it is not a change
	 * of anything clients saw, so it needs no reason of its own, whether the first publish
	 * finds edits recorded since (a pin, a plugin added) or none.
	 */
	const explainGap = (after: string) => {
		if (size === 0 && changes.length === 0 && input.reason === undefined) {
			changes.push({
				time,
				actor: input.actor,
				action: EDIT_ACTION,
				subject: 'registry',
				reason: 'The registry as it stood when this log was started.',
				registry_before: current,
				registry_after: after,
			});
			current = after;
			return;
		}
		unexplained(after);
	};
	const crashedBatch = lastPublishBatch(tail.map(({ entry }) => entry));
	let alreadyLogged = 0;
	for (const record of input.journal) {
		if (crashedBatch.some((entry) => sameChange(entry, record))) {
			alreadyLogged++;
			continue;
		}
		if (record.registrySha256Before !== current) explainGap(record.registrySha256Before);
		const reason =
			record.reason ?? (input.reason === undefined ? undefined : logLine(input.reason));
		if (reason === undefined || reason === '') {
			throw tufError(
				'TUF_LOG_REASON_REQUIRED',
				`The recorded change ${sanitizeText(record.action)} of ${sanitizeText(record.subject, { maxLength: 100 })} has no reason.`,
				{ hint: 'Publish with --reason "<why>" to log it with that reason.' },
			);
		}
		changes.push({
			time: record.time === undefined ? time : logTime(new Date(record.time)),
			actor: record.actor ?? input.actor,
			// The entry schema checks it when the entry is encoded: an action the log does not
			// know refuses the publish (LOG_BAD_ENTRY) rather than logging it under another name.
			action: record.action as RegistryLogEntry['action'],
			subject: record.subject,
			reason,
			...(record.report === undefined ? {} : { report: record.report }),
			registry_before: record.registrySha256Before,
			registry_after: record.registrySha256After,
		});
		current = record.registrySha256After;
	}
	if (current !== input.registrySha256) explainGap(input.registrySha256);
	// Every entry is encoded once now, so a bad one (an unknown action, a report that is not a
	// link) stops the publish before anything is written.
	for (const [i, change] of changes.entries()) {
		encodeRegistryLogEntry({ ...change, sequence: size + i, targets_version: 1 });
	}
	return {
		logDir,
		changes,
		alreadyLogged,
		sizeBefore: size,
		signer: input.signer,
		actor: input.actor,
		registrySha256: input.registrySha256,
		time,
	};
}

export interface AppendedLog {
	origin: string;
	size: number;
	/** Index of the first entry this publish added. */
	firstIndex: number;
	/** Index of the `publish` entry. */
	publishIndex: number;
	rootHash: string;
}

/** Appends the planned changes and the `publish` entry for the targets just signed. */
export async function appendPublish(
	plan: LogPlan,
	targetsVersion: number,
	targetsSha256: string,
): Promise<AppendedLog> {
	const entries: RegistryLogEntry[] = plan.changes.map((change, i) => ({
		...change,
		sequence: plan.sizeBefore + i,
		targets_version: targetsVersion,
	}));
	entries.push({
		sequence: plan.sizeBefore + entries.length,
		time: plan.time,
		actor: plan.actor,
		action: PUBLISH_ACTION,
		subject: publishSubject(targetsSha256),
		reason: `Targets metadata version ${targetsVersion} published.`,
		registry_before: plan.registrySha256,
		registry_after: plan.registrySha256,
		targets_version: targetsVersion,
	});
	const result = await appendEntries(plan.logDir, entries.map(encodeRegistryLogEntry), {
		signer: plan.signer,
	});
	return {
		origin: result.checkpoint.origin,
		size: result.checkpoint.size,
		firstIndex: result.firstIndex,
		publishIndex: result.checkpoint.size - 1,
		rootHash: Buffer.from(result.checkpoint.root).toString('hex'),
	};
}

/**
 * The change entries the last publish appended (those between the last two `publish`
 * entries). A publish appends its changes and its `publish` entry in one append, so the only
 * journal records that can already be in the log are these, left in the journal by a publish
 * that crashed before emptying it. An older entry that looks the same is an earlier change
 * made again (blocked, unblocked, blocked again), which must be logged again.
 */
function lastPublishBatch(entries: readonly RegistryLogEntry[]): RegistryLogEntry[] {
	let end = entries.length - 1;
	while (end >= 0 && entries[end]?.action !== PUBLISH_ACTION) end--;
	if (end < 0) return [];
	let start = end - 1;
	while (start >= 0 && entries[start]?.action !== PUBLISH_ACTION) start--;
	return entries.slice(start + 1, end);
}

function sameChange(entry: RegistryLogEntry, record: ChangeRecord): boolean {
	return (
		entry.action === record.action &&
		entry.subject === record.subject &&
		(record.reason === undefined || entry.reason === record.reason) &&
		entry.registry_before === record.registrySha256Before &&
		entry.registry_after === record.registrySha256After
	);
}

/**
 * The log's checkpoint, verified with the current log key. After a key rotation it was signed
 * by the previous key: a retired key that verifies it co-signs it with the new one, so the log
 * goes on under the new key and a client holding either key can check the handover.
 */
async function currentCheckpoint(
	logDir: string,
	signer: NoteSigner,
	keysDir: string,
): Promise<SignedCheckpoint | undefined> {
	let note: Buffer;
	try {
		note = await readFileBounded(join(logDir, CHECKPOINT_PATH), MAX_NOTE_BYTES);
	} catch (error) {
		if (isVouchError(error) && error.code === 'FILE_NOT_FOUND') return undefined;
		throw error;
	}
	try {
		return openCheckpoint(note, parseVerifierKey(signer.verifierKey));
	} catch (error) {
		if (!isVouchError(error) || error.code !== 'LOG_BAD_SIGNATURE') throw error;
	}
	for (const retired of await readRetiredLogSigners(keysDir)) {
		if (retired.name !== signer.name) continue;
		let opened: SignedCheckpoint;
		try {
			opened = openCheckpoint(note, parseVerifierKey(retired.verifierKey));
		} catch {
			continue;
		}
		const handover = signCheckpoint(opened, [retired, signer]);
		await writeFileAtomic(join(logDir, CHECKPOINT_PATH), handover, { mode: 0o644 });
		return openCheckpoint(handover, parseVerifierKey(signer.verifierKey));
	}
	throw tufError(
		'TUF_KEY_MISSING',
		`The log in ${sanitizeText(logDir)} is signed by a key the keys directory does not hold.`,
		{
			hint: 'Publish with the keys directory of this repository (a rotated log key stays in it as log.key.<id>.retired). A new key set takes the log key over with `vouch registry keys init --log-key-from <old keys>`.',
		},
	);
}
