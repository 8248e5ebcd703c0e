/**
 * Runs the registry service: opens the database (SQLite in the data directory, or PostgreSQL),
 * builds the store, accounts and HTTP app, and serves on 127.0.0.1 unless told otherwise.
 * `close()` stops taking connections, lets the publisher finish, then closes the database.
 */

import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener, RequestError } from '@hono/node-server';
import type { UploadPackHttp } from '@vouch/library/internal/git/upload-pack-http';
import type { Hono } from 'hono';
import { type Accounts, createAccounts } from './admin/accounts.ts';
import { openServiceDb, type ServiceDb } from './db/open.ts';
import { serverError } from './errors.ts';
import type { Publisher } from './http/admin-edits.ts';
import { type AppLimits, createApp } from './http/app.ts';
import type { ServiceLog } from './http/error-handler.ts';
import { acceptHotConnections } from './http/hot-connections.ts';
import { createHotFiles, HOT_FILES, withHotFiles } from './http/hot-files.ts';
import { createRateLimiter } from './http/rate-limit.ts';
import { createRepoFileCache } from './http/repo-file-cache.ts';
import { applySecurityHeaders } from './http/security-headers.ts';
import { createIncidentService } from './incidents/service.ts';
import { startSweeping } from './incidents/sweep-timer.ts';
import type { IncidentService } from './incidents/types.ts';
import { createUptakeCounter, type UptakeCounter } from './incidents/uptake.ts';
import { createPublisher } from './publish/index.ts';
import { createRegistryStore, type RegistryStore } from './store/registry-store.ts';
import { webRoutes } from './web/index.ts';

/** What `startService` needs of a publisher: the publish helper's `createPublisher` result. */
export interface ServicePublisher extends Publisher {
	start(): void | Promise<void>;
	stop(): void | Promise<void>;
	waitForRevision(revision: number, options?: { timeoutMs?: number }): Promise<void>;
	/** Called after each publish this process commits; returns the unsubscribe function. */
	onPublished?(listener: () => void): () => void;
}

export interface ServiceOptions {
	/** SQLite's directory (and the service's own files). */
	dataDir?: string;
	/** `postgres://…`: PostgreSQL instead of SQLite. */
	database?: string;
	/** The signing keys; with them (and a publisher factory) the service publishes. */
	keysDir?: string;
	host?: string;
	/** 0 picks a free port. */
	port?: number;
	clock?: () => Date;
	/** Start the publisher when keys are given. Default true. */
	publish?: boolean;
	/**
	 * Builds the publisher for `keysDir`; by default the publish module's `createPublisher`,
	 * holding the database lease so that one process of many publishes.
	 */
	publisher?: (context: {
		database: ServiceDb;
		keysDir: string;
		clock: () => Date;
	}) => ServicePublisher | Promise<ServicePublisher>;
	/**
	 * The web pages, mounted at `/`: the registry's own pages (`web/`) by default; `false` serves
	 * none (an API-only deployment).
	 */
	web?: ((context: WebContext) => Hono) | false;
	/** Plugin repositories served over git's smart HTTP at `/git/` (the demo's). */
	git?: UploadPackHttp;
	/** The install command plugin pages show. */
	installCommand?: (id: string) => string;
	limits?: AppLimits;
	log?: ServiceLog;
	/** How many processes serve this port, for the health check (the workers). Default 1. */
	processes?: () => number;
	/** Called after each publish this process's publisher commits (to tell the other workers). */
	onPublished?: () => void;
	/** Community reports and incidents (D22); `false` serves none. */
	incidents?: IncidentOptions | false;
}

export interface IncidentOptions {
	/** Where users reach the pages (incident links); the listening URL by default. */
	publicBaseUrl?: string;
	/**
	 * Keys the hash of reporters' addresses. Every process of one service must share it for
	 * the spam bounds to hold across them; a random one per process otherwise.
	 */
	clientKeySecret?: string;
	/** How often the automatic quarantines are swept (ms). Default one minute. */
	sweepIntervalMs?: number;
}

interface WebContext {
	database: ServiceDb;
	store: RegistryStore;
	accounts: Accounts;
	clock: () => Date;
	publisher?: ServicePublisher;
	installCommand?: (id: string) => string;
	uptake?: UptakeCounter;
	incidents?: IncidentService;
	publicBaseUrl?: string;
	trustProxy?: boolean;
}

function defaultWeb(context: WebContext): Hono {
	return webRoutes(context) as unknown as Hono;
}

