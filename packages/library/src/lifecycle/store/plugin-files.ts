/**
 * Plugin directories on disk: staging, the journaled move into place, removal and quarantine.
 * Every path is checked to stay inside its root: plugin names come from untrusted manifests,
 * and a symlinked plugin directory is unlinked, never followed (spec items 11, 12).
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, realpath, rename, rm, stat, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { sanitizeText } from '../../core/sanitize.ts';
import { storeError } from './errors.ts';
import { newJournalId, writeJournal } from './journal.ts';
import { BACKUP_DIR, findLeftovers, type Leftover, STAGING_DIR, stagingName } from './leftovers.ts';
import { processIsAlive } from './lock.ts';
import type { InstalledPlugin, StoreState } from './model.ts';
import type { TransactionContext } from './store.ts';

/** An unattributed staging directory younger than this may be a clone in progress. */
const DEFAULT_STAGING_MIN_AGE_MS = 60 * 60 * 1000;
const SAFE_NAME = /^[a-z0-9_][a-z0-9_.-]{0,199}$/;

/** The points between the steps of a journaled change, in order, per operation. */
export type FileStep =
	| 'place:journal-written'
	| 'place:old-moved-aside'
	| 'place:new-moved-in'
	| 'place:committed'
	| 'place:backup-removed'
	| 'remove:journal-written'
	| 'remove:committed'
	| 'remove:removed'
	| 'quarantine:journal-written'
	| 'quarantine:moved'
	| 'quarantine:committed'
	| 'release:journal-written'
	| 'release:moved'
	| 'release:committed';

export interface PluginFilesOptions {
	pluginsDir: string;
	dataDir: string;
	now: () => Date;
	/** Whether a pid runs on this host (who may still be filling a staging directory). */
	isAlive?: (pid: number) => boolean;
	/**
	 * Called between the steps of a change; undefined in production. Tests stop the process
	 * here to prove that recovery settles a change interrupted at any point.
	 */
	checkpoint?: (step: FileStep) => void | Promise<void>;
}

export interface PlaceRequest {
	staged: string;
	/** `state.plugins[uuid]` after the change; its `directory` is the target name. */
	record: InstalledPlugin;
	enabled: boolean;
	/** The UUID of the record this one replaces, when it differs (see the journal). */
	replaces?: string;
}

