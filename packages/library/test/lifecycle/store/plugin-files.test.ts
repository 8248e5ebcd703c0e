/**
 * Plugin directories on disk: names that could leave the plugins directory are refused
 * (spec item 11), deletion only ever touches a strict subdirectory and unlinks a symlink
 * instead of following it (item 12), leftovers are cleaned without touching work in progress,
 * and place / remove / quarantine do what they say when nothing goes wrong.
 */
import assert from 'node:assert/strict';
import {
	existsSync,
	lstatSync,
	lutimesSync,
	mkdirSync,
	readdirSync,
	symlinkSync,
	utimesSync,
	writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
	assertStrictSubdirectory,
	BACKUP_DIR,
	createPluginFiles,
	removeDirectoryOrLink,
	STAGING_DIR,
} from '../../../src/lifecycle/store/index.ts';
import { makeTempDir } from '../../helpers/temp.ts';
import {
	assertNoLeftovers,
	entries,
	FIXED_NOW,
	pluginRecord,
	readTree,
	rejectsWithCode,
	storeWorld,
	throwsWithCode,
	withDigestOf,
	writeTree,
} from './helpers.ts';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

/** `<root>/plugins` with one plugin inside, an outside directory and a look-alike sibling. */
function layout() {
	const root = makeTempDir('vouch-dirs-');
	const plugins = join(root, 'plugins');
	const outside = join(root, 'outside');
	const evil = join(root, 'plugins-evil');
	writeTree(join(plugins, 'good_plugin'), { 'a.py': 'a' });
	writeTree(outside, { 'precious.txt': 'keep me', 'victim/file.txt': 'keep me too' });
	writeTree(join(evil, 'victim'), { 'x.txt': 'x' });
	return { root, plugins, outside, evil };
}

describe('assertStrictSubdirectory and removeDirectoryOrLink', () => {
	it('accepts a directory directly inside the plugins directory, and removes it', async () => {
		const { plugins } = layout();
		const path = join(plugins, 'good_plugin');
		await assertStrictSubdirectory(plugins, path);
		await removeDirectoryOrLink(plugins, path);
		assert.equal(existsSync(path), false);
		assert.ok(existsSync(plugins));
		// Already gone: nothing to do, no error.
		await removeDirectoryOrLink(plugins, path);
	});

	it('refuses paths that are not strictly inside, and deletes nothing', async () => {
		const { root, plugins, outside, evil } = layout();
		symlinkSync(outside, join(plugins, 'escape'));
		const refused = [
			plugins,
			`${plugins}/`,
			join(plugins, '.'),
			`${plugins}/..`,
			`${plugins}/good_plugin/..`,
			join(plugins, '..'),
			root,
			outside,
			evil,
			join(evil, 'victim'),
			// Its parent is a symlink to a directory elsewhere.
			join(plugins, 'escape', 'victim'),
			// Two levels down is not a plugin directory either.
			join(plugins, 'good_plugin', 'a.py'),
			'/',
		];
		for (const path of refused) {
			await rejectsWithCode(assertStrictSubdirectory(plugins, path), 'UNSAFE_PATH');
			await rejectsWithCode(removeDirectoryOrLink(plugins, path), 'UNSAFE_PATH');
		}
		assert.deepEqual(readTree(outside), {
			'precious.txt': 'keep me',
			'victim/file.txt': 'keep me too',
		});
		assert.deepEqual(readTree(evil), { 'victim/x.txt': 'x' });
		assert.deepEqual(readTree(join(plugins, 'good_plugin')), { 'a.py': 'a' });
	});

	it('refuses a path whose parent does not exist', async () => {
		const { plugins } = layout();
		await assert.rejects(removeDirectoryOrLink(plugins, join(plugins, 'missing', 'x')));
	});

	it('unlinks a symlinked plugin directory; the target and its contents survive', async () => {
		const { plugins, outside } = layout();
		const link = join(plugins, 'linked_plugin');
		symlinkSync(outside, link);
		await removeDirectoryOrLink(plugins, link);
		assert.equal(existsSync(link), false);
		assert.deepEqual(readTree(outside), {
			'precious.txt': 'keep me',
			'victim/file.txt': 'keep me too',
		});
	});

	it('unlinks a dangling symlink', async () => {
		const { root, plugins } = layout();
		const link = join(plugins, 'dangling');
		symlinkSync(join(root, 'nowhere'), link);
		await removeDirectoryOrLink(plugins, link);
		assert.throws(() => lstatSync(link));
	});

	it('does not follow symlinks inside a plugin it removes', async () => {
		const { plugins, outside } = layout();
		const dir = join(plugins, 'good_plugin');
		symlinkSync(outside, join(dir, 'inner-link'));
		symlinkSync(join(outside, 'precious.txt'), join(dir, 'file-link'));
		await removeDirectoryOrLink(plugins, dir);
		assert.equal(existsSync(dir), false);
		assert.deepEqual(readTree(outside), {
			'precious.txt': 'keep me',
			'victim/file.txt': 'keep me too',
		});
	});

	it('works when the plugins directory itself is reached through a symlink', async () => {
		const { root, plugins } = layout();
		const alias = join(root, 'alias');
		symlinkSync(plugins, alias);
		await removeDirectoryOrLink(alias, join(alias, 'good_plugin'));
		assert.deepEqual(readdirSync(plugins), []);
		await rejectsWithCode(removeDirectoryOrLink(alias, alias), 'UNSAFE_PATH');
		assert.ok(existsSync(plugins));
	});
});

