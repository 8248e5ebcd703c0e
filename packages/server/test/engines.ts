/**
 * Runs a test body once per database engine: SQLite in a fresh temp directory, and PostgreSQL
 * in a fresh database of the throwaway cluster `scripts/test.sh` starts (its URL is in
 * VOUCH_TEST_DATABASE_URL). Without that variable the PostgreSQL run is skipped, saying why.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import pg from 'pg';
import type { DatabaseOptions } from '../src/db/open.ts';

export type EngineName = 'sqlite' | 'postgres';

export interface EngineFixture {
	engine: EngineName;
	options: DatabaseOptions;
	/** A scratch directory that is removed afterwards. */
	dir: string;
}

export const POSTGRES_URL_VARIABLE = 'VOUCH_TEST_DATABASE_URL';

export function postgresSkipReason(): string | undefined {
	return process.env[POSTGRES_URL_VARIABLE] === undefined
		? `${POSTGRES_URL_VARIABLE} is not set (scripts/test.sh sets it when PostgreSQL is installed)`
		: undefined;
}

/** A new, empty database on the test cluster; dropped by the returned function. */
export async function freshPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
	const base = process.env[POSTGRES_URL_VARIABLE];
	if (base === undefined) throw new Error(`${POSTGRES_URL_VARIABLE} is not set`);
	const name = `vouch_${randomBytes(6).toString('hex')}`;
	const admin = new pg.Client({ connectionString: base });
	await admin.connect();
	try {
		await admin.query(`CREATE DATABASE ${name}`);
	} finally {
		await admin.end();
	}
	const url = new URL(base);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		drop: async () => {
			const client = new pg.Client({ connectionString: base });
			await client.connect();
			try {
				await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			} finally {
				await client.end();
			}
		},
	};
}

/** Declares `body` as one subtest per engine of the suite under `t`. */
export async function forEachEngine(
	t: TestContext,
	body: (fixture: EngineFixture, t: TestContext) => Promise<void>,
): Promise<void> {
	for (const engine of ['sqlite', 'postgres'] as const) {
		const skip = engine === 'postgres' ? postgresSkipReason() : undefined;
		await t.test(engine, skip === undefined ? {} : { skip }, async (st) => {
			const dir = await mkdtemp(join(tmpdir(), `vouch-server-${engine}-`));
			const pgDb = engine === 'postgres' ? await freshPostgresDatabase() : undefined;
			try {
				const options: DatabaseOptions =
					pgDb === undefined ? { dataDir: join(dir, 'data') } : { url: pgDb.url, poolSize: 4 };
				await body({ engine, options, dir }, st);
			} finally {
				await pgDb?.drop();
				await rm(dir, { recursive: true, force: true });
			}
		});
	}
}
