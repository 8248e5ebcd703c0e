/**
 * The record each registry or blacklist change puts in the log (D22, D28): who did what to which
 * subject, why, the registry's SHA-256 before and after, and the TUF targets version that
 * published it. Encoded as canonical JSON (keys sorted, no whitespace), and decoded only if the
 * bytes are exactly that encoding: one change has one spelling, so its leaf hash is fixed.
 */
import * as z from 'zod';
import { logError } from './errors.ts';

export const MAX_LOG_ENTRY_BYTES = 8 * 1024;

export const LOG_ACTIONS = [
	'plugin_add',
	'plugin_update',
	'plugin_remove',
	'trust_change',
	'release_pin',
	'redirect_add',
	'redirect_remove',
	'blacklist_add',
	'blacklist_remove',
	'quarantine',
	'quarantine_lift',
	'version_block',
	'author_block',
	'key_change',
	// A step of an incident that changes no registry entry (D22): a report received, a state
	// moved, an approval given. Its registry hashes before and after are equal.
	'incident',
	// A registry change made without an editing command, logged with the publisher's reason.
	'edit',
	// The TUF targets metadata a publish signed: a client proves the targets it accepted are in
	// the log by finding this entry (D28).
	'publish',
] as const;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const printable = (max: number) =>
	z
		.string()
		.min(1)
		.max(max)
		.refine((text) => !CONTROL.test(text), 'has a control character');
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/** `YYYY-MM-DDTHH:MM:SSZ`, a real instant in UTC. */
const utcTime = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
	.refine((text) => {
		const time = Date.parse(text);
		return Number.isFinite(time) && new Date(time).toISOString() === text.replace('Z', '.000Z');
	}, 'is not a real UTC time');

export const logEntrySchema = z
	.object({
		sequence: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
		time: utcTime,
		/** The TUF key id (SHA-256, hex) of the maintainer key that made the change. */
		actor: sha256Hex,
		action: z.enum(LOG_ACTIONS),
		/** What changed: a plugin UUID, a URL, a blacklist pattern. */
		subject: printable(1024),
		reason: printable(2000),
		/** A link to the report that prompted the change. */
		report: z
			.string()
			.max(2048)
			.regex(/^https:\/\/\S+$/)
			.refine((url) => !CONTROL.test(url), 'has a control character')
			.optional(),
		registry_before: sha256Hex,
		registry_after: sha256Hex,
		targets_version: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
	})
	.strict();

export type LogEntry = z.infer<typeof logEntrySchema>;

function canonical(entry: LogEntry): string {
	const record = entry as Record<string, unknown>;
	const keys = Object.keys(record)
		.filter((key) => record[key] !== undefined)
		.sort();
	return `{${keys.map((key) => `${JSON.stringify(key)}:${JSON.stringify(record[key])}`).join(',')}}`;
}

function badEntry(message: string, cause?: unknown): Error {
	return logError('LOG_BAD_ENTRY', message, { cause });
}

export function encodeLogEntry(entry: LogEntry): Uint8Array {
	const parsed = logEntrySchema.safeParse(entry);
	if (!parsed.success) throw badEntry('The log entry does not fit the schema.', parsed.error);
	const bytes = new TextEncoder().encode(canonical(parsed.data));
	if (bytes.length > MAX_LOG_ENTRY_BYTES) throw badEntry('The log entry is too large.');
	return bytes;
}

export function decodeLogEntry(bytes: Uint8Array): LogEntry {
	if (!(bytes instanceof Uint8Array) || bytes.length > MAX_LOG_ENTRY_BYTES) {
		throw badEntry('The log entry is too large.');
	}
	let text: string;
	let value: unknown;
	try {
		text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
		value = JSON.parse(text);
	} catch (error) {
		throw badEntry('The log entry is not UTF-8 JSON.', error);
	}
	const parsed = logEntrySchema.safeParse(value);
	if (!parsed.success) throw badEntry('The log entry does not fit the schema.', parsed.error);
	if (canonical(parsed.data) !== text) throw badEntry('The log entry is not in canonical form.');
	return parsed.data;
}
