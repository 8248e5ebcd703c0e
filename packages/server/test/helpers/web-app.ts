/**
 * A registry service with only the web pages, for tests and screenshots: a database (SQLite or
 * PostgreSQL), the store with a registry imported, accounts, and `webRoutes` behind the security headers the
 * real app sends. `listen()` serves it on a real socket on 127.0.0.1.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createAccounts } from '../../src/admin/accounts.ts';
import { hashPassword } from '../../src/admin/secrets.ts';
import { type DatabaseOptions, openServiceDb, type ServiceDb } from '../../src/db/open.ts';
import { handleError } from '../../src/http/error-handler.ts';
import { incidentExports } from '../../src/http/incident-exports.ts';
import { securityHeaders } from '../../src/http/security-headers.ts';
import { createIncidentService } from '../../src/incidents/service.ts';
import type { IncidentService } from '../../src/incidents/types.ts';
import { createUptakeCounter, type UptakeCounter } from '../../src/incidents/uptake.ts';
import type { Actor } from '../../src/store/actor.ts';
import { createRegistryStore, type RegistryStore } from '../../src/store/registry-store.ts';
import { webRoutes } from '../../src/web/index.ts';

export const PASSWORD = 'correct horse battery staple';
export const IMPORTER: Actor = { name: 'importer', role: 'admin' };

/**
 * The scrypt hash of PASSWORD, made once per test process and given to every account of every
 * fixture. Signing in still checks the password against a real scrypt hash; only the hashing at
 * creation is shared, which is deliberately costly (about 0.1 s of CPU each) and which the
 * accounts' own tests check. Four accounts per fixture, per engine, per test added up.
 */
let passwordHash: Promise<string> | undefined;

export interface WebFixture {
	database: ServiceDb;
	store: RegistryStore;
	accounts: ReturnType<typeof createAccounts>;
	/** The real incident service over the same database and clock. */
	incidents: IncidentService;
	uptake: UptakeCounter;
	app: Hono;
	/** The test's clock: move it with `clock.now = …`. */
	clock: { now: Date };
	publishes: number;
	close(): Promise<void>;
}

export async function webFixture(
	options: DatabaseOptions,
	registryText: string,
	start = new Date('2026-06-01T12:00:00Z'),
): Promise<WebFixture> {
	const clockState = { now: start };
	const clock = () => clockState.now;
	const database = await openServiceDb(options);
	const store = createRegistryStore({ database, clock });
	await store.importText(registryText, IMPORTER, 'first import');
	const accounts = createAccounts({ db: database.db, clock });
	passwordHash ??= hashPassword(PASSWORD);
	const hash = await passwordHash;
	const withPassword = async (name: string, role: 'maintainer' | 'admin') => {
		const account = await accounts.create(name, role);
		await database.db
			.updateTable('accounts')
			.set({ password_hash: hash })
			.where('id', '=', account.id)
			.execute();
	};
	await withPassword('alice', 'maintainer');
	await withPassword('root', 'admin');
	await withPassword('bob', 'maintainer');
	// A third maintainer, for an appeal: neither of those who blocked may decide it.
	await withPassword('carol', 'maintainer');
	const incidents = createIncidentService({
		db: database,
		clock,
		store,
		publicBaseUrl: 'http://127.0.0.1',
		clientKeySecret: 'a test secret',
	});
	const uptake = createUptakeCounter();
	const fixture: WebFixture = {
		database,
		store,
		accounts,
		incidents,
		uptake,
		clock: clockState,
		publishes: 0,
		app: new Hono(),
		close: () => database.close(),
	};
	// Every header the service sends: what a browser does with a page depends on them (the
	// referrer policy decides the `Origin` a form post carries).
	fixture.app.use('*', securityHeaders());
	fixture.app.route('/api/v1', incidentExports({ database, clock, uptake }));
	fixture.app.onError(handleError(undefined));
	fixture.app.route(
		'/',
		webRoutes({
			database,
			store,
			accounts,
			clock,
			incidents,
			uptake,
			publisher: {
				publishNow: async () => {
					fixture.publishes++;
				},
			},
		}),
	);
	return fixture;
}

/** Serves the app on 127.0.0.1 on a free port. */
export async function listen(app: Hono): Promise<{ origin: string; close(): Promise<void> }> {
	const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>(
		(resolve) => {
			const server = serve(
				{ fetch: app.fetch, hostname: '127.0.0.1', port: 0 },
				(info: AddressInfo) => resolve({ server, port: info.port }),
			);
		},
	);
	return {
		origin: `http://127.0.0.1:${port}`,
		close: () =>
			new Promise<void>((resolve) => {
				if ('closeAllConnections' in server) server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

/** What must not change when a request is refused: the document's revision and the change count. */
export async function storedState(
	database: ServiceDb,
): Promise<{ revision: number; changes: number }> {
	const document = await database.db
		.selectFrom('registry_document')
		.select('revision')
		.executeTakeFirstOrThrow();
	const changes = await database.db
		.selectFrom('changes')
		.select((eb) => eb.fn.countAll<string | number>().as('n'))
		.executeTakeFirstOrThrow();
	return { revision: document.revision, changes: Number(changes.n) };
}
