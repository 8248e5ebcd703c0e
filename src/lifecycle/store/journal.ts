/**
 * The intent log that makes a change to plugin files and to the state file one atomic step.
 * Before touching files, a transaction writes what it is about to do (`journal/<id>.json`,
 * atomically). If the process dies, the next transaction (or `vouch clean`, or startup) reads
 * the journal, looks at which side of the decisive rename the files are on, and makes the state
 * file agree: the result is always the old plugin or the new one, never a mix.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { readFileBounded, writeFileAtomic } from '../../core/atomic-fs.ts';
import type { InstalledPlugin, StoreState } from './model.ts';

export type JournalEntry =
	| {
			kind: 'place';
			id: string;
			uuid: string;
			/** Staged directory; gone once the decisive rename is done. */
			staged: string;
			target: string;
			/** Where the replaced directory waits until the state is written. */
			backup: string;
			before: InstalledPlugin | null;
			after: InstalledPlugin;
			enabledBefore: boolean;
			enabledAfter: boolean;
	  }
	| { kind: 'remove'; id: string; uuid: string; path: string }
	| { kind: 'quarantine'; id: string; uuid: string; from: string; to: string };

export interface RecoveryAction {
	journal: string;
	outcome: 'rolled back' | 'completed';
	uuid: string;
}

const MAX_JOURNAL_BYTES = 4 * 1024 * 1024;

export function journalDir(dataDir: string): string {
	return join(dataDir, 'journal');
}

export function newJournalId(): string {
	return `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;
}

export async function writeJournal(dataDir: string, entry: JournalEntry): Promise<string> {
	const dir = journalDir(dataDir);
	await mkdir(dir, { recursive: true });
	const path = join(dir, `${entry.id}.json`);
	await writeFileAtomic(path, JSON.stringify(entry), { mode: 0o600 });
	return path;
}

export async function deleteJournal(dataDir: string, id: string): Promise<void> {
	await unlink(join(journalDir(dataDir), `${id}.json`)).catch(() => undefined);
}

/** Finishes or rolls back every interrupted change, editing `state` to match the files. */
export async function recoverJournals(
	dataDir: string,
	state: StoreState,
): Promise<RecoveryAction[]> {
	const dir = journalDir(dataDir);
	let names: string[];
	try {
		names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
	} catch {
		return [];
	}
	const actions: RecoveryAction[] = [];
	for (const name of names) {
		const path = join(dir, name);
		let entry: JournalEntry;
		try {
			entry = JSON.parse((await readFileBounded(path, MAX_JOURNAL_BYTES)).toString('utf8'));
		} catch {
			// A journal cut short was never acted on: its writer had not touched any file yet.
			await unlink(path).catch(() => undefined);
			continue;
		}
		actions.push({ journal: name, uuid: entry.uuid, outcome: await recoverOne(entry, state) });
		await unlink(path).catch(() => undefined);
	}
	return actions;
}

async function recoverOne(
	entry: JournalEntry,
	state: StoreState,
): Promise<RecoveryAction['outcome']> {
	switch (entry.kind) {
		case 'place': {
			if (await exists(entry.staged)) {
				// The new files never reached their place: put the old ones back.
				if (!(await exists(entry.target)) && (await exists(entry.backup))) {
					await rename(entry.backup, entry.target);
				}
				await rm(entry.staged, { recursive: true, force: true });
				setRecord(state, entry.uuid, entry.before, entry.enabledBefore);
				if (entry.before === null) delete state.plugins[entry.after.uuid];
				return 'rolled back';
			}
			await rm(entry.backup, { recursive: true, force: true });
			setRecord(state, entry.uuid, entry.after, entry.enabledAfter);
			return 'completed';
		}
		case 'remove': {
			if (state.plugins[entry.uuid] !== undefined) return 'rolled back';
			await rm(entry.path, { recursive: true, force: true });
			return 'completed';
		}
		case 'quarantine': {
			const plugin = state.plugins[entry.uuid];
			if (!(await exists(entry.to))) return 'rolled back';
			if (plugin !== undefined) {
				plugin.state = 'quarantined';
				plugin.quarantinePath = entry.to;
				state.enabled = state.enabled.filter((uuid) => uuid !== entry.uuid);
			}
			return 'completed';
		}
	}
}

function setRecord(
	state: StoreState,
	uuid: string,
	record: InstalledPlugin | null,
	enabled: boolean,
): void {
	state.enabled = state.enabled.filter((item) => item !== uuid);
	if (record === null) {
		delete state.plugins[uuid];
		return;
	}
	state.plugins[uuid] = record;
	if (enabled) state.enabled.push(uuid);
}

async function exists(path: string): Promise<boolean> {
	return stat(path).then(
		() => true,
		() => false,
	);
}