export interface RunningService {
	/** `http://host:port`, no trailing slash. */
	url: string;
	app: Hono;
	store: RegistryStore;
	accounts: Accounts;
	database: ServiceDb;
	publisher?: ServicePublisher;
	/** Re-check the hot signed files at their next read: another process published. */
	expireSignedFiles(): void;
	incidents?: IncidentService;
	close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopbackHost(host: string): boolean {
	return LOOPBACK.has(host) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export async function startService(options: ServiceOptions): Promise<RunningService> {
	const clock = options.clock ?? (() => new Date());
	const host = options.host ?? '127.0.0.1';
	const port = options.port ?? 0;
	if (!Number.isInteger(port) || port < 0 || port > 65_535) {
		throw serverError('INVALID_OPTIONS', `The port ${port} is not a TCP port.`);
	}
	const database = await openServiceDb(
		options.database === undefined
			? { ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }) }
			: { url: options.database },
	);
	let publisher: ServicePublisher | undefined;
	try {
		const store = createRegistryStore({ database, clock });
		const accounts = createAccounts({ db: database.db, clock });
		// Host uptake is counted in memory by this process (see `incidents/uptake.ts`).
		const uptake = createUptakeCounter();
		let listeningUrl = '';
		const incidentOptions = options.incidents === false ? undefined : (options.incidents ?? {});
		const incidents =
			incidentOptions === undefined
				? undefined
				: createIncidentService({
						db: database,
						clock,
						store,
						publicBaseUrl: () => incidentOptions.publicBaseUrl ?? listeningUrl,
						clientKeySecret: incidentOptions.clientKeySecret ?? randomBytes(32).toString('hex'),
					});
		if (options.keysDir !== undefined && options.publish !== false) {
			const factory = options.publisher ?? defaultPublisher;
			publisher = await factory({ database, keysDir: options.keysDir, clock });
		}
		const limits = options.limits ?? {};
		// One cache and one limiter for the hot path and the app, so both answer alike.
		const repoFiles = createRepoFileCache({ db: database.db, ...(limits.repoFiles ?? {}) });
		const rateLimit = limits.rateLimit === false ? undefined : (limits.rateLimit ?? {});
		const rateLimiter = rateLimit === undefined ? undefined : createRateLimiter(rateLimit);
		const app = createApp({
			database,
			repoFiles,
			...(rateLimiter === undefined ? {} : { rateLimiter }),
			...(options.processes === undefined ? {} : { processes: options.processes }),
			store,
			accounts,
			clock,
			uptake,
			...(incidentOptions?.publicBaseUrl === undefined
				? {}
				: { publicBaseUrl: incidentOptions.publicBaseUrl }),
			...(publisher === undefined ? {} : { publisher }),
			...(incidents === undefined ? {} : { incidents }),
			...(options.web === false
				? {}
				: {
						web: (options.web ?? defaultWeb)({
							database,
							store,
							accounts,
							clock,
							uptake,
							...(publisher === undefined ? {} : { publisher }),
							...(incidents === undefined ? {} : { incidents }),
							...(incidentOptions?.publicBaseUrl === undefined
								? {}
								: { publicBaseUrl: incidentOptions.publicBaseUrl }),
							trustProxy:
								options.limits?.rateLimit !== false &&
								options.limits?.rateLimit?.trustProxy === true,
							...(options.installCommand === undefined
								? {}
								: { installCommand: options.installCommand }),
						}),
					}),
			...(options.git === undefined ? {} : { git: options.git }),
			...(options.limits === undefined ? {} : { limits: options.limits }),
			...(options.log === undefined ? {} : { log: options.log }),
		});
		const trustProxy = rateLimit?.trustProxy === true;
		const hotFiles = createHotFiles({
			files: repoFiles,
			...(rateLimiter === undefined ? {} : { rateLimiter }),
			uptake,
			trustProxy,
		});
		const listener = withHotFiles(
			hotFiles,
			trustProxy,
			getRequestListener(app.fetch, {
				// A request the adapter cannot even turn into a Request (a GET with a body, a bad
				// Host) never reaches the app; its bare error still carries the security headers.
				errorHandler: (error) => {
					const response = new Response(null, {
						status: error instanceof RequestError ? 400 : 500,
					});
					applySecurityHeaders(response.headers);
					return response;
				},
			}),
		);
		const server = createServer(listener);
		const hotConnections = acceptHotConnections(server, hotFiles, HOT_FILES, trustProxy);
		await listen(server, host, port);
		// The publishing process sees its own publish at once; the others when told, or within
		// the cache's freshness (limits.repoFiles.freshMs).
		publisher?.onPublished?.(() => {
			repoFiles.expire();
			options.onPublished?.();
		});
		await publisher?.start();
		const address = server.address() as AddressInfo;
		const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
		listeningUrl = `http://${shownHost}:${address.port}`;
		const sweeping =
			incidents === undefined
				? undefined
				: startSweeping(incidents, {
						intervalMs: incidentOptions?.sweepIntervalMs ?? 60_000,
						...(options.log === undefined ? {} : { log: options.log }),
					});
		let closing: Promise<void> | undefined;
		return {
			url: listeningUrl,
			app,
			store,
			accounts,
			database,
			...(publisher === undefined ? {} : { publisher }),
			expireSignedFiles: () => repoFiles.expire(),
			...(incidents === undefined ? {} : { incidents }),
			close() {
				closing ??= (async () => {
					await sweeping?.stop();
					await new Promise<void>((resolve) => {
						server.close(() => resolve());
						// Keep-alive connections would hold close() open; idle ones go now.
						server.closeIdleConnections();
						hotConnections.closeIdle();
					});
					await publisher?.stop();
					await database.close();
				})();
				return closing;
			},
		};
	} catch (error) {
		await publisher?.stop();
		await database.close();
		throw error;
	}
}

function defaultPublisher(context: {
	database: ServiceDb;
	keysDir: string;
	clock: () => Date;
}): ServicePublisher {
	return createPublisher({
		db: context.database.db,
		keysDir: context.keysDir,
		clock: context.clock,
	});
}

function listen(server: Server, host: string, port: number): Promise<Server> {
	return new Promise((resolve, reject) => {
		server.once('error', (error: NodeJS.ErrnoException) => {
			reject(
				serverError(
					'INVALID_OPTIONS',
					`Cannot listen on ${host}:${port}: ${error.code ?? error.message}.`,
					{
						hint: 'Pick another --port, or stop what uses this one.',
						cause: error,
					},
				),
			);
		});
		server.listen(port, host, () => resolve(server));
	});
}
