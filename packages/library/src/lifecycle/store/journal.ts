/**
 * The intent log that makes a change to plugin files and to the state file one atomic step.
 * Before touching files, a transaction writes what it is about to do (`journal/<id>.json`,
 * atomically). If the process dies, the next transaction (or `vouch clean`, or startup) reads
 * the journal, looks at which side of the decisive rename the files are on, and makes the state
 * file agree: the result is always the old plugin or the new one, never a mix. A journal is
 * deleted only once the state recording its outcome is written, so a crash during recovery
 * finds the same evidence and decides the same way.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, rename, rm, unlink } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { readFileBounded, writeFileAtomic } from '../../core/atomic-fs.ts';
import { type InstalledPlugin, installedPluginSchema, type StoreState } from './model.ts';

const absolutePath = z.string().min(1).max(4096).refine(isAbsolute, 'not an absolute path');
const uuid = z.string().max(36);

const journalEntrySchema = z.discriminatedUnion('kind', [
	z.strictObject({
		kind: z.literal('place'),
		id: z.string().max(64),
		uuid,
		/** Staged directory; gone once the decisive rename is done. */
		staged: absolutePath,
		target: absolutePath,
		/** Where the replaced directory waits until the state is written. */
		backup: absolutePath,
		before: installedPluginSchema.nullable(),
		after: installedPluginSchema,
		enabledBefore: z.boolean(),
		enabledAfter: z.boolean(),
		/**
		 * The record this change takes the place of when the UUID changes (a reinstall or a
		 * declared move): completing the change drops it, or one source would keep two records.
		 */
		replaces: uuid.optional(),
	}),
	z.strictObject({ kind: z.literal('remove'), id: z.string().max(64), uuid, path: absolutePath }),
	z.strictObject({
		kind: z.literal('quarantine'),
		id: z.string().max(64),
		uuid,
		from: absolutePath,
		to: absolutePath,
	}),
	/** Files moving back from quarantine once the blacklist no longer names the plugin. */
	z.strictObject({
		kind: z.literal('release'),
		id: z.string().max(64),
		uuid,
		from: absolutePath,
		to: absolutePath,
	}),
]);

export type JournalEntry = z.infer<typeof journalEntrySchema>;
type PlaceEntry = Extract<JournalEntry, { kind: 'place' }>;

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
	const file = join(dir, `${entry.id}.json`);
	await writeFileAtomic(file, JSON.stringify(entry), { mode: 0o600 });
	return file;
}

export async function deleteJournal(dataDir: string, id: string): Promise<void> {
	await unlink(join(journalDir(dataDir), `${id}.json`)).catch(() => undefined);
}

/**
 * The journals on disk, oldest first. One that does not read as a journal is deleted: each is
 * written atomically before its writer touches any file, so such a file was never acted on
 * (or is not ours), and acting on its paths could delete anything.
 */
async function readJournals(dataDir: string): Promise<{ name: string; entry: JournalEntry }[]> {
	const dir = journalDir(dataDir);
	let names: string[];
	try {
		names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
	} catch {
		return [];
	}
	const journals: { name: string; entry: JournalEntry }[] = [];
	for (const name of names) {
		const file = join(dir, name);
		try {
			const raw = JSON.parse((await readFileBounded(file, MAX_JOURNAL_BYTES)).toString('utf8'));
			journals.push({ name, entry: journalEntrySchema.parse(raw) });
		} catch {
			await unlink(file).catch(() => undefined);
		}
	}
	return journals;
}

/** What recovery decided, and what is left to do once the state that records it is written. */
export interface Recovery {
	actions: RecoveryAction[];
	/**
	 * Deletes the settled journals, then the staged copies of rolled-back changes. Call it only
	 * after the state is written: until then a crash must find the journals and decide the same
	 * way again, and a staged copy that still exists is what marks a change as not done.
	 */
	settle(): Promise<void>;
}

