/**
 * The automatic soft quarantine (D22). The service quarantines a plugin on its own, softly and
 * for 72 hours, when
 * - two DISTINCT trusted reporters (two accounts, whatever their reports' number) report
 *   `malware` for it in one incident; anonymous reports never count; or
 * - the stored scan report of its current commit (a release pin's commit; without pins, the
 *   newest report) has a finding that is high severity, high confidence, and of a rule that
 *   only malicious code matches (`MALWARE_RULES`).
 * It never goes beyond a soft quarantine, whatever the plugin's trust, and it acts once per
 * incident (or per scanned commit): once lapsed or reverted, the decision is a maintainer's.
 * `sweep` lapses quarantines no maintainer confirmed; confirming the incident clears the expiry,
 * and on an incident confirmed already (or whose appeal was denied) none is set or it is cleared.
 */
import type { RegistryPlugin } from '@vouch/library/internal/registry/model';
import { retryOnConflict } from '../store/log-only-change.ts';
import { requestAction, reverseAction } from './actions.ts';
import { HOUR_MS, type IncidentContext, SERVICE_ACTOR } from './deps.ts';
import { openIncidentOf } from './grouping.ts';
import { logStep, noteStep } from './incident-log.ts';
import { actionRow, incidentRow, insertReceivedIncident } from './rows.ts';
import { ACTIONABLE_STATES } from './state-machine.ts';

export const AUTOMATIC_QUARANTINE_MS = 72 * HOUR_MS;
export const TRUSTED_MALWARE_REPORTERS = 2;

/**
 * Scanner rules whose high-confidence, high-severity findings mean malware rather than risky
 * code. The scanner's catalog gives each rule a confidence; many high/high rules (a packed
 * file, a native binary, import-time side effects) also flag honest plugins, so only these
 * count: a reverse shell, data sent out together with secrets read (exfiltration), and code
 * decoded from an encoded string and run.
 */
export const MALWARE_RULES: readonly string[] = [
	'reverse-shell',
	'exfiltration',
	'code-exec-decoded',
];

/** After a malware report: quarantine when two distinct trusted reporters agree. */
export async function quarantineOnReports(
	context: IncidentContext,
	incidentId: number,
	plugin: RegistryPlugin | undefined,
): Promise<boolean> {
	if (plugin === undefined) return false;
	const rows = await context.db.db
		.selectFrom('reports')
		.select('reporter_account_id')
		.distinct()
		.where('incident_id', '=', incidentId)
		.where('kind', '=', 'malware')
		.where('reporter_account_id', 'is not', null)
		.execute();
	if (rows.length < TRUSTED_MALWARE_REPORTERS) return false;
	return quarantine(
		context,
		incidentId,
		plugin,
		`Automatic soft quarantine: ${rows.length} distinct trusted reporters reported malware. It lapses in 72 hours unless a maintainer confirms the incident.`,
	);
}

async function quarantine(
	context: IncidentContext,
	incidentId: number,
	plugin: RegistryPlugin,
	reason: string,
): Promise<boolean> {
	const earlier = await context.db.db
		.selectFrom('incident_actions')
		.select('id')
		.where('incident_id', '=', incidentId)
		.where('automatic', '=', 1)
		.executeTakeFirst();
	if (earlier !== undefined) return false;
	// A block in force, or one waiting on an incident that can still approve it. A request left
	// waiting on an incident that moved on (dismissed, resolved) will never be approved: counted,
	// it would keep the plugin from ever being quarantined on its own again.
	const blocked = await context.db.db
		.selectFrom('incident_actions')
		.innerJoin('incidents', 'incidents.id', 'incident_actions.incident_id')
		.select(['incident_actions.id', 'incident_actions.params_json'])
		.where((eb) =>
			eb.or([
				eb('incident_actions.state', '=', 'applied'),
				eb.and([
					eb('incident_actions.state', '=', 'awaiting_approval'),
					eb('incidents.state', 'in', [...ACTIONABLE_STATES]),
				]),
			]),
		)
		.execute();
	if (
		blocked.some(
			(row) => (JSON.parse(row.params_json) as { pluginId?: string }).pluginId === plugin.id,
		)
	) {
		return false;
	}
	// The 72 hours wait for a maintainer's confirmation. On an incident already confirmed it was
	// given, and nothing else would clear the expiry (confirmed only moves on to resolved): the
	// quarantine is permanent from the start.
	const state = (await incidentRow(context.db.db, incidentId)).state;
	const expiresAt =
		state === 'confirmed'
			? undefined
			: new Date(context.clock().getTime() + AUTOMATIC_QUARANTINE_MS).toISOString();
	try {
		await requestAction(
			context,
			incidentId,
			'soft_quarantine',
			{ pluginId: plugin.id },
			SERVICE_ACTOR,
			reason,
			{ automatic: true, ...(expiresAt === undefined ? {} : { expiresAt }) },
		);
		return true;
	} catch (error) {
		// Already blocked by a hand-made entry, or the incident moved on: nothing to add.
		const code = (error as { code?: string }).code;
		if (code === 'DUPLICATE_ENTRY' || code === 'BAD_REQUEST') return false;
		throw error;
	}
}

interface Finding {
	ruleId?: unknown;
	severity?: unknown;
	confidence?: unknown;
}

