/**
 * The change journal: `<registry file>.changes.jsonl`, one JSON record per line, appended by
 * the registry editing commands and read by `vouch registry publish`, which turns every record
 * not yet in the transparency log into one log entry (D28). The journal is what carries the
 * *why* of a change (its reason and the report it came from) from the edit to the log, so that
 * no change reaches clients without a recorded reason.
 *
 * Records chain by the registry file's SHA-256: each one's `before` is the previous one's
 * `after`. A journal is bounded in size and in records; a malformed line refuses the journal
 * as a whole, since skipping it would publish a change without its record.
 */
import { appendFile, open } from 'node:fs/promises';
import * as z from 'zod';
import { readFileBounded } from '../../core/atomic-fs.ts';
import { isVouchError } from '../../core/errors.ts';
import { sanitizeText } from '../../core/sanitize.ts';
import { registryError } from '../errors.ts';

export const JOURNAL_SUFFIX = '.changes.jsonl';
/** Far above what changes between two publishes; a log entry is a few hundred bytes. */
export const MAX_JOURNAL_BYTES = 4 * 1024 * 1024;
export const MAX_JOURNAL_RECORDS = 10_000;
/** Bounds on each field: they end up in every client's log and in the monitor's feed. */
export const MAX_REASON_CHARS = 2000;
const MAX_FIELD_CHARS = 1024;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const text = (max: number) => z.string().min(1).max(max);
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/**
 * Text the log takes as it is: the log entry refuses every control character, line breaks
 * included (`log/log-entry.ts`). A record it would refuse must be refused here, where an edit is
 * checked, and never first at the publish, which stops at it for every later change.
 */
const logText = (max: number) =>
	text(max).refine((value) => !CONTROL.test(value), 'has a control character');

/**
 * A reason as the log holds it: one line. Reasons are prose that people write over several
 * lines (an incident opened by `registry hunt`, a textarea, `--reason` from a shell), and the
 * log entry refuses line breaks, so each run of line breaks and tabs becomes one space.
 */
export function logLine(reason: string): string {
	return reason
		.split(/[\r\n\t]+/)
		.map((part) => part.trim())
		.filter((part) => part !== '')
		.join(' ');
}

export const changeRecordSchema = z.strictObject({
	/** What the edit did, in the log's words: `plugin_add`, `blacklist_add`, `trust_change`, ... */
	action: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
	/** What it acted on: a plugin id, a blacklist pattern, a URL. */
	subject: logText(MAX_FIELD_CHARS),
	reason: logText(MAX_REASON_CHARS),
	/** Who made it: the maintainer's TUF key id (SHA-256, hex); the publisher's when absent. */
	actor: sha256.optional(),
	/** A link to the community report it answers (D22), when there is one. */
	report: z
		.string()
		.max(2048)
		.regex(/^https:\/\/\S+$/)
		.optional(),
	registrySha256Before: sha256,
	registrySha256After: sha256,
	/** ISO 8601, when the edit was made. */
	time: z.iso.datetime({ offset: true }).optional(),
});

/**
 * A record the registry editing commands print and append as they are (`change.ts`,
 * `vouch-registry-change-v1`). Read here by shape, so the journal does not depend on the
 * editor's module; it is mapped to the log's vocabulary by `fromEditorRecord`.
 */
const editorRecordSchema = z.object({
	schema: z.literal('vouch-registry-change-v1'),
	action: z.string().regex(/^[a-z][a-z.]{0,63}$/),
	subject: text(MAX_FIELD_CHARS),
	at: z.string().max(64),
	fields: z.array(z.object({ field: z.string().max(200) }).passthrough()).max(1000),
	reason: z.string().max(MAX_REASON_CHARS).nullable(),
	actor: z.string().max(MAX_FIELD_CHARS).nullable(),
	report: z.string().max(2048).nullable(),
	registrySha256Before: sha256,
	registrySha256After: sha256,
});

/** The editor's dotted actions in the log's words (`log-entry.ts`). */
const EDITOR_ACTIONS: Readonly<Record<string, string>> = {
	'plugin.add': 'plugin_add',
	'plugin.update': 'plugin_update',
	'plugin.edit': 'plugin_update',
	'plugin.remove': 'plugin_remove',
	'plugin.redirect.add': 'redirect_add',
	'plugin.redirect.remove': 'redirect_remove',
	'ref.add': 'plugin_update',
	'ref.edit': 'plugin_update',
	'ref.remove': 'plugin_update',
	'blacklist.add': 'blacklist_add',
	'blacklist.remove': 'blacklist_remove',
	'plugin.pin': 'release_pin',
};

export type ChangeRecord = Omit<z.infer<typeof changeRecordSchema>, 'reason'> & {
	/** Absent only for an editor record made without `--reason`: the publish must give one. */
	reason?: string;
};