/** Finishes or rolls back every interrupted change, editing `state` to match the files. */
export async function recoverJournals(dataDir: string, state: StoreState): Promise<Recovery> {
	const journals = await readJournals(dataDir);
	// A removal is decided by the state the other changes leave: a plugin moved to a new
	// directory in the same transaction no longer owns its old one.
	const ordered = [
		...journals.filter(({ entry }) => entry.kind !== 'remove'),
		...journals.filter(({ entry }) => entry.kind === 'remove'),
	];
	const actions: RecoveryAction[] = [];
	const discard: string[] = [];
	for (const { name, entry } of ordered) {
		const outcome = await recoverOne(entry, state);
		actions.push({ journal: name, uuid: entry.uuid, outcome });
		if (entry.kind === 'place' && outcome === 'rolled back') discard.push(entry.staged);
	}
	return {
		actions,
		async settle() {
			for (const { name } of ordered) {
				await unlink(join(journalDir(dataDir), name)).catch(() => undefined);
			}
			for (const staged of discard) await rm(staged, { recursive: true, force: true });
		},
	};
}

/**
 * Puts back the files of every `place` of a transaction that failed in a live process, before
 * its state was written. Recovery after a crash would complete a place whose new files are
 * already in position; but here the caller is told the change failed, so it must not take
 * effect later. Removals and quarantines are left to recovery: a removal has not touched any
 * file yet, and a quarantine is a safety step better finished than undone.
 */
export async function undoPlacements(dataDir: string): Promise<void> {
	const journals = await readJournals(dataDir);
	for (const { name, entry } of journals.reverse()) {
		if (entry.kind !== 'place') continue;
		// Each step keeps the journal's verdict "not done" until the journal is gone.
		if (!(await exists(entry.staged)) && (await exists(entry.target))) {
			await rename(entry.target, entry.staged);
		}
		await restoreOld(entry);
		await unlink(join(journalDir(dataDir), name)).catch(() => undefined);
		await rm(entry.staged, { recursive: true, force: true });
	}
}

async function recoverOne(
	entry: JournalEntry,
	state: StoreState,
): Promise<RecoveryAction['outcome']> {
	switch (entry.kind) {
		case 'place': {
			if (await exists(entry.staged)) {
				// The new files never reached their place: put the old ones back. The staged copy
				// stays until the journal is gone (see `settle`).
				await restoreOld(entry);
				setRecord(state, entry.uuid, entry.before, entry.enabledBefore);
				if (entry.before === null) delete state.plugins[entry.after.uuid];
				return 'rolled back';
			}
			await rm(entry.backup, { recursive: true, force: true });
			if (entry.replaces !== undefined && entry.replaces !== entry.uuid) {
				setRecord(state, entry.replaces, null, false);
			}
			setRecord(state, entry.uuid, entry.after, entry.enabledAfter);
			return 'completed';
		}
		case 'remove': {
			// Rolled back only while the state still has the plugin in that very directory.
			if (state.plugins[entry.uuid]?.directory === basename(entry.path)) return 'rolled back';
			await rm(entry.path, { recursive: true, force: true });
			return 'completed';
		}
		case 'quarantine': {
			const plugin = state.plugins[entry.uuid];
			if (!(await exists(entry.to))) return 'rolled back';
			if (plugin !== undefined) {
				plugin.state = 'quarantined';
				plugin.quarantinePath = entry.to;
			}
			state.enabled = state.enabled.filter((uuid) => uuid !== entry.uuid);
			return 'completed';
		}
		case 'release': {
			// Until the files are back in place the plugin stays quarantined; once they are, it is
			// an ordinary disabled plugin, and enabling it is a separate, later step.
			const plugin = state.plugins[entry.uuid];
			if (await exists(entry.from)) {
				// A copy across file systems that stopped half way: the quarantined original is
				// whole, the partial copy (in a place the release found empty) goes.
				await rm(entry.to, { recursive: true, force: true });
				return 'rolled back';
			}
			if (plugin !== undefined && (await exists(entry.to))) {
				plugin.state = 'active';
				delete plugin.quarantinePath;
			}
			state.enabled = state.enabled.filter((uuid) => uuid !== entry.uuid);
			return 'completed';
		}
	}
}

/** Moves the replaced directory back, if it had been moved aside. */
async function restoreOld(entry: PlaceEntry): Promise<void> {
	if (!(await exists(entry.target)) && (await exists(entry.backup))) {
		await rename(entry.backup, entry.target);
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

/** lstat: a plugin directory that is a (possibly dangling) symlink is still there. */
async function exists(path: string): Promise<boolean> {
	return lstat(path).then(
		() => true,
		() => false,
	);
}
