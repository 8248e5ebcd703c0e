/**
 * The registry's own entries on top of the log entry record (`log-entry.ts`): besides the
 * recorded edits, a publish adds
 *   - `edit`: a change of the registry file made without an editing command, carrying the
 *     reason the publisher gave (a change without a recorded reason is never published);
 *   - `publish`: the TUF targets metadata a publish signed, its subject naming the metadata's
 *     SHA-256 (`targets.json@sha256:<hex>`), so a client proves that the exact targets it
 *     accepted are in the log (D28), and a split view (other targets for the same version)
 *     is caught.
 * Same canonical encoding as every entry, so leaf hashes stay fixed.
 */
import * as z from 'zod';
import { logError } from './errors.ts';
import { LOG_ACTIONS, type LogEntry, logEntrySchema, MAX_LOG_ENTRY_BYTES } from './log-entry.ts';

export const PUBLISH_ACTION = 'publish';
export const EDIT_ACTION = 'edit';
export const REGISTRY_LOG_ACTIONS = [
	...new Set([...LOG_ACTIONS, EDIT_ACTION, PUBLISH_ACTION]),
] as readonly string[];

export const registryLogEntrySchema = logEntrySchema
	.extend({ action: z.enum(REGISTRY_LOG_ACTIONS as [string, ...string[]]) })
	.strict();

export type RegistryLogEntry = Omit<LogEntry, 'action'> & { action: string };

/** The SHA-256 of no registry at all: the `before` of a log's very first entry. */
export const EMPTY_REGISTRY_SHA256 =
	'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export function publishSubject(targetsSha256: string): string {
	return `targets.json@sha256:${targetsSha256}`;
}

function canonical(entry: Record<string, unknown>): string {
	const keys = Object.keys(entry)
		.filter((key) => entry[key] !== undefined)
		.sort();
	return `{${keys.map((key) => `${JSON.stringify(key)}:${JSON.stringify(entry[key])}`).join(',')}}`;
}

export function encodeRegistryLogEntry(entry: RegistryLogEntry): Uint8Array {
	const parsed = registryLogEntrySchema.safeParse(entry);
	if (!parsed.success) {
		throw logError('LOG_BAD_ENTRY', 'The log entry does not fit the schema.', {
			cause: parsed.error,
			details: { issues: parsed.error.issues.slice(0, 5).map((issue) => issue.path.join('.')) },
		});
	}
	const bytes = new TextEncoder().encode(canonical(parsed.data));
	if (bytes.length > MAX_LOG_ENTRY_BYTES)
		throw logError('LOG_BAD_ENTRY', 'The log entry is too large.');
	return bytes;
}

export function decodeRegistryLogEntry(bytes: Uint8Array): RegistryLogEntry {
	if (!(bytes instanceof Uint8Array) || bytes.length > MAX_LOG_ENTRY_BYTES) {
		throw logError('LOG_BAD_ENTRY', 'The log entry is too large.');
	}
	let text: string;
	let value: unknown;
	try {
		text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
		value = JSON.parse(text);
	} catch (error) {
		throw logError('LOG_BAD_ENTRY', 'The log entry is not UTF-8 JSON.', { cause: error });
	}
	const parsed = registryLogEntrySchema.safeParse(value);
	if (!parsed.success) {
		throw logError('LOG_BAD_ENTRY', 'The log entry does not fit the schema.', {
			cause: parsed.error,
		});
	}
	if (canonical(parsed.data) !== text) {
		throw logError('LOG_BAD_ENTRY', 'The log entry is not in canonical form.');
	}
	return parsed.data;
}
