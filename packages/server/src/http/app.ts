/**
 * The service's HTTP application. Order matters: security headers wrap everything (errors and
 * 304s included), the rate limit runs before any work, body limits before any body is read;
 * then the JSON API, Picard's files, the signed repository, and the web pages last.
 */
import type { CanonicalUrlContext } from '@vouch/library/internal/core/canonical-url';
import type { UploadPackHttp } from '@vouch/library/internal/git/upload-pack-http';
import { Hono } from 'hono';
import type { Accounts } from '../admin/accounts.ts';
import type { ServiceDb } from '../db/open.ts';
import type { IncidentService } from '../incidents/types.ts';
import type { UptakeCounter } from '../incidents/uptake.ts';
import type { RegistryStore } from '../store/registry-store.ts';
import { adminApi } from './admin-api.ts';
import type { Publisher } from './admin-edits.ts';
import { type BodyLimits, limitBodies } from './body-limit.ts';
import { handleError, notFoundResponse, type ServiceLog } from './error-handler.ts';
import { GIT_MOUNT, gitRepositories } from './git-repositories.ts';
import { incidentExports } from './incident-exports.ts';
import { incidentsAdminApi } from './incidents-admin-api.ts';
import { incidentsApi } from './incidents-api.ts';
import { picardFormat } from './picard-format.ts';
import { publicApi } from './public-api.ts';
import {
	clientAddress,
	createRateLimiter,
	type RateLimiter,
	type RateLimitOptions,
	rateLimit,
} from './rate-limit.ts';
import { createRegistryViews } from './registry-view.ts';
import {
	createRepoFileCache,
	type RepoFileCache,
	type RepoFileCacheOptions,
} from './repo-file-cache.ts';
import { securityHeaders } from './security-headers.ts';
import { signedFiles } from './signed-files.ts';

export interface AppLimits {
	body?: BodyLimits;
	/** `false` turns rate limiting off (a benchmark, or a proxy that limits in front). */
	rateLimit?: RateLimitOptions | false;
	/** The signed files' cache. */
	repoFiles?: Omit<RepoFileCacheOptions, 'db'>;
}

export interface AppDeps {
	database: ServiceDb;
	store: RegistryStore;
	accounts: Accounts;
	clock: () => Date;
	publisher?: Publisher;
	/** Community reports and incidents (D22): their JSON API is served when this is given. */
	incidents?: IncidentService;
	/** The web pages, mounted at `/`. */
	web?: Hono;
	/** Plugin repositories over git's smart HTTP, mounted at `/git/` (the demo's). */
	git?: UploadPackHttp;
	limits?: AppLimits;
	/** How git URLs compare (the service profile's case-insensitive hosts). */
	urlContext?: CanonicalUrlContext;
	log?: ServiceLog;
	/** The signed files' cache, when something in front of the app shares it (the hot path). */
	repoFiles?: RepoFileCache;
	/** The rate limiter, when something in front of the app shares it (the hot path). */
	rateLimiter?: RateLimiter;
	/** How many processes serve this port, for the health check. Default 1. */
	processes?: () => number;
	/** Host uptake, counted from timestamp fetches (per process); shown by the metrics. */
	uptake?: UptakeCounter;
	/** The public origin for links in exports (`https://registry.example`). */
	publicBaseUrl?: string;
}

export function createApp(deps: AppDeps): Hono {
	const app = new Hono();
	const limits = deps.limits ?? {};
	app.use('*', securityHeaders());
	if (limits.rateLimit !== false) {
		const options = limits.rateLimit ?? {};
		app.use(
			'*',
			rateLimit(deps.rateLimiter ?? createRateLimiter(options), options.trustProxy === true),
		);
	}
	app.use('*', limitBodies(limits.body));

	const view = createRegistryViews(deps.store, deps.urlContext);
	app.route(
		'/api/v1/admin',
		adminApi({
			database: deps.database,
			store: deps.store,
			accounts: deps.accounts,
			...(deps.publisher === undefined ? {} : { publisher: deps.publisher }),
			...(deps.log === undefined ? {} : { log: deps.log }),
		}),
	);
	app.route(
		'/api/v1',
		incidentExports({
			database: deps.database,
			clock: deps.clock,
			...(deps.uptake === undefined ? {} : { uptake: deps.uptake }),
			...(deps.publicBaseUrl === undefined ? {} : { publicBaseUrl: deps.publicBaseUrl }),
		}),
	);
	if (deps.incidents !== undefined) {
		app.route(
			'/api/v1/admin',
			incidentsAdminApi({
				database: deps.database,
				store: deps.store,
				accounts: deps.accounts,
				incidents: deps.incidents,
				...(deps.publisher === undefined ? {} : { publisher: deps.publisher }),
				...(deps.log === undefined ? {} : { log: deps.log }),
			}),
		);
		app.route(
			'/api/v1',
			incidentsApi({
				database: deps.database,
				accounts: deps.accounts,
				incidents: deps.incidents,
				trustProxy: limits.rateLimit !== false && limits.rateLimit?.trustProxy === true,
			}),
		);
	}
	app.route(
		'/api/v1',
		publicApi({
			database: deps.database,
			view,
			clock: deps.clock,
			...(deps.processes === undefined ? {} : { processes: deps.processes }),
		}),
	);
	app.route('/picard', picardFormat(view));
	app.route(
		'/tuf',
		signedFiles(
			deps.repoFiles ?? createRepoFileCache({ db: deps.database.db, ...(limits.repoFiles ?? {}) }),
			deps.uptake === undefined
				? undefined
				: {
						counter: deps.uptake,
						clientAddress: (c) =>
							clientAddress(c, limits.rateLimit !== false && limits.rateLimit?.trustProxy === true),
					},
		),
	);
	if (deps.git !== undefined) app.route(GIT_MOUNT, gitRepositories(deps.git));
	if (deps.web !== undefined) app.route('/', deps.web);

	app.notFound(notFoundResponse);
	app.onError(handleError(deps.log));
	return app;
}
