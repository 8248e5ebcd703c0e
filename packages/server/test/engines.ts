/**
 * Runs a test body once per database engine: SQLite in a fresh temp directory, and PostgreSQL
 * in a fresh database of the throwaway cluster `scripts/test.sh` starts (its URL is in
 * VOUCH_TEST_DATABASE_URL). Without that variable the PostgreSQL run is skipped, saying why.
 *
 * A fresh PostgreSQL database is a copy of a template that the service's own migrations brought
 * to the latest schema once for the whole run: the state a fresh database has after the
 * service's first open, made with a file copy instead of creating every table of every
 * migration again. That was most of a PostgreSQL test's cost: about two seconds per database on
 * a loaded machine, against a fraction of one. `openServiceDb` still runs the migrator on each
 * copy, which finds it current.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import pg from 'pg';
import { type DatabaseOptions, openServiceDb } from '../src/db/open.ts';

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

function databaseUrl(base: string, name: string): string {
	const url = new URL(base);
	url.pathname = `/${name}`;
	return url.toString();
}

/**
 * The template's name: one per version of the migrations, so a cluster kept between runs never
 * hands out a template of an older schema.
 */
function templateName(): string {
	const migrations = readFileSync(new URL('../src/db/migrations.ts', import.meta.url));
	return `vouch_template_${createHash('sha256').update(migrations).digest('hex').slice(0, 16)}`;
}

/** Lock key under which one test process at a time makes the template. */
const TEMPLATE_LOCK = 0x766f7563;
let template: Promise<string> | undefined;

/**
 * The migrated template, made by the first test process that needs it; the others (the suite
 * runs files in parallel processes) wait on an advisory lock, then find it made.
 */
function migratedTemplate(base: string): Promise<string> {
	template ??= (async () => {
		const name = templateName();
		const admin = new pg.Client({ connectionString: base });
		await admin.connect();
		try {
			await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
			const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
			if (found.rowCount === 0) {
				// A process killed halfway through would leave it partly migrated: each migration is
				// a transaction, and each copy's open migrates the rest, so that costs time, not
				// correctness.
				await admin.query(`CREATE DATABASE ${name}`);
				const migrated = await openServiceDb({ url: databaseUrl(base, name), poolSize: 1 });
				await migrated.close();
			}
		} finally {
			await admin.end();
		}
		return name;
	})();
	return template;
}

/** A new database on the test cluster, migrated and empty; dropped by the returned function. */
export async function freshPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
	const base = process.env[POSTGRES_URL_VARIABLE];
	if (base === undefined) throw new Error(`${POSTGRES_URL_VARIABLE} is not set`);
	const from = await migratedTemplate(base);
	const name = `vouch_${randomBytes(6).toString('hex')}`;
	const admin = new pg.Client({ connectionString: base });
	await admin.connect();
	try {
		await admin.query(`CREATE DATABASE ${name} TEMPLATE ${from}`);
	} finally {
		await admin.end();
	}
	return {
		url: databaseUrl(base, name),
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
