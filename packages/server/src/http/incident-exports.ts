/**
 * The removals in OSV format (`GET /api/v1/osv`, all of them as an array, and
 * `GET /api/v1/osv/:osvId`, one) and the response-time metrics (`GET /api/v1/metrics`).
 * Public: they say what the incident pages already say, never who reported.
 */
import { Hono } from 'hono';
import type { ServiceDb } from '../db/open.ts';
import { serverError } from '../errors.ts';
import { incidentMetrics } from '../incidents/metrics.ts';
import { actionIdOfOsvId, osvIdOf, osvRecord } from '../incidents/osv.ts';
import { listRemovals } from '../incidents/removals.ts';
import type { UptakeCounter } from '../incidents/uptake.ts';
import { jsonReply } from './json-text.ts';

export interface IncidentExportsDeps {
	database: ServiceDb;
	clock: () => Date;
	uptake?: UptakeCounter;
	/** The public origin for incident links; the request's origin otherwise. */
	publicBaseUrl?: string;
}

export function incidentExports(deps: IncidentExportsDeps): Hono {
	const routes = new Hono();
	const base = (url: string) => deps.publicBaseUrl?.replace(/\/+$/, '') ?? new URL(url).origin;

	routes.get('/osv', async (c) => {
		const origin = base(c.req.url);
		const removals = await listRemovals(deps.database.db);
		return jsonReply(
			removals.map((removal) => osvRecord(removal, `${origin}/incidents/${removal.incidentId}`)),
		);
	});

	routes.get('/osv/:osvId', async (c) => {
		const osvId = c.req.param('osvId');
		const actionId = osvId.length > 40 ? undefined : actionIdOfOsvId(osvId);
		const [removal] =
			actionId === undefined ? [] : await listRemovals(deps.database.db, { actionId, limit: 1 });
		// The year is part of the id: `VOUCH-MAL-2025-7` is not the record `VOUCH-MAL-2026-7`.
		if (removal === undefined || osvIdOf(removal) !== osvId)
			throw serverError('NOT_FOUND', 'No OSV record has this id.');
		return jsonReply(osvRecord(removal, `${base(c.req.url)}/incidents/${removal.incidentId}`));
	});

	routes.get('/metrics', async () =>
		jsonReply(
			await incidentMetrics(deps.database.db, {
				clock: deps.clock,
				...(deps.uptake === undefined ? {} : { uptake: deps.uptake }),
			}),
		),
	);
	return routes;
}
