/**
 * Opens the service's database: SQLite in a data directory by default, or PostgreSQL when given
 * a `postgres://` URL. Both go through the same Kysely schema, and both are migrated to the
 * latest version on open; a database migrated by a newer service is refused rather than used.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { serverError } from '../errors.ts';
import type { EngineKind } from './engine-kind.ts';
import { migrationsFor } from './migrations.ts';
import type { ServiceDatabase } from './schema.ts';

export interface DatabaseOptions {
	/** `postgres://…` or `postgresql://…`; SQLite in `dataDir` when absent. */
	url?: string;
	/** Where SQLite keeps `registry.sqlite3`. Required without a URL. */
	dataDir?: string;
	/** PostgreSQL pool size. */
	poolSize?: number;
}

export interface ServiceDb {
	db: Kysely<ServiceDatabase>;
	engine: EngineKind;
	/** Where the data lives, with any password removed, for messages. */
	label: string;
	close(): Promise<void>;
}

export const SQLITE_FILE = 'registry.sqlite3';

export async function openServiceDb(options: DatabaseOptions): Promise<ServiceDb> {
	const opened =
		options.url === undefined ? await openSqlite(options) : openPostgres(options.url, options);
	try {
		await migrate(opened);
	} catch (error) {
		await opened.close();
		throw error;
	}
	return opened;
}

async function openSqlite(options: DatabaseOptions): Promise<ServiceDb> {
	if (options.dataDir === undefined) {
		throw serverError('DATABASE_CONFIG', 'No database URL and no data directory were given.', {
			hint: 'Pass --data-dir <dir> for SQLite, or --database postgres://… for PostgreSQL.',
		});
	}
	await mkdir(options.dataDir, { recursive: true });
	const file = join(options.dataDir, SQLITE_FILE);
	let sqlite: SqliteDatabase.Database;
	try {
		sqlite = new SqliteDatabase(file);
	} catch (cause) {
		throw serverError('DATABASE_CONFIG', `Cannot open the SQLite database ${file}.`, { cause });
	}
	// WAL lets pages read while an edit or a publish writes; a writer waits for another rather
	// than failing at once.
	sqlite.pragma('journal_mode = WAL');
	sqlite.pragma('busy_timeout = 5000');
	sqlite.pragma('foreign_keys = ON');
	const db = new Kysely<ServiceDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
	return { db, engine: 'sqlite', label: file, close: () => db.destroy() };
}

function openPostgres(url: string, options: DatabaseOptions): ServiceDb {
	if (!/^postgres(ql)?:\/\//.test(url)) {
		throw serverError(
			'DATABASE_CONFIG',
			'The database URL must start with postgres:// or postgresql://.',
			{
				hint: 'Leave --database out to use SQLite in the data directory.',
			},
		);
	}
	const pool = new pg.Pool({
		connectionString: url,
		max: options.poolSize ?? 10,
		connectionTimeoutMillis: 10_000,
		// A query that hangs must not hold a request (or the publisher lease) forever.
		statement_timeout: 30_000,
	});
	// An idle client that the server drops must not crash the process.
	pool.on('error', () => {});
	const db = new Kysely<ServiceDatabase>({ dialect: new PostgresDialect({ pool }) });
	return { db, engine: 'postgres', label: redactUrl(url), close: () => db.destroy() };
}

function redactUrl(url: string): string {
	try {
		const parsed = new URL(url);
		if (parsed.password !== '') parsed.password = '***';
		return parsed.toString();
	} catch {
		return 'postgres://…';
	}
}

async function migrate(opened: ServiceDb): Promise<void> {
	const migrations = migrationsFor(opened.engine);
	const migrator = new Migrator({
		db: opened.db,
		provider: { getMigrations: async () => migrations },
	});
	const { error } = await migrator.migrateToLatest();
	if (error !== undefined) {
		const known = new Set(Object.keys(migrations));
		const applied = await migrator.getMigrations().catch(() => []);
		const unknown = applied.filter((m) => m.executedAt !== undefined && !known.has(m.name));
		if (unknown.length > 0 || /corrupted migrations/i.test(String(error))) {
			throw serverError(
				'DATABASE_TOO_NEW',
				`The database at ${opened.label} was migrated by a newer service.`,
				{
					hint: 'Run the newer service, or point this one at another database.',
					cause: error,
				},
			);
		}
		throw serverError('DATABASE_ERROR', `Migrating the database at ${opened.label} failed.`, {
			cause: error,
		});
	}
}
