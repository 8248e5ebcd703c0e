/**
 * Reading back what a killed process left (state file, plugin directory, journal, staging,
 * backups, lock), and checking that the result is wholly one version of the plugin.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
	BACKUP_DIR,
	compareTrees,
	digestTree,
	STAGING_DIR,
	type StoreState,
} from '@vouch/library/internal/lifecycle/store/index';
import { type CliRun, parseJson } from '../../helpers/cli.ts';
import type { PluginSpec, World } from '../world.ts';
import { type CrashStage, outcomeAfter } from './stages.ts';

/**
 * `vouch clean --json`, on the CLI's fixed test clock: nothing here depends on the age of what
 * a killed child left, since its staging is named after it and it is gone.
 */
export async function clean(world: World): Promise<CleanRun> {
	const run = await world.vouch(['clean', '--json']);
	assert.equal(run.code, 0, run.stdout + run.stderr);
	return parseJson(run) as never;
}

export interface CleanRun {
	recovered: { outcome: string; uuid: string }[];
	removed: string[];
}

export function entries(dir: string): string[] {
	return existsSync(dir) ? readdirSync(dir).sort() : [];
}

export function stagingEntries(world: World): string[] {
	return entries(join(world.profile.pluginsDir, STAGING_DIR));
}

export function backupEntries(world: World): string[] {
	return entries(join(world.profile.pluginsDir, BACKUP_DIR));
}

export function journalEntries(world: World): string[] {
	return entries(join(world.profile.dataDir, 'journal'));
}

/** The pid named in the store's lock file, if there is one. */
export function lockHolder(world: World): number | undefined {
	const path = join(world.profile.dataDir, 'lock');
	if (!existsSync(path)) return undefined;
	return (JSON.parse(readFileSync(path, 'utf8')) as { pid: number }).pid;
}

/** One version of a plugin as the test published it: its commit and a file that tells it. */
export interface Version {
	commit: string;
	marker: { path: string; content: string };
}

/** `absent` when the plugin is not installed at all. */
export type Expected = Version | 'absent';

export function directoryOf(spec: PluginSpec): string {
	return `${spec.name}_${spec.uuid}`;
}

/** Which version the files in the plugin's directory are, read from the disk alone. */
export function filesVersion(
	world: World,
	spec: PluginSpec,
	versions: Version[],
): Version | 'absent' | 'unknown' {
	const dir = join(world.profile.pluginsDir, directoryOf(spec));
	if (!existsSync(dir)) return 'absent';
	const found = versions.find((version) => {
		const path = join(dir, version.marker.path);
		return existsSync(path) && readFileSync(path, 'utf8') === version.marker.content;
	});
	return found ?? 'unknown';
}

/** Which version the state file records, without recovery (a plain read of state.json). */
export function stateVersion(
	state: StoreState,
	spec: PluginSpec,
	versions: Version[],
): Version | 'absent' | 'unknown' {
	const record = state.plugins[spec.uuid];
	if (record === undefined) return 'absent';
	return versions.find((version) => version.commit === record.source.commit) ?? 'unknown';
}

/**
 * What a killed process may leave before anyone recovers: a state file that reads and names
 * the old or the new version, and files that either agree with it or are explained by a
 * pending journal (which recovery then settles one way or the other).
 */
export async function assertOldNewOrRecoverable(
	world: World,
	spec: PluginSpec,
	old: Expected,
	next: Version,
): Promise<{ state: Expected; files: Expected }> {
	const versions = [next, ...(old === 'absent' ? [] : [old])];
	const state = await world.state();
	const recorded = stateVersion(state, spec, versions);
	const files = filesVersion(world, spec, versions);
	assert.notEqual(recorded, 'unknown', 'the state records neither the old nor the new version');
	assert.notEqual(files, 'unknown', 'the plugin directory holds neither version whole');
	if (recorded !== files) {
		assert.ok(journalEntries(world).length > 0, 'state and files disagree with no journal');
	}
	return { state: recorded as Expected, files: files as Expected };
}

/**
 * The state records exactly `expected`, and the disk agrees: the directory exists, every file
 * matches its recorded digest, and `enabled` lists it once (it was installed enabled).
 */