describe('plugin directory names', () => {
	const world = storeWorld();
	const unsafe = [
		'',
		'.',
		'..',
		'../escape',
		'a/../../escape',
		'a/b',
		'/etc',
		'a\\b',
		'a..b',
		'.hidden',
		'-dash-first',
		'Upper_Case',
		'nul\0byte',
		'caf\u00e9',
		'\u0430pple',
		'tab\tname',
		'line\n',
		'space name',
		'x'.repeat(201),
	];
	for (const name of unsafe) {
		it(`refuses ${JSON.stringify(name)} with UNSAFE_PATH`, async () => {
			const plugin = pluginRecord(A, { directory: name });
			throwsWithCode(() => world.files.pathOf(plugin), 'UNSAFE_PATH');
			// Local plugins with a relative directory go through the same check (an absolute one
			// is where the user registered it, and is never deleted).
			if (!name.startsWith('/')) {
				throwsWithCode(
					() =>
						world.files.pathOf({
							...plugin,
							source: { ...plugin.source, kind: 'local', refType: 'local' },
						}),
					'UNSAFE_PATH',
				);
			}
			await rejectsWithCode(
				world.store.transaction(async (state, tx) => {
					await world.files.remove(tx, plugin);
					delete state.plugins[A];
				}),
				'UNSAFE_PATH',
			);
			await rejectsWithCode(
				world.store.transaction((state, tx) => world.files.quarantine(state, tx, plugin)),
				'UNSAFE_PATH',
			);
			const staged = await world.files.createStaging();
			await rejectsWithCode(
				world.store.transaction((state, tx) =>
					world.files.place(state, tx, { staged, record: plugin, enabled: true }),
				),
				'UNSAFE_PATH',
			);
			await world.files.removeStaging(staged);
			assert.deepEqual(entries(join(world.dataDir, 'journal')), []);
		});
	}

	it('accepts the names install makes, inside the plugins directory', () => {
		for (const name of ['tagger_11111111-1111-4111-8111-111111111111', 'a', '0.9-beta_x']) {
			assert.equal(
				world.files.pathOf(pluginRecord(A, { directory: name })),
				join(world.pluginsDir, name),
			);
		}
		assert.equal(
			world.files.pathOf(pluginRecord(A, { directory: 'x'.repeat(200) })),
			join(world.pluginsDir, 'x'.repeat(200)),
		);
	});

	it('gives a local plugin its absolute directory and a quarantined one its quarantine path', () => {
		const local = pluginRecord(A, {
			directory: '/home/someone/my-plugin',
			source: {
				kind: 'local',
				url: '/home/someone/my-plugin',
				canonicalUrl: '/home/someone/my-plugin',
				refType: 'local',
			},
		});
		assert.equal(world.files.pathOf(local), '/home/someone/my-plugin');
		// A git plugin never gets an absolute path from its record.
		throwsWithCode(
			() => world.files.pathOf(pluginRecord(A, { directory: '/home/someone/my-plugin' })),
			'UNSAFE_PATH',
		);
		const quarantined = pluginRecord(A, {
			state: 'quarantined',
			quarantinePath: join(world.dataDir, 'quarantine', 'x'),
		});
		assert.equal(world.files.pathOf(quarantined), join(world.dataDir, 'quarantine', 'x'));
	});

	it('removes staging only inside the staging folder', async () => {
		const { plugins, outside } = layout();
		const files = createPluginFiles({
			pluginsDir: plugins,
			dataDir: outside,
			now: () => FIXED_NOW,
		});
		for (const path of [
			join(plugins, 'good_plugin'),
			join(plugins, STAGING_DIR),
			join(plugins, STAGING_DIR, '..', 'good_plugin'),
			outside,
		]) {
			await rejectsWithCode(files.removeStaging(path), 'UNSAFE_PATH');
		}
		assert.ok(existsSync(join(plugins, 'good_plugin', 'a.py')));
		assert.ok(existsSync(join(outside, 'precious.txt')));
	});
});

