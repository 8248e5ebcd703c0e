/**
 * A community report comes in (D22): validated with the library's wire contract, bounded per
 * client, matched to a plugin, stored with its reporter token's hash, and grouped into the
 * open incident of its plugin (or a new one, whose opening is logged). The reporter's token is
 * returned once; the client's address is reduced to a keyed hash and never stored.
 */
import {
	type ParsedReportRequest,
	type ReportReceipt,
	reportRequestSchema,
} from '@vouch/library/internal/report/report-schema';
import type { Kysely, Transaction } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';
import { serverError } from '../errors.ts';
import { parseWith } from '../http/validate.ts';
import { retryOnConflict } from '../store/log-only-change.ts';
import { HOUR_MS, type IncidentContext, publicBase, SERVICE_ACTOR } from './deps.ts';
import { openIncidentOf, type ReportTarget, resolveReportedPlugin } from './grouping.ts';
import { logStep, noteStep } from './incident-log.ts';
import { insertReceivedIncident } from './rows.ts';
import { clientKeyOf, newToken, tokenHash } from './tokens.ts';
import type { Reporter } from './types.ts';

export const ANONYMOUS_WEIGHT = 1;
export const TRUSTED_WEIGHT = 3;

export interface AcceptedReport {
	receipt: ReportReceipt;
	target: ReportTarget;
	request: ParsedReportRequest;
	trusted: boolean;
}