export async function assertExactly(
	world: World,
	spec: PluginSpec,
	expected: Expected,
	directory = directoryOf(spec),
) {
	const state = await world.state();
	const record = state.plugins[spec.uuid];
	const dir = join(world.profile.pluginsDir, directory);
	for (const uuid of state.enabled) assert.ok(state.plugins[uuid], `enabled ${uuid} is unknown`);
	assert.equal(new Set(state.enabled).size, state.enabled.length, 'enabled has duplicates');
	if (expected === 'absent') {
		assert.equal(record, undefined);
		assert.ok(!state.enabled.includes(spec.uuid));
		assert.equal(existsSync(dir), false, 'a plugin directory without a record');
		return state;
	}
	assert.ok(record, 'the plugin is not recorded');
	assert.equal(record.source.commit, expected.commit);
	assert.equal(record.directory, directory);
	const digest = await digestTree(dir);
	assert.deepEqual(compareTrees(record.files, digest.files), {
		changed: [],
		added: [],
		removed: [],
	});
	assert.equal(digest.treeDigest, record.treeDigest);
	assert.equal(readFileSync(join(dir, expected.marker.path), 'utf8'), expected.marker.content);
	assert.ok(state.enabled.includes(spec.uuid), 'the plugin was enabled and is no longer');
	return state;
}

/**
 * Nothing of interrupted work is left (staging aside, which `assertStagingTaken` checks): no
 * journal, backup, lock or directory in the plugins folder that no record owns.
 */
export async function assertNoLeftovers(world: World): Promise<void> {
	assert.deepEqual(journalEntries(world), [], 'journal left');
	assert.deepEqual(backupEntries(world), [], 'backup left');
	const data = entries(world.profile.dataDir);
	assert.ok(!data.includes('lock'), 'lock left');
	assert.ok(!data.includes('lock.takeover'), 'takeover file left');
	assert.deepEqual(
		data.filter((name) => name.endsWith('.vouch-tmp')),
		[],
		'temp files left',
	);
	const owned = new Set(Object.values((await world.state()).plugins).map((p) => p.directory));
	const unowned = entries(world.profile.pluginsDir).filter(
		(name) => !name.startsWith('.') && !owned.has(name),
	);
	assert.deepEqual(unowned, [], 'plugin directories nobody owns');
}

/**
 * `clean` took every staging directory the killed child left (`staged`, listed before it ran),
 * young as they are: each is named after the process that made it, and that process is gone.
 */
export function assertStagingTaken(world: World, staged: string[], report: CleanRun): void {
	assert.deepEqual(
		report.removed.filter((path) => path.startsWith(STAGING_DIR)).sort(),
		staged.map((name) => join(STAGING_DIR, name)).sort(),
	);
	assert.deepEqual(stagingEntries(world), []);
}

export function cliError(run: CliRun): string | undefined {
	return (parseJson(run).error as { code?: string } | undefined)?.code;
}

/**
 * What the child left at `stage`, before recovery: proof that the kill landed where it was
 * meant to. At `after-place` the state still names the old version while the new files are in
 * place, the window in which only the journal keeps the two from disagreeing for good.
 */
export function assertStageEvidence(
	world: World,
	stage: CrashStage,
	seen: { state: Expected; files: Expected },
	old: Expected,
	next: Version,
	childPid: number,
): void {
	const staged = stagingEntries(world);
	const newVersion = { state: next, files: next };
	const expected: Record<
		CrashStage,
		{ state: Expected; files: Expected; staged: number; journals: number; locked: boolean }
	> = {
		'ls-remote': { state: old, files: old, staged: 0, journals: 0, locked: false },
		clone: { state: old, files: old, staged: 1, journals: 0, locked: false },
		manifest: { state: old, files: old, staged: 1, journals: 0, locked: false },
		'before-transaction': { state: old, files: old, staged: 1, journals: 0, locked: false },
		'before-place': { state: old, files: old, staged: 1, journals: 0, locked: true },
		'after-place': { state: old, files: next, staged: 0, journals: 1, locked: true },
		'after-commit': { ...newVersion, staged: 0, journals: 1, locked: true },
	};
	const want = expected[stage];
	assert.equal(seen.state, want.state, 'the state file records another version');
	assert.equal(seen.files, want.files, 'the plugin directory holds another version');
	assert.equal(staged.length, want.staged, `staging: ${staged.join(', ')}`);
	for (const name of staged) {
		const marker = join(world.profile.pluginsDir, STAGING_DIR, name, next.marker.path);
		assert.equal(readFileSync(marker, 'utf8'), next.marker.content, 'the clone is not whole');
	}
	assert.equal(journalEntries(world).length, want.journals);
	// The lock of a process killed inside its transaction stays behind, naming the dead holder.
	assert.equal(lockHolder(world), want.locked ? childPid : undefined);
	// Replacing a version moves the old one aside; it waits there until the cleanup.
	const aside = outcomeAfter(stage) === 'new' && old !== 'absent' ? 1 : 0;
	assert.equal(backupEntries(world).length, aside, 'the replaced version is not kept aside');
}