export function createPluginFiles(options: PluginFilesOptions) {
	const { pluginsDir, dataDir } = options;
	const checkpoint = async (step: FileStep): Promise<void> => {
		await options.checkpoint?.(step);
	};

	const pathIn = (name: string): string => {
		if (!SAFE_NAME.test(name) || name.includes('..')) {
			throw storeError('UNSAFE_PATH', `${sanitizeText(name)} is not a plugin directory name.`);
		}
		return join(pluginsDir, name);
	};

	return {
		pluginsDir,
		/** Absolute path of an installed plugin: local ones live where they were registered. */
		pathOf(plugin: InstalledPlugin): string {
			if (plugin.state === 'quarantined' && plugin.quarantinePath !== undefined) {
				return plugin.quarantinePath;
			}
			return plugin.source.kind === 'local' && isAbsolute(plugin.directory)
				? plugin.directory
				: pathIn(plugin.directory);
		},

		/** A fresh staging directory beside the plugins, where a fetch lands before it is placed. */
		async createStaging(): Promise<string> {
			const root = join(pluginsDir, STAGING_DIR);
			await mkdir(root, { recursive: true });
			// Named after this process, so that `clean` knows it for a leftover once we are gone.
			const dir = join(root, stagingName());
			await mkdir(dir);
			return dir;
		},

		/** Removes a staging directory that will not be placed (a refused or failed install). */
		async removeStaging(path: string): Promise<void> {
			assertInside(join(pluginsDir, STAGING_DIR), path);
			await rm(path, { recursive: true, force: true });
		},

		/**
		 * Journal, move the old directory aside, move the staged one in; the caller's transaction
		 * then writes the state, after which the old copy and the journal go.
		 */
		async place(state: StoreState, tx: TransactionContext, request: PlaceRequest): Promise<void> {
			const { record } = request;
			const target = pathIn(record.directory);
			const backup = join(
				pluginsDir,
				BACKUP_DIR,
				`${record.directory}-${randomBytes(4).toString('hex')}`,
			);
			const before = state.plugins[record.uuid] ?? null;
			const id = newJournalId();
			await writeJournal(dataDir, {
				kind: 'place',
				id,
				uuid: record.uuid,
				staged: request.staged,
				target,
				backup,
				before,
				after: record,
				enabledBefore: state.enabled.includes(record.uuid),
				enabledAfter: request.enabled,
				...(request.replaces === undefined ? {} : { replaces: request.replaces }),
			});
			await checkpoint('place:journal-written');
			await mkdir(dirname(backup), { recursive: true });
			if (await present(target)) {
				await rename(target, backup);
				await checkpoint('place:old-moved-aside');
			}
			await rename(request.staged, target);
			await checkpoint('place:new-moved-in');
			tx.afterCommit(async () => {
				await checkpoint('place:committed');
				await rm(backup, { recursive: true, force: true });
				await checkpoint('place:backup-removed');
				await unlink(join(dataDir, 'journal', `${id}.json`)).catch(() => undefined);
			});
		},

		/** Removes an installed plugin directory once the state no longer lists it. */
		async remove(tx: TransactionContext, plugin: InstalledPlugin): Promise<void> {
			if (plugin.source.kind === 'local' && isAbsolute(plugin.directory)) return;
			const path = pathIn(plugin.directory);
			await assertStrictSubdirectory(pluginsDir, path);
			const id = newJournalId();
			await writeJournal(dataDir, { kind: 'remove', id, uuid: plugin.uuid, path });
			await checkpoint('remove:journal-written');
			tx.afterCommit(async () => {
				await checkpoint('remove:committed');
				await removeDirectoryOrLink(pluginsDir, path);
				await checkpoint('remove:removed');
				await unlink(join(dataDir, 'journal', `${id}.json`)).catch(() => undefined);
			});
		},

		/** Moves a plugin's files to `<dataDir>/quarantine/`: kept, never deleted (D4). */
		async quarantine(
			state: StoreState,
			tx: TransactionContext,
			plugin: InstalledPlugin,
		): Promise<string> {
			const from = pathIn(plugin.directory);
			const stamp = options.now().toISOString().replace(/[:.]/g, '-');
			const to = join(dataDir, 'quarantine', `${plugin.directory}-${stamp}`);
			await mkdir(dirname(to), { recursive: true });
			const id = newJournalId();
			await writeJournal(dataDir, { kind: 'quarantine', id, uuid: plugin.uuid, from, to });
			await checkpoint('quarantine:journal-written');
			await moveAcrossFileSystems(from, to);
			await checkpoint('quarantine:moved');
			const record = state.plugins[plugin.uuid];
			if (record !== undefined) {
				record.state = 'quarantined';
				record.quarantinePath = to;
			}
			state.enabled = state.enabled.filter((uuid) => uuid !== plugin.uuid);
			tx.afterCommit(async () => {
				await checkpoint('quarantine:committed');
				await unlink(join(dataDir, 'journal', `${id}.json`)).catch(() => undefined);
			});
			return to;
		},

		/**
		 * Moves a quarantined plugin's files back to its directory, disabled. The caller decides
		 * that it may (the blacklist no longer names it, its files are as installed); this only
		 * makes the move and the state change one journaled step.
		 */
		async release(
			state: StoreState,
			tx: TransactionContext,
			plugin: InstalledPlugin,
		): Promise<void> {
			const from = plugin.quarantinePath;
			if (plugin.state !== 'quarantined' || from === undefined) {
				throw storeError('UNSAFE_PATH', `${sanitizeText(plugin.name)} is not in quarantine.`);
			}
			assertInside(join(dataDir, 'quarantine'), from);
			const to = pathIn(plugin.directory);
			if (await present(to)) {
				throw storeError(
					'UNSAFE_PATH',
					`${sanitizeText(to)} is already taken; the quarantined files stay where they are.`,
				);
			}
			const id = newJournalId();
			await writeJournal(dataDir, { kind: 'release', id, uuid: plugin.uuid, from, to });
			await checkpoint('release:journal-written');
			await mkdir(dirname(to), { recursive: true });
			await moveAcrossFileSystems(from, to);
			await checkpoint('release:moved');
			const record = state.plugins[plugin.uuid];
			if (record !== undefined) {
				record.state = 'active';
				delete record.quarantinePath;
			}
			state.enabled = state.enabled.filter((uuid) => uuid !== plugin.uuid);
			tx.afterCommit(async () => {
				await checkpoint('release:committed');
				await unlink(join(dataDir, 'journal', `${id}.json`)).catch(() => undefined);
			});
		},

		/** Leftovers of interrupted work and whether each may go (see `leftovers.ts`). */
		leftovers(stagingMinAgeMs = DEFAULT_STAGING_MIN_AGE_MS): Promise<Leftover[]> {
			return findLeftovers(pluginsDir, {
				stagingMinAgeMs,
				now: options.now,
				isAlive: options.isAlive ?? processIsAlive,
			});
		},

		/**
		 * Removes the leftovers that may go. Run it inside a store transaction, after recovery has
		 * settled every journal: no other process then holds the lock, so backups belong to
		 * nobody, and staging goes when its maker is dead (or, unattributed, when it is old).
		 */
		async removeLeftovers(stagingMinAgeMs = DEFAULT_STAGING_MIN_AGE_MS): Promise<string[]> {
			const removed: string[] = [];
			for (const leftover of await this.leftovers(stagingMinAgeMs)) {
				if (leftover.verdict !== 'removable') continue;
				await rm(join(pluginsDir, leftover.path), { recursive: true, force: true });
				removed.push(leftover.path);
			}
			return removed;
		},
	};
}

