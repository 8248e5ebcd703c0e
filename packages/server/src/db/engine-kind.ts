/** The two engines the service runs on, and the few column types that are spelled differently. */
import type { ColumnDataType } from 'kysely';

export type EngineKind = 'sqlite' | 'postgres';

/** Bytes: SQLite's BLOB, PostgreSQL's BYTEA. */
export function binaryType(engine: EngineKind): ColumnDataType {
	return engine === 'sqlite' ? 'blob' : 'bytea';
}

/** A generated integer key: SQLite's INTEGER PRIMARY KEY AUTOINCREMENT, PostgreSQL's SERIAL. */
export function serialType(engine: EngineKind): ColumnDataType {
	return engine === 'sqlite' ? 'integer' : 'serial';
}