export async function acceptReport(
	context: IncidentContext,
	body: unknown,
	reporter: Reporter,
): Promise<AcceptedReport> {
	const request = parseWith(reportRequestSchema, body, 'report');
	const trusted = reporter.account !== undefined;
	const clientKey = clientKeyOf(context.clientKeySecret, reporter.clientAddress);
	const loaded = await context.store.registry();
	if (loaded === undefined) {
		throw serverError('NOT_FOUND', 'The service holds no registry yet.');
	}
	const target = resolveReportedPlugin(loaded.registry.plugins, request.plugin, context.urlContext);
	const now = context.clock();
	const token = newToken();
	const stored = await retryOnConflict(context.db, async (trx) => {
		await refuseSpam(context, trx, clientKey, target.groupKey, reporter.account?.id, now);
		let incident = await openIncidentOf(trx, target.groupKey);
		const reporterLabel = trusted ? 'trusted reporter' : 'anonymous reporter';
		if (incident === undefined) {
			const id = await insertIncident(trx, target, request, now);
			await logStep(context, trx, {
				incidentId: id,
				actor: SERVICE_ACTOR,
				kind: 'state',
				from: null,
				to: 'received',
				reason: `A ${kindLabel(request.kind)} report from a ${reporterLabel} opened the incident.`,
				summary: 'received',
			});
			incident = { id, state: 'received' };
		}
		const report = await trx
			.insertInto('reports')
			.values({
				token_hash: tokenHash(token),
				incident_id: incident.id,
				plugin_id: target.plugin?.id ?? null,
				plugin_uuid: request.plugin.uuid ?? null,
				plugin_url: request.plugin.url ?? null,
				ref_name: request.plugin.ref ?? null,
				commit_sha: request.plugin.commit ?? null,
				tree_digest: request.plugin.treeDigest ?? null,
				trust: request.plugin.trust ?? null,
				host_profile: request.host?.profile ?? null,
				host_version: request.host?.version ?? null,
				kind: request.kind,
				details: request.details,
				evidence_json: JSON.stringify(request.evidence),
				reporter_account_id: reporter.account?.id ?? null,
				reporter_name: reporter.account?.name ?? null,
				weight: trusted ? TRUSTED_WEIGHT : ANONYMOUS_WEIGHT,
				client_key: clientKey,
				created_at: now.toISOString(),
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const reportId = Number(report.id);
		// The timeline names no reporter: who reported is never public.
		await noteStep(context, trx, {
			incidentId: incident.id,
			actor: { name: reporterLabel, role: 'reporter' },
			kind: 'report',
			reason: `A ${kindLabel(request.kind)} report was received.`,
			details: {
				reportId,
				kind: request.kind,
				weight: trusted ? TRUSTED_WEIGHT : ANONYMOUS_WEIGHT,
			},
			summary: 'report',
		});
		await trx
			.updateTable('incidents')
			.set({ updated_at: now.toISOString() })
			.where('id', '=', incident.id)
			.execute();
		return { reportId, incidentId: incident.id };
	});
	return {
		receipt: {
			reportId: stored.reportId,
			incidentId: stored.incidentId,
			token,
			statusUrl: `${publicBase(context)}/api/v1/reports/status`,
		},
		target,
		request,
		trusted,
	};
}

function kindLabel(kind: string): string {
	return kind.replace(/_/g, ' ');
}

async function insertIncident(
	trx: Transaction<ServiceDatabase>,
	target: ReportTarget,
	request: ParsedReportRequest,
	now: Date,
): Promise<number> {
	const about = target.plugin?.id ?? target.groupKey.replace(/^(url|uuid):/, '');
	return insertReceivedIncident(
		trx,
		{
			grouping: 'plugin',
			groupKey: target.groupKey,
			pluginId: target.plugin?.id ?? null,
			title: `${kindLabel(request.kind)} reported: ${about}`,
		},
		now.toISOString(),
	);
}

/**
 * The spam bounds of D22: per reporter per hour, per reporter and plugin per day, and the new
 * incidents an anonymous client opens. A reporter is its account when it has one (several
 * trusted reporters may share an office's address), else its client key.
 */
async function refuseSpam(
	context: IncidentContext,
	db: Kysely<ServiceDatabase> | Transaction<ServiceDatabase>,
	clientKey: string,
	groupKey: string,
	accountId: number | undefined,
	now: Date,
): Promise<void> {
	const trusted = accountId !== undefined;
	const { limits } = context;
	const hourAgo = new Date(now.getTime() - HOUR_MS).toISOString();
	const dayAgo = new Date(now.getTime() - 24 * HOUR_MS).toISOString();
	const count = async (query: Promise<{ n: string | number | bigint } | undefined>) =>
		Number((await query)?.n ?? 0);
	const lastHour = await count(
		db
			.selectFrom('reports')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where((eb) =>
				trusted ? eb('reporter_account_id', '=', accountId) : eb('client_key', '=', clientKey),
			)
			.where('created_at', '>', hourAgo)
			.executeTakeFirst(),
	);
	if (lastHour >= limits.reportsPerClientHour) {
		throw limited(`at most ${limits.reportsPerClientHour} reports an hour from one client`);
	}
	const aboutPlugin = await count(
		db
			.selectFrom('reports')
			.innerJoin('incidents', 'incidents.id', 'reports.incident_id')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where((eb) =>
				trusted
					? eb('reports.reporter_account_id', '=', accountId)
					: eb('reports.client_key', '=', clientKey),
			)
			.where('incidents.group_key', '=', groupKey)
			.where('reports.created_at', '>', dayAgo)
			.executeTakeFirst(),
	);
	if (aboutPlugin >= limits.reportsPerClientPluginDay) {
		throw limited(
			`at most ${limits.reportsPerClientPluginDay} reports a day about one plugin from one client`,
		);
	}
	if (trusted) return;
	const opened = await count(
		db
			.selectFrom('reports as first')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('first.client_key', '=', clientKey)
			.where('first.reporter_account_id', 'is', null)
			.where('first.created_at', '>', dayAgo)
			.where(({ not, exists, selectFrom }) =>
				not(
					exists(
						selectFrom('reports as earlier')
							.select('earlier.id')
							.whereRef('earlier.incident_id', '=', 'first.incident_id')
							.whereRef('earlier.id', '<', 'first.id'),
					),
				),
			)
			.executeTakeFirst(),
	);
	const joins = (await openIncidentOf(db, groupKey)) !== undefined;
	if (!joins && opened >= limits.incidentsPerAnonymousClientDay) {
		throw limited(
			`at most ${limits.incidentsPerAnonymousClientDay} new incidents a day from one anonymous client`,
		);
	}
}

function limited(bound: string) {
	return serverError('RATE_LIMITED', `Too many reports: ${bound}.`, {
		hint: 'Wait and report again later; a report already filed is being looked at.',
	});
}
