/** What the web pages need, passed in by the app factory (no module singletons). */
import type { Accounts } from '../admin/accounts.ts';
import type { ServiceDb } from '../db/open.ts';
import type { RegistryStore } from '../store/registry-store.ts';

export interface WebDeps {
	database: ServiceDb;
	store: RegistryStore;
	accounts: Accounts;
	clock: () => Date;
	/** Publishes right after an admin edit, so clients see it without waiting for the next round. */
	publisher?: { publishNow(): Promise<unknown> };
	/** The command shown on plugin pages; `vouch install <id>` by default. */
	installCommand?: (id: string) => string;
}
