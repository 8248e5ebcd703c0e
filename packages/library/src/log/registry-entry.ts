/**
 * The registry's own entries on top of the log entry record (`log-entry.ts`): besides the
 * recorded edits, a publish adds
 *   - `edit`: a change of the registry file made without an editing command, carrying the
 *     reason the publisher gave (a change without a recorded reason is never published);
 *   - `publish`: the TUF targets metadata a publish signed, its subject naming the metadata's
 *     SHA-256 (`targets.json@sha256:<hex>`), so a client proves that the exact targets it
 *     accepted are in the log (D28), and a split view (other targets for the same version)
 *     is caught.
 * Both are actions of the one entry schema (`log-entry.ts`), encoded the one canonical way.
 */
import {
	decodeLogEntry,
	encodeLogEntry,
	LOG_ACTIONS,
	type LogEntry,
	logEntrySchema,
} from './log-entry.ts';

export const PUBLISH_ACTION = 'publish';
export const EDIT_ACTION = 'edit';
export const REGISTRY_LOG_ACTIONS: readonly string[] = LOG_ACTIONS;
export const registryLogEntrySchema = logEntrySchema;
export type RegistryLogEntry = LogEntry;

/** The SHA-256 of no registry at all: the `before` of a log's very first entry. */
export const EMPTY_REGISTRY_SHA256 =
	'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export function publishSubject(targetsSha256: string): string {
	return `targets.json@sha256:${targetsSha256}`;
}

export const encodeRegistryLogEntry = encodeLogEntry;
export const decodeRegistryLogEntry = decodeLogEntry;
