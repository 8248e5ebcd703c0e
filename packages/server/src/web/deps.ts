/** What the web pages need, passed in by the app factory (no module singletons). */
import type { Accounts } from '../admin/accounts.ts';
import type { ServiceDb } from '../db/open.ts';
import type { IncidentService } from '../incidents/types.ts';
import type { UptakeCounter } from '../incidents/uptake.ts';
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
	/** Reports, incidents and appeals; without it the report and appeal forms are not offered. */
	incidents?: IncidentService;
	/** The timestamp fetches the signed-files route counted, for the metrics page. */
	uptake?: UptakeCounter;
	/** The site's public origin, for links in the feed (`https://registry.example`); the request's origin otherwise. */
	publicBaseUrl?: string;
	/** Believe the last `X-Forwarded-For` entry for the reporter's address (one trusted proxy in front). */
	trustProxy?: boolean;
}
