/**
 * A service app on a fresh database of one engine, holding Picard's real registry, with an
 * admin and a maintainer account and their tokens. `request()` drives the app in-process, as
 * if from the socket address given (the rate limit keys on it).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { type Accounts, createAccounts } from '../../src/admin/accounts.ts';
import { type DatabaseOptions, openServiceDb, type ServiceDb } from '../../src/db/open.ts';
import type { Publisher } from '../../src/http/admin-edits.ts';
import { type AppLimits, createApp } from '../../src/http/app.ts';
import { createRegistryStore, type RegistryStore } from '../../src/store/registry-store.ts';

export const REAL_REGISTRY = await readFile(
	join(import.meta.dirname, '../../../library/test/fixtures/registries/picard-plugins.toml'),
	'utf8',
);

export const FIXED_NOW = new Date('2026-06-01T12:00:00Z');

export interface TestService {
	app: Hono;
	database: ServiceDb;
	store: RegistryStore;
	accounts: Accounts;
	adminToken: string;
	maintainerToken: string;
	request(path: string, init?: RequestInit & { from?: string }): Promise<Response>;
	/** A JSON request with a bearer token. */
	send(method: string, path: string, token: string | undefined, body?: unknown): Promise<Response>;
	close(): Promise<void>;
}

export interface TestServiceOptions {
	limits?: AppLimits;
	publisher?: Publisher;
	clock?: () => Date;
	/** Import the real registry first. Default true. */
	imported?: boolean;
	web?: Hono;
	log?: (line: string) => void;
}

export async function testService(
	options: DatabaseOptions,
	extra: TestServiceOptions = {},
): Promise<TestService> {
	const clock = extra.clock ?? (() => FIXED_NOW);
	const database = await openServiceDb(options);
	const store = createRegistryStore({ database, clock });
	const accounts = createAccounts({ db: database.db, clock });
	if (extra.imported !== false) {
		await store.importText(REAL_REGISTRY, { name: 'setup', role: 'admin' }, 'first import');
	}
	const admin = await accounts.create('root', 'admin');
	const maintainer = await accounts.create('mia', 'maintainer');
	const adminToken = await accounts.issueToken(admin, 'test');
	const maintainerToken = await accounts.issueToken(maintainer, 'test');
	const app = createApp({
		database,
		store,
		accounts,
		clock,
		limits: extra.limits ?? { rateLimit: false },
		...(extra.publisher === undefined ? {} : { publisher: extra.publisher }),
		...(extra.web === undefined ? {} : { web: extra.web }),
		...(extra.log === undefined ? {} : { log: extra.log }),
	});
	async function request(path: string, init: RequestInit & { from?: string } = {}) {
		const { from, ...rest } = init;
		return app.request(path, rest, {
			incoming: { socket: { remoteAddress: from ?? '127.0.0.1' } },
		});
	}
	return {
		app,
		database,
		store,
		accounts,
		adminToken,
		maintainerToken,
		request,
		send(method, path, token, body) {
			const headers: Record<string, string> = {};
			if (token !== undefined) headers.authorization = `Bearer ${token}`;
			if (body !== undefined) headers['content-type'] = 'application/json';
			return request(path, {
				method,
				headers,
				...(body === undefined ? {} : { body: JSON.stringify(body) }),
			});
		},
		close: () => database.close(),
	};
}

export async function errorCode(response: Response): Promise<string | undefined> {
	const body = (await response.json()) as { error?: { code?: string } };
	return body.error?.code;
}

/** A JSON document read back in a test; the assertions themselves check its shape. */
// biome-ignore lint/suspicious/noExplicitAny: a test reads fields of a document it then asserts on
export type JsonDocument = Record<string, any>;
