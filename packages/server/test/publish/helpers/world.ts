/**
 * One publisher test world: a database (either engine), a key set made by `initKeys`, and a
 * clock that runs with real time plus an offset the test moves. The TUF client checks expiry
 * against the real time, so what is signed must be signed near it; moving the offset is how a
 * test lets a lease expire or a timestamp near its end, on any date.
 */
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { initKeys } from '@vouch/library/internal/tuf/repository/init-keys';
import { openServiceDb, type ServiceDb } from '../../../src/db/open.ts';
import type { EngineFixture } from '../../engines.ts';

export interface MovableClock {
	now: () => Date;
	advance(ms: number): void;
}

export function movableClock(): MovableClock {
	let offset = 0;
	return {
		now: () => new Date(Date.now() + offset),
		advance: (ms) => {
			offset += ms;
		},
	};
}

/** A full development key set (root keys included, as `initKeys` makes it). */
export async function makeKeys(dir: string): Promise<string> {
	const keysDir = join(dir, 'keys');
	await initKeys({ dir: keysDir, rootKeys: 1, rootThreshold: 1 });
	return keysDir;
}

/** The online part of a key set: everything but the root keys, which stay offline. */
export async function onlineKeys(keysDir: string, dir: string): Promise<string> {
	const online = join(dir, 'online-keys');
	await mkdir(online, { mode: 0o700 });
	for (const name of await readdir(keysDir)) {
		if (name.startsWith('root-')) continue;
		await copyFile(join(keysDir, name), join(online, name));
	}
	return online;
}

/** Opens `count` separate connections (pools) to the fixture's database. */
export async function openMany(fixture: EngineFixture, count: number): Promise<ServiceDb[]> {
	const opened: ServiceDb[] = [];
	for (let i = 0; i < count; i++) opened.push(await openServiceDb(fixture.options));
	return opened;
}
