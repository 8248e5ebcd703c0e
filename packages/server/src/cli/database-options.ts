/** `--data-dir` and `--database`, shared by every command that opens the service's database. */
import { resolve } from 'node:path';
import { Option } from 'commander';
import type { DatabaseOptions } from '../db/open.ts';
import type { ServerCliIO } from './io.ts';

export const DATA_DIR_VARIABLE = 'VOUCH_SERVER_DATA_DIR';
export const DATABASE_URL_VARIABLE = 'VOUCH_SERVER_DATABASE_URL';
export const DEFAULT_DATA_DIR = 'vouch-server-data';

export interface DatabaseFlags {
	dataDir?: string;
	database?: string;
}

export function databaseOptions(): Option[] {
	return [
		new Option(
			'--data-dir <dir>',
			`SQLite's directory (default ./${DEFAULT_DATA_DIR}, or $${DATA_DIR_VARIABLE})`,
		),
		new Option(
			'--database <url>',
			`a postgres:// URL instead of SQLite (or $${DATABASE_URL_VARIABLE})`,
		),
	];
}

export function resolveDatabase(
	flags: DatabaseFlags,
	io: ServerCliIO,
): DatabaseOptions & { dataDir: string } {
	const dataDir = resolve(io.cwd, flags.dataDir ?? io.env[DATA_DIR_VARIABLE] ?? DEFAULT_DATA_DIR);
	const url = flags.database ?? io.env[DATABASE_URL_VARIABLE];
	return url === undefined || url === '' ? { dataDir } : { dataDir, url };
}