describe('removeLeftovers', () => {
	function aged(path: string, ageMs: number): void {
		const at = new Date(FIXED_NOW.getTime() - ageMs);
		utimesSync(path, at, at);
	}

	it('removes every backup copy and only staging directories older than the threshold', async () => {
		const world = storeWorld();
		const staging = join(world.pluginsDir, STAGING_DIR);
		const backups = join(world.pluginsDir, BACKUP_DIR);
		writeTree(join(staging, 'old-clone'), { 'x.py': 'x' });
		writeTree(join(staging, 'young-clone'), { 'y.py': 'y' });
		writeTree(join(staging, 'just-over'), { 'z.py': 'z' });
		writeTree(join(backups, 'plugin_a-1234'), { 'a.py': 'a' });
		writeTree(join(backups, 'plugin_b-5678'), { 'b.py': 'b' });
		writeTree(join(world.pluginsDir, 'installed_plugin'), { 'i.py': 'i' });
		aged(join(staging, 'old-clone'), 3 * 60 * 60 * 1000);
		aged(join(staging, 'young-clone'), 10 * 60 * 1000);
		aged(join(staging, 'just-over'), 60 * 60 * 1000 + 1000);
		// Even a fresh backup goes: after recovery no journal refers to it.
		aged(join(backups, 'plugin_a-1234'), 0);
		const removed = await world.store.transaction(() => world.files.removeLeftovers());
		assert.deepEqual(
			removed.sort(),
			[
				join(STAGING_DIR, 'just-over'),
				join(STAGING_DIR, 'old-clone'),
				join(BACKUP_DIR, 'plugin_a-1234'),
				join(BACKUP_DIR, 'plugin_b-5678'),
			].sort(),
		);
		assert.deepEqual(entries(staging), ['young-clone']);
		assert.deepEqual(entries(backups), []);
		assert.deepEqual(readTree(join(world.pluginsDir, 'installed_plugin')), { 'i.py': 'i' });
	});

	it('uses the threshold it is given, and copes with no leftover folders at all', async () => {
		const world = storeWorld();
		assert.deepEqual(await world.files.removeLeftovers(), []);
		const staging = join(world.pluginsDir, STAGING_DIR);
		writeTree(join(staging, 'ten-minutes'), { 'x.py': 'x' });
		aged(join(staging, 'ten-minutes'), 10 * 60 * 1000);
		assert.deepEqual(await world.files.removeLeftovers(11 * 60 * 1000), []);
		assert.deepEqual(await world.files.removeLeftovers(9 * 60 * 1000), [
			join(STAGING_DIR, 'ten-minutes'),
		]);
	});

	it('removes a symlink left in staging without following it', async () => {
		const world = storeWorld();
		const outside = makeTempDir('vouch-outside-');
		writeFileSync(join(outside, 'keep.txt'), 'keep');
		mkdirSync(join(world.pluginsDir, STAGING_DIR));
		const link = join(world.pluginsDir, STAGING_DIR, 'link');
		symlinkSync(outside, link);
		const at = new Date(FIXED_NOW.getTime() - 2 * 60 * 60 * 1000);
		// lutimes: age the link itself, not its target.
		lutimesSync(link, at, at);
		assert.deepEqual(await world.files.removeLeftovers(), [join(STAGING_DIR, 'link')]);
		assert.deepEqual(readTree(outside), { 'keep.txt': 'keep' });
	});
});

