/**
 * A full audit of a registry log, for `vouch registry log verify` and the monitor: every entry
 * bundle is read and checked against the verified tiles (so every tile a bundle hangs from is
 * checked against the root), every entry decoded strictly, sequence numbers contiguous from 0,
 * and the registry hashes chained: each entry's `registry_before` is the previous entry's
 * `registry_after`, the first starting from no registry. A break means a change reached the
 * registry without a log entry.
 */
import { logError } from './errors.ts';
import { MAX_ENTRIES_PER_READ, type ReadEntry, readLogEntries } from './read-entries.ts';
import { EMPTY_REGISTRY_SHA256, PUBLISH_ACTION, type RegistryLogEntry } from './registry-entry.ts';
import type { TileLog } from './tile-reader.ts';

export interface LogAudit {
	size: number;
	/** Entries per action. */
	actions: Record<string, number>;
	/** The targets version of the last `publish` entry, if any. */
	lastPublishedTargets?: number;
	/** The registry's SHA-256 after the last entry. */
	registrySha256?: string;
}

export interface AuditOptions {
	/** Called for each entry in order (the monitor collects its feed items here). */
	onEntry?: (read: ReadEntry) => void;
	/** Start of the chain check; an audit of a suffix passes what came before. */
	from?: number;
	previous?: RegistryLogEntry;
}

export async function auditLog(log: TileLog, options: AuditOptions = {}): Promise<LogAudit> {
	const from = options.from ?? 0;
	const actions: Record<string, number> = {};
	let previous = options.previous;
	let lastPublishedTargets: number | undefined;
	for (let start = from; start < log.size; start += MAX_ENTRIES_PER_READ) {
		const end = Math.min(log.size, start + MAX_ENTRIES_PER_READ);
		for (const read of await readLogEntries(log, start, end)) {
			const { index, entry } = read;
			if (entry.sequence !== index) {
				throw badAudit(`Entry ${index} carries sequence number ${entry.sequence}.`);
			}
			const expectedBefore =
				previous?.registry_after ?? (index === 0 ? EMPTY_REGISTRY_SHA256 : undefined);
			if (expectedBefore !== undefined && entry.registry_before !== expectedBefore) {
				throw badAudit(
					`Entry ${index} starts from registry ${entry.registry_before.slice(0, 12)}, but entry ${index - 1} left it at ${expectedBefore.slice(0, 12)}: a change is missing from the log.`,
				);
			}
			if (previous !== undefined && entry.targets_version < previous.targets_version) {
				throw badAudit(`Entry ${index} goes back to targets version ${entry.targets_version}.`);
			}
			if (entry.action === PUBLISH_ACTION) lastPublishedTargets = entry.targets_version;
			actions[entry.action] = (actions[entry.action] ?? 0) + 1;
			options.onEntry?.(read);
			previous = entry;
		}
	}
	return {
		size: log.size,
		actions,
		...(lastPublishedTargets === undefined ? {} : { lastPublishedTargets }),
		...(previous === undefined ? {} : { registrySha256: previous.registry_after }),
	};
}

function badAudit(message: string) {
	return logError('LOG_BAD_ENTRY', message, {
		hint: 'The log does not describe a registry history; tell the registry maintainers.',
	});
}