function fromEditorRecord(record: z.infer<typeof editorRecordSchema>): ChangeRecord {
	const trust =
		record.action === 'plugin.edit' && record.fields.some((f) => f.field === 'trust_level');
	const action = trust ? 'trust_change' : EDITOR_ACTIONS[record.action];
	if (action === undefined) throw new Error(`unknown action ${record.action}`);
	const time = new Date(record.at);
	const actor = /^key:([0-9a-f]{64})$/.exec(record.actor ?? '')?.[1];
	return {
		action,
		subject: record.subject,
		...(record.reason === null || record.reason.trim() === ''
			? {}
			: { reason: logLine(record.reason) }),
		// A name rather than a key id cannot be a log actor; the publisher's key stands in.
		...(actor === undefined ? {} : { actor }),
		...(record.report === null ? {} : { report: record.report }),
		registrySha256Before: record.registrySha256Before,
		registrySha256After: record.registrySha256After,
		...(Number.isNaN(time.getTime()) ? {} : { time: time.toISOString() }),
	};
}

/**
 * Refuses, as INVALID_EDIT, a change the journal or the log would refuse (a reason over the
 * bound, a control character in a reason or actor). An edit calls it before the registry file
 * is written: found first at the append, the file would hold a change with no record; found
 * first at the publish, it would stop every later change from reaching the log.
 */
export function checkChangeRecord(record: { schema: string } & object): void {
	const editor = editorRecordSchema.safeParse(record);
	const logged = editor.success
		? changeRecordSchema.partial({ reason: true }).safeParse(fromEditorRecord(editor.data))
		: editor;
	if (logged.success) return;
	const issue = logged.error.issues[0];
	const field = issue === undefined ? 'record' : issue.path.join('.') || 'record';
	throw registryError(
		'INVALID_EDIT',
		`The change cannot be recorded: its ${sanitizeText(field)} ${sanitizeText(issue?.message ?? 'is not valid', { maxLength: 200 })}.`,
		{
			hint: `Give a --reason of one line without control characters, at most ${MAX_REASON_CHARS} characters.`,
		},
	);
}

export function journalPathFor(registryPath: string): string {
	return `${registryPath}${JOURNAL_SUFFIX}`;
}

/** The records of a journal, oldest first; an absent journal has none. */
export async function readJournal(path: string): Promise<ChangeRecord[]> {
	let bytes: Buffer;
	try {
		bytes = await readFileBounded(path, MAX_JOURNAL_BYTES);
	} catch (error) {
		if (isVouchError(error) && error.code === 'FILE_NOT_FOUND') return [];
		throw invalid(path, error instanceof Error ? error.message : String(error), error);
	}
	return parseJournal(bytes.toString('utf8'), path);
}

export function parseJournal(content: string, label = 'journal'): ChangeRecord[] {
	const lines = content.split('\n');
	// A last line without its newline is a record cut off by a crash during an append: the
	// edit it describes may not have been saved, so it is refused rather than guessed at.
	if (lines.at(-1) !== '') throw invalid(label, 'the last record has no line end');
	lines.pop();
	if (lines.length > MAX_JOURNAL_RECORDS) {
		throw invalid(label, `more than ${MAX_JOURNAL_RECORDS} records`);
	}
	return lines.map((line, i) => {
		try {
			const value: unknown = JSON.parse(line);
			const editor = editorRecordSchema.safeParse(value);
			return editor.success ? fromEditorRecord(editor.data) : changeRecordSchema.parse(value);
		} catch (error) {
			throw invalid(label, `record ${i + 1} is not a change record`, error);
		}
	});
}

/**
 * Appends one record. One `write` of one line on a file opened for appending, synced before
 * the edit is reported done, so a crash loses at most a record whose line is incomplete.
 */
export async function appendJournal(
	path: string,
	/** A change record, or the editor's record (`change.ts`) as it is: both are checked here. */
	record: z.infer<typeof changeRecordSchema> | ({ schema: string } & object),
): Promise<void> {
	const checked =
		'schema' in record ? editorRecordSchema.parse(record) : changeRecordSchema.parse(record);
	const line = `${JSON.stringify(checked)}\n`;
	const handle = await open(path, 'a', 0o644);
	try {
		await handle.write(line);
		await handle.sync();
	} finally {
		await handle.close();
	}
}

/** Empties the journal once its records are in the log (the log is then their record). */
export async function clearJournal(path: string): Promise<void> {
	await appendFile(path, '');
	const handle = await open(path, 'r+');
	try {
		await handle.truncate(0);
		await handle.sync();
	} finally {
		await handle.close();
	}
}

function invalid(path: string, problem: string, cause?: unknown) {
	return registryError(
		'REGISTRY_JOURNAL_INVALID',
		`The change journal ${sanitizeText(path)} cannot be used: ${sanitizeText(problem, { maxLength: 300 })}.`,
		{
			hint: 'Restore the journal from a backup, or remove the broken record and publish with --reason.',
			...(cause === undefined ? {} : { cause }),
		},
	);
}