describe('place, remove and quarantine', () => {
	it('installs, replaces and removes a plugin, leaving nothing behind', async () => {
		const world = storeWorld();
		const record = pluginRecord(A);
		const target = join(world.pluginsDir, record.directory);
		const install = async (files: Record<string, string>, enabled: boolean) => {
			const staged = await world.files.createStaging();
			writeTree(staged, files);
			const placed = await withDigestOf(record, staged);
			await world.store.transaction(async (state, tx) => {
				await world.files.place(state, tx, { staged, record: placed, enabled });
				state.plugins[A] = placed;
				state.enabled = state.enabled.filter((uuid) => uuid !== A);
				if (enabled) state.enabled.push(A);
			});
			return placed;
		};
		await install({ 'v.txt': '1' }, true);
		assert.deepEqual(readTree(target), { 'v.txt': '1' });
		assertNoLeftovers(world);
		const second = await install({ 'v.txt': '2', 'new.txt': 'n' }, false);
		assert.deepEqual(readTree(target), { 'new.txt': 'n', 'v.txt': '2' });
		assert.deepEqual(await world.store.read(), {
			version: 1,
			plugins: { [A]: second },
			enabled: [],
		});
		assertNoLeftovers(world);
		await world.store.transaction(async (state, tx) => {
			await world.files.remove(tx, second);
			// The files stay until the state no longer lists the plugin.
			assert.ok(existsSync(target));
			delete state.plugins[A];
		});
		assert.equal(existsSync(target), false);
		assertNoLeftovers(world);
	});

	it('keeps files when a removal is abandoned', async () => {
		const world = storeWorld();
		const record = pluginRecord(A);
		writeTree(join(world.pluginsDir, record.directory), { 'keep.py': 'k' });
		await world.store.transaction(async (state) => {
			state.plugins[A] = record;
		});
		await assert.rejects(
			world.store.transaction(async (state, tx) => {
				await world.files.remove(tx, record);
				delete state.plugins[A];
				throw new Error('changed my mind');
			}),
		);
		// The journal stays for recovery, which finds the plugin still recorded there.
		const actions = await world.store.recover();
		assert.deepEqual(
			actions.map(({ outcome, uuid }) => ({ outcome, uuid })),
			[{ outcome: 'rolled back', uuid: A }],
		);
		assert.deepEqual(readTree(join(world.pluginsDir, record.directory)), { 'keep.py': 'k' });
		assert.deepEqual((await world.store.read()).plugins[A], record);
		assertNoLeftovers(world);
	});

	it('quarantines a plugin: files moved under the data directory, kept, and disabled', async () => {
		const world = storeWorld();
		const record = pluginRecord(A);
		const other = pluginRecord(B);
		writeTree(join(world.pluginsDir, record.directory), { 'bad.py': 'evil()' });
		await world.store.transaction(async (state) => {
			state.plugins[A] = record;
			state.plugins[B] = other;
			state.enabled.push(A, B);
		});
		const path = await world.store.transaction((state, tx) =>
			world.files.quarantine(state, tx, record),
		);
		assert.ok(path.startsWith(join(world.dataDir, 'quarantine')));
		assert.deepEqual(readTree(path), { 'bad.py': 'evil()' });
		assert.equal(existsSync(join(world.pluginsDir, record.directory)), false);
		const state = await world.store.read();
		assert.equal(state.plugins[A]?.state, 'quarantined');
		assert.equal(state.plugins[A]?.quarantinePath, path);
		assert.deepEqual(state.enabled, [B]);
		assert.equal(world.files.pathOf(state.plugins[A] ?? record), path);
		assertNoLeftovers(world);
	});
});