/** The malware rules a stored scan report flags with high severity and confidence. */
export function malwareRulesIn(reportJson: string): string[] {
	let findings: unknown;
	try {
		findings = (JSON.parse(reportJson) as { findings?: unknown }).findings;
	} catch {
		return [];
	}
	if (!Array.isArray(findings)) return [];
	const rules = new Set<string>();
	for (const finding of findings.slice(0, 100_000) as Finding[]) {
		if (
			typeof finding?.ruleId === 'string' &&
			finding.severity === 'high' &&
			finding.confidence === 'high' &&
			MALWARE_RULES.includes(finding.ruleId)
		) {
			rules.add(finding.ruleId);
		}
	}
	return [...rules];
}

/**
 * Quarantines plugins whose current commit's scan report flags malware. `examined` remembers
 * reports already read in this process, so a sweep parses each report once.
 */
export async function quarantineOnScans(
	context: IncidentContext,
	examined: Set<string>,
): Promise<number> {
	const registry = (await context.store.registry())?.registry;
	if (registry === undefined) return 0;
	const byId = new Map(registry.plugins.map((plugin) => [plugin.id, plugin]));
	const rows = await context.db.db
		.selectFrom('scan_reports')
		.select(['plugin_id', 'commit_sha', 'created_at'])
		.orderBy('created_at', 'desc')
		.execute();
	const current = new Map<string, string>();
	for (const row of rows) {
		const plugin = byId.get(row.plugin_id);
		if (plugin === undefined) continue;
		const pinned = plugin.releases.map((release) => release.commit);
		const isCurrent =
			pinned.length === 0 ? !current.has(plugin.id) : pinned.includes(row.commit_sha);
		if (isCurrent && !current.has(plugin.id)) current.set(plugin.id, row.commit_sha);
	}
	let quarantined = 0;
	for (const [pluginId, commit] of current) {
		const key = `${pluginId}@${commit}`;
		if (examined.has(key)) continue;
		examined.add(key);
		const report = await context.db.db
			.selectFrom('scan_reports')
			.select('report_json')
			.where('plugin_id', '=', pluginId)
			.where('commit_sha', '=', commit)
			.executeTakeFirst();
		const rules = report === undefined ? [] : malwareRulesIn(report.report_json);
		const plugin = byId.get(pluginId);
		if (rules.length === 0 || plugin === undefined) continue;
		if (await scanAlreadyActedOn(context, pluginId, commit)) continue;
		const incidentId = await incidentForScan(context, plugin, commit, rules);
		if (
			await quarantine(
				context,
				incidentId,
				plugin,
				`Automatic soft quarantine: the scan of commit ${commit} found ${rules.join(', ')}. It lapses in 72 hours unless a maintainer confirms the incident.`,
			)
		) {
			quarantined++;
		}
	}
	return quarantined;
}

async function scanAlreadyActedOn(
	context: IncidentContext,
	pluginId: string,
	commit: string,
): Promise<boolean> {
	const row = await context.db.db
		.selectFrom('incident_events')
		.innerJoin('incidents', 'incidents.id', 'incident_events.incident_id')
		.select('incident_events.id')
		.where('incidents.plugin_id', '=', pluginId)
		.where('incident_events.kind', '=', 'note')
		.where('incident_events.details_json', 'like', `%"scanCommit":"${commit}"%`)
		.executeTakeFirst();
	return row !== undefined;
}

async function incidentForScan(
	context: IncidentContext,
	plugin: RegistryPlugin,
	commit: string,
	rules: string[],
): Promise<number> {
	const now = context.clock().toISOString();
	return retryOnConflict(context.db, async (trx) => {
		let id = (await openIncidentOf(trx, plugin.id))?.id;
		if (id === undefined) {
			id = await insertReceivedIncident(
				trx,
				{
					grouping: 'plugin',
					groupKey: plugin.id,
					pluginId: plugin.id,
					title: `malware found by the scanner: ${plugin.id}`,
				},
				now,
			);
			await logStep(context, trx, {
				incidentId: id,
				actor: SERVICE_ACTOR,
				kind: 'state',
				from: null,
				to: 'received',
				reason: `The scan of commit ${commit} found ${rules.join(', ')}.`,
				summary: 'received',
			});
		}
		await noteStep(context, trx, {
			incidentId: id,
			actor: SERVICE_ACTOR,
			kind: 'note',
			reason: `The scan of commit ${commit} found ${rules.join(', ')}.`,
			details: { scanCommit: commit, rules },
			summary: 'scan',
		});
		return id;
	});
}

/** Lapses automatic quarantines past their expiry; the incident's state stays for a maintainer. */
export async function expireQuarantines(context: IncidentContext): Promise<number> {
	const now = context.clock().toISOString();
	const due = await context.db.db
		.selectFrom('incident_actions')
		.select('id')
		.where('state', '=', 'applied')
		.where('automatic', '=', 1)
		.where('expires_at', 'is not', null)
		.where('expires_at', '<=', now)
		.orderBy('id')
		.limit(100)
		.execute();
	let expired = 0;
	for (const row of due) {
		const action = await actionRow(context.db.db, Number(row.id));
		const lapsed = await reverseAction(
			context,
			action,
			SERVICE_ACTOR,
			'The automatic quarantine lapsed after 72 hours: no maintainer confirmed the incident.',
			'expired',
		);
		if (lapsed) expired++;
	}
	return expired;
}
