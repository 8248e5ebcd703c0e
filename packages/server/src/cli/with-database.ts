/** Opens the database for one command and closes it whatever happens. */
import { createAccounts } from '../admin/accounts.ts';
import { openServiceDb, type ServiceDb } from '../db/open.ts';
import { createRegistryStore, type RegistryStore } from '../store/registry-store.ts';
import { type DatabaseFlags, resolveDatabase } from './database-options.ts';
import type { ServerCliIO } from './io.ts';

export interface OpenedService {
	database: ServiceDb;
	store: RegistryStore;
	accounts: ReturnType<typeof createAccounts>;
}

export async function withDatabase<T>(
	flags: DatabaseFlags,
	io: ServerCliIO,
	clock: () => Date,
	body: (opened: OpenedService) => Promise<T>,
): Promise<T> {
	const database = await openServiceDb(resolveDatabase(flags, io));
	try {
		return await body({
			database,
			store: createRegistryStore({ database, clock }),
			accounts: createAccounts({ db: database.db, clock }),
		});
	} finally {
		await database.close();
	}
}