export type PluginFiles = ReturnType<typeof createPluginFiles>;

function assertInside(root: string, path: string): void {
	const rel = relative(resolve(root), resolve(path));
	if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
		throw storeError('UNSAFE_PATH', `${sanitizeText(path)} is outside ${sanitizeText(root)}.`);
	}
}

/** The real parent must be the real plugins directory, and the path one level below it. */
export async function assertStrictSubdirectory(pluginsDir: string, path: string): Promise<void> {
	const root = await realpath(pluginsDir);
	const parent = await realpath(dirname(resolve(path)));
	const name = basename(path);
	if (parent !== root || name === '' || name === '.' || name === '..' || name.includes(sep)) {
		throw storeError(
			'UNSAFE_PATH',
			`Refusing to delete ${sanitizeText(path)}: it is not a directory inside ${sanitizeText(pluginsDir)}.`,
		);
	}
}

/** A symlink is unlinked, never followed; anything else is removed with its contents. */
export async function removeDirectoryOrLink(pluginsDir: string, path: string): Promise<void> {
	await assertStrictSubdirectory(pluginsDir, path);
	const info = await lstat(path).catch(() => undefined);
	if (info === undefined) return;
	if (info.isSymbolicLink()) await unlink(path);
	else await rm(path, { recursive: true, force: true });
}

async function present(path: string): Promise<boolean> {
	return lstat(path).then(
		() => true,
		() => false,
	);
}

/** Data and plugins directories may sit on different file systems; then copy, then delete. */
async function moveAcrossFileSystems(from: string, to: string): Promise<void> {
	try {
		await rename(from, to);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
		const { cp } = await import('node:fs/promises');
		await cp(from, to, { recursive: true, verbatimSymlinks: true, errorOnExist: true });
		await rm(from, { recursive: true, force: true });
	}
	await stat(to);
}
