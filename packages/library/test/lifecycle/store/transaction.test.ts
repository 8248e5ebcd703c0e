/**
 * The state file and its transactions: atomic writes, nothing written when the work fails or
 * the draft is invalid, `afterCommit` only after the write, the previous file kept as `.bak`,
 * and a damaged file refused and never overwritten.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
	closeSync,
	existsSync,
	mkdirSync,
	openSync,
	readFileSync,
	statSync,
	writeFileSync,
	writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
	emptyState,
	MAX_STATE_BYTES,
	type StoreState,
} from '../../../src/lifecycle/store/index.ts';
import {
	assertNoLeftovers,
	entries,
	pluginRecord,
	readTree,
	rejectsWithCode,
	storeWorld,
	withDigestOf,
	writeTree,
} from './helpers.ts';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

function readJson(path: string): StoreState {
	return JSON.parse(readFileSync(path, 'utf8')) as StoreState;
}

describe('store transactions', () => {
	it('reads an absent state as empty and creates the file on the first transaction', async () => {
		const world = storeWorld();
		assert.deepEqual(await world.store.read(), emptyState());
		assert.equal(existsSync(world.statePath), false);
		const result = await world.store.transaction(async (state) => {
			state.plugins[A] = pluginRecord(A);
			state.enabled.push(A);
			return 'ok';
		});
		assert.equal(result, 'ok');
		assert.deepEqual(readJson(world.statePath).enabled, [A]);
		assert.deepEqual(await world.store.read(), readJson(world.statePath));
		// Nothing else may read it: it lists every plugin and its consent.
		assert.equal(statSync(world.statePath).mode & 0o077, 0);
		assert.equal(existsSync(`${world.statePath}.bak`), false);
		assertNoLeftovers(world);
	});

	it('replaces the file by rename, so an open reader keeps a complete old copy', async () => {
		const world = storeWorld();
		await world.store.transaction(async (state) => {
			state.plugins[A] = pluginRecord(A);
		});
		const before = readFileSync(world.statePath);
		const inode = statSync(world.statePath).ino;
		await world.store.transaction(async (state) => {
			state.plugins[B] = pluginRecord(B);
		});
		// An in-place rewrite would keep the inode (and could be seen half-written).
		assert.notEqual(statSync(world.statePath).ino, inode);
		assert.deepEqual(readFileSync(`${world.statePath}.bak`), before);
		assert.deepEqual(Object.keys(readJson(world.statePath).plugins).sort(), [A, B]);
	});

	it('keeps the previous file as state.json.bak on every write', async () => {
		const world = storeWorld();
		const versions: Buffer[] = [];
		for (const uuid of [A, B]) {
			await world.store.transaction(async (state) => {
				state.plugins[uuid] = pluginRecord(uuid);
			});
			versions.push(readFileSync(world.statePath));
		}
		await world.store.transaction(async (state) => {
			delete state.plugins[A];
		});
		assert.deepEqual(readFileSync(`${world.statePath}.bak`), versions[1]);
		assert.equal(statSync(`${world.statePath}.bak`).mode & 0o077, 0);
	});

	it('leaves the file untouched when the work fails, and passes its error on', async () => {
		const world = storeWorld();
		await world.store.transaction(async (state) => {
			state.plugins[A] = pluginRecord(A);
		});
		await world.store.transaction(async () => undefined);
		const state = readFileSync(world.statePath);
		const backup = readFileSync(`${world.statePath}.bak`);
		const failure = new Error('work failed');
		let stepRan = false;
		await assert.rejects(
			world.store.transaction(async (draft, tx) => {
				tx.afterCommit(async () => {
					stepRan = true;
				});
				draft.plugins[B] = pluginRecord(B);
				delete draft.plugins[A];
				throw failure;
			}),
			(error) => error === failure,
		);
		assert.deepEqual(readFileSync(world.statePath), state);
		assert.deepEqual(readFileSync(`${world.statePath}.bak`), backup);
		assert.equal(stepRan, false);
		assertNoLeftovers(world);
		// The failed transaction does not block the next one in the same process.
		await world.store.transaction(async (draft) => {
			draft.enabled.push(A);
		});
		assert.deepEqual(readJson(world.statePath).enabled, [A]);
	});

	it('never writes a draft that breaks the schema, and skips its afterCommit steps', async () => {
		const world = storeWorld();
		await world.store.transaction(async (state) => {
			state.plugins[A] = pluginRecord(A);
		});
		await world.store.transaction(async () => undefined);
		const state = readFileSync(world.statePath);
		const backup = readFileSync(`${world.statePath}.bak`);
		const breakers: ((draft: StoreState) => void)[] = [
			(draft) => {
				(draft as { version: number }).version = 2;
			},
			(draft) => {
				(draft as unknown as Record<string, unknown>).extra = true;
			},
			(draft) => {
				draft.plugins[B] = { ...pluginRecord(B), name: 'x'.repeat(401) };
			},
			(draft) => {
				(draft.plugins[A] as unknown as Record<string, unknown>).state = 'deleted';
			},
			(draft) => {
				draft.enabled.push(42 as unknown as string);
			},
		];
		for (const breakDraft of breakers) {
			let stepRan = false;
			await assert.rejects(
				world.store.transaction(async (draft, tx) => {
					tx.afterCommit(async () => {
						stepRan = true;
					});
					breakDraft(draft);
				}),
			);
			assert.equal(stepRan, false);
			assert.deepEqual(readFileSync(world.statePath), state);
			assert.deepEqual(readFileSync(`${world.statePath}.bak`), backup);
		}
		assertNoLeftovers(world);
	});

	it('runs afterCommit steps in order, after the new state is on disk, then returns', async () => {
		const world = storeWorld();
		const seen: string[] = [];
		const result = await world.store.transaction(async (state, tx) => {
			tx.afterCommit(async () => {
				seen.push(`first:${Object.keys(readJson(world.statePath).plugins).join()}`);
			});
			tx.afterCommit(async () => {
				seen.push('second');
			});
			state.plugins[A] = pluginRecord(A);
			seen.push('work');
			return 7;
		});
		assert.equal(result, 7);
		assert.deepEqual(seen, ['work', `first:${A}`, 'second']);
	});

	it('keeps the committed state when an afterCommit step fails', async () => {
		const world = storeWorld();
		await assert.rejects(
			world.store.transaction(async (state, tx) => {
				tx.afterCommit(async () => {
					throw new Error('cleanup failed');
				});
				state.plugins[A] = pluginRecord(A);
			}),
			/cleanup failed/,
		);
		assert.deepEqual(Object.keys(readJson(world.statePath).plugins), [A]);
	});

	it('queues the transactions of one process: none is lost', async () => {
		const world = storeWorld();
		const uuids = Array.from({ length: 30 }, (_, i) => `uuid-${i}`);
		await Promise.all(
			uuids.map((uuid) =>
				world.store.transaction(async (state) => {
					// A yield between read and write, where a lost update would happen.
					await new Promise((done) => setImmediate(done));
					state.plugins[uuid] = pluginRecord(uuid);
					state.enabled.push(uuid);
				}),
			),
		);
		const state = await world.store.read();
		assert.deepEqual(Object.keys(state.plugins).sort(), [...uuids].sort());
		assert.deepEqual([...state.enabled].sort(), [...uuids].sort());
	});

	it('undoes a place when the work fails afterwards: old files and state stay', async () => {
		const world = storeWorld();
		const oldDir = join(world.pluginsDir, pluginRecord(A).directory);
		writeTree(oldDir, { 'MANIFEST.toml': 'old', 'code.py': 'print("old")' });
		const oldRecord = await withDigestOf(pluginRecord(A), oldDir);
		await world.store.transaction(async (state) => {
			state.plugins[A] = oldRecord;
			state.enabled.push(A);
		});
		const state = readFileSync(world.statePath);
		const failures: [string, (draft: StoreState) => void][] = [
			[
				'work throws',
				() => {
					throw new Error('later step failed');
				},
			],
			[
				'invalid draft',
				(draft) => {
					(draft.plugins[A] as { name: string }).name = 'x'.repeat(401);
				},
			],
		];
		for (const [label, fail] of failures) {
			const staged = await world.files.createStaging();
			writeTree(staged, { 'MANIFEST.toml': 'new', 'added.py': 'print("new")' });
			const newRecord = await withDigestOf(
				{ ...pluginRecord(A), version: '2.0', updatedAt: '2030-02-01T00:00:00.000Z' },
				staged,
			);
			await assert.rejects(
				world.store.transaction(async (draft, tx) => {
					await world.files.place(draft, tx, { staged, record: newRecord, enabled: true });
					draft.plugins[A] = newRecord;
					fail(draft);
				}),
				label,
			);
			assert.deepEqual(readTree(oldDir), { 'MANIFEST.toml': 'old', 'code.py': 'print("old")' });
			assert.deepEqual(readFileSync(world.statePath), state, label);
			assertNoLeftovers(world);
			// Recovery must not finish the change the caller was told had failed.
			assert.deepEqual(await world.store.recover(), []);
			assert.deepEqual((await world.store.read()).plugins[A], oldRecord);
			assert.deepEqual(readTree(oldDir), { 'MANIFEST.toml': 'old', 'code.py': 'print("old")' });
		}
	});
});

describe('a damaged state file', () => {
	const damaged: [string, string | Buffer][] = [
		['not JSON', '{"version": 1, "plugins": {'],
		['binary', Buffer.from([0xff, 0xfe, 0x00, 0x01])],
		['empty', ''],
		['JSON null', 'null'],
		['an array', '[]'],
		['a newer version', JSON.stringify({ version: 2, plugins: {}, enabled: [] })],
		['an unknown key', JSON.stringify({ ...emptyState(), note: 'hand edited' })],
		['enabled not a list', JSON.stringify({ version: 1, plugins: {}, enabled: 'all' })],
		[
			'a record missing fields',
			JSON.stringify({ version: 1, plugins: { [A]: { uuid: A, name: 'x' } }, enabled: [A] }),
		],
		[
			'an overlong field',
			JSON.stringify({
				version: 1,
				plugins: { [A]: { ...pluginRecord(A), name: 'n'.repeat(401) } },
				enabled: [],
			}),
		],
	];
	for (const [label, content] of damaged) {
		it(`refuses ${label} with STATE_CORRUPT and never overwrites it`, async () => {
			const world = storeWorld();
			mkdirSync(world.dataDir, { recursive: true });
			writeFileSync(world.statePath, content);
			const bytes = readFileSync(world.statePath);
			await rejectsWithCode(world.store.read(), 'STATE_CORRUPT');
			let workRan = false;
			await rejectsWithCode(
				world.store.transaction(async (state) => {
					workRan = true;
					state.plugins[B] = pluginRecord(B);
				}),
				'STATE_CORRUPT',
			);
			await rejectsWithCode(world.store.recover(), 'STATE_CORRUPT');
			assert.equal(workRan, false);
			assert.deepEqual(readFileSync(world.statePath), bytes);
			assert.equal(existsSync(`${world.statePath}.bak`), false);
			assertNoLeftovers(world);
		});
	}

	it('refuses a file over MAX_STATE_BYTES with STATE_TOO_LARGE and leaves it as it is', async () => {
		const world = storeWorld();
		mkdirSync(world.dataDir, { recursive: true });
		// Valid JSON that is too large: the size alone decides.
		const fd = openSync(world.statePath, 'w');
		writeSync(fd, '{"version":1,"plugins":{},"enabled":[]}');
		writeSync(fd, ' '.repeat(64 * 1024), MAX_STATE_BYTES);
		closeSync(fd);
		const size = statSync(world.statePath).size;
		assert.ok(size > MAX_STATE_BYTES);
		const head = readFileSync(world.statePath).subarray(0, 64);
		await rejectsWithCode(world.store.read(), 'STATE_TOO_LARGE');
		await rejectsWithCode(
			world.store.transaction(async () => undefined),
			'STATE_TOO_LARGE',
		);
		assert.equal(statSync(world.statePath).size, size);
		assert.deepEqual(readFileSync(world.statePath).subarray(0, 64), head);
		assert.deepEqual(entries(world.dataDir), ['state.json']);
	});

	it('does not settle pending journals on top of a damaged state', async () => {
		const world = storeWorld();
		const dir = join(world.pluginsDir, pluginRecord(A).directory);
		writeTree(dir, { 'MANIFEST.toml': 'x' });
		await world.store.transaction(async (state) => {
			state.plugins[A] = pluginRecord(A);
		});
		await world.store
			.transaction(async (state, tx) => {
				await world.files.remove(tx, pluginRecord(A));
				delete state.plugins[A];
				// Leave the removal pending, as a crash after the journal would.
				throw new Error('stop');
			})
			.catch(() => undefined);
		const journals = entries(join(world.dataDir, 'journal'));
		assert.equal(journals.length, 1);
		writeFileSync(world.statePath, '{ damaged');
		await rejectsWithCode(world.store.recover(), 'STATE_CORRUPT');
		assert.deepEqual(entries(join(world.dataDir, 'journal')), journals);
		assert.deepEqual(readTree(dir), { 'MANIFEST.toml': 'x' });
	});

	it('refuses a FIFO in place of the state file without hanging', async () => {
		const world = storeWorld();
		mkdirSync(world.dataDir, { recursive: true });
		execFileSync('mkfifo', [world.statePath]);
		await assert.rejects(world.store.read());
		await assert.rejects(world.store.transaction(async () => undefined));
		assert.ok(statSync(world.statePath).isFIFO());
	});
});
