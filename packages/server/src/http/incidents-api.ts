/**
 * The public incident API under `/api/v1` (D22): filing a report (its own body limit and rate
 * budget; a bearer token of an account makes it a trusted report), a reporter's status through
 * the token, the incident list and page data, and an author's appeal. Nothing here shows who
 * reported, a client key, a token or an appeal's statement and contact.
 */
import { MAX_REPORT_BYTES } from '@vouch/library/internal/report/report-schema';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { Account, Accounts } from '../admin/accounts.ts';
import type { ServiceDb } from '../db/open.ts';
import { serverError } from '../errors.ts';
import type { IncidentService, IncidentState } from '../incidents/types.ts';
import { incidentView, listIncidents } from '../incidents/views.ts';
import { appealBody, incidentListQuery, numericId } from './incident-schemas.ts';
import { jsonReply } from './json-text.ts';
import { clientAddress } from './rate-limit.ts';
import { parseWith, validJson, validQuery } from './validate.ts';

export interface IncidentsApiDeps {
	database: ServiceDb;
	accounts: Accounts;
	incidents: IncidentService;
	/** Believe `X-Forwarded-For` (the same setting as the rate limit's). */
	trustProxy?: boolean;
}

/** `Authorization: Bearer <token>`: the token, undefined without the header, 401 if malformed. */
function bearer(header: string | undefined): string | undefined {
	if (header === undefined) return undefined;
	const match = /^Bearer ([^\s]{1,200})$/i.exec(header);
	if (match?.[1] === undefined) {
		throw serverError('UNAUTHENTICATED', 'The Authorization header is not "Bearer <token>".');
	}
	return match[1];
}

export function incidentsApi(deps: IncidentsApiDeps): Hono {
	const api = new Hono();
	const trustProxy = deps.trustProxy === true;

	api.post(
		'/reports',
		bodyLimit({
			maxSize: MAX_REPORT_BYTES,
			onError: () => {
				throw serverError('PAYLOAD_TOO_LARGE', `A report is at most ${MAX_REPORT_BYTES} bytes.`, {
					details: { maxBytes: MAX_REPORT_BYTES },
				});
			},
		}),
		async (c) => {
			const token = bearer(c.req.header('authorization'));
			// A token that does not check out is refused, not quietly taken as anonymous.
			const account: Account | undefined =
				token === undefined ? undefined : await deps.accounts.authenticateToken(token);
			// The service validates it with the library's `reportRequestSchema`.
			const body: unknown = await validJson(c, z.unknown());
			const receipt = await deps.incidents.submitReport(body, {
				...(account === undefined
					? {}
					: { account: { id: account.id, name: account.name, role: account.role } }),
				clientAddress: clientAddress(c, trustProxy),
			});
			return jsonReply(receipt, 201);
		},
	);

	api.get('/reports/status', async (c) => {
		const token = bearer(c.req.header('authorization'));
		if (token === undefined) {
			throw serverError(
				'UNAUTHENTICATED',
				'Send the reporter token: Authorization: Bearer <token>.',
			);
		}
		return jsonReply(await deps.incidents.reportStatus(token));
	});

	api.get('/incidents', async (c) => {
		const query = validQuery(c, incidentListQuery);
		return jsonReply(
			await listIncidents(deps.database.db, {
				...(query.state === undefined ? {} : { state: query.state as IncidentState }),
				...(query.plugin === undefined ? {} : { pluginId: query.plugin }),
				...(query.page === undefined ? {} : { page: query.page }),
				...(query.per_page === undefined ? {} : { perPage: query.per_page }),
			}),
		);
	});

	api.get('/incidents/:id', async (c) => {
		const id = parseWith(numericId, c.req.param('id'), 'incident id');
		return jsonReply(await incidentView(deps.database.db, id));
	});

	api.post('/incidents/:id/appeals', async (c) => {
		const id = parseWith(numericId, c.req.param('id'), 'incident id');
		const body = await validJson(c, appealBody);
		const appeal = await deps.incidents.fileAppeal(
			id,
			body.statement,
			body.contact,
			clientAddress(c, trustProxy),
		);
		return jsonReply(appeal, 201);
	});

	return api;
}
