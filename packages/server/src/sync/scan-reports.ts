/**
 * Scan reports in the database (`scan_reports`), as `vouch registry review` stores them beside
 * the registry: `scan-reports/<id>/<commit>.json`, the scanner's document with `root` set to
 * `<id>@<commit>`. A report is kept as the exact text it arrived as, so exporting it to a
 * registry repository gives back the same bytes. The rules for which files count as reports
 * (regular files, a registry id and a full commit id in the name, bounded size, a report
 * document, a plugin the registry lists) are the publisher's own (`collectScanReports`).
 */
import { sanitizeText } from '@vouch/library/internal/core/sanitize';
import { scanReportName } from '@vouch/library/internal/registry/review/report-name';
import type { ScanReport } from '@vouch/library/internal/scan/types';
import { collectScanReports } from '@vouch/library/internal/tuf/repository/scan-report-targets';
import type { ServiceDb } from '../db/open.ts';
import { serverError } from '../errors.ts';

/** Longest ref name kept beside a report; longer ones are cut. */
const MAX_REF_NAME_CHARS = 255;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

export interface ImportedScanReports {
	stored: number;
	/** Reports left out, and why (sanitised). */
	skipped: string[];
}

/** What the report's root (`<id>@<ref or commit>`) names after the `@`, or `unknown`. */
export function refNameOf(id: string, report: unknown): string {
	const root = (report as { root?: unknown } | null)?.root;
	if (typeof root !== 'string' || !root.startsWith(`${id}@`)) return 'unknown';
	const ref = sanitizeText(root.slice(id.length + 1), { maxLength: MAX_REF_NAME_CHARS });
	return ref === '' ? 'unknown' : ref;
}

/** Inserts or replaces one report's text (already checked to be a report). */
async function upsertReport(
	database: ServiceDb,
	id: string,
	commit: string,
	text: string,
	report: unknown,
	now: Date,
): Promise<void> {
	const refName = refNameOf(id, report);
	await database.db
		.insertInto('scan_reports')
		.values({
			plugin_id: id,
			commit_sha: commit,
			ref_name: refName,
			report_json: text,
			created_at: now.toISOString(),
		})
		.onConflict((conflict) =>
			conflict
				.columns(['plugin_id', 'commit_sha'])
				.doUpdateSet({ ref_name: refName, report_json: text }),
		)
		.execute();
}

/** Stores one report, in the form `registry review` writes it; BAD_REQUEST for a bad id or commit. */
export async function storeScanReport(
	database: ServiceDb,
	id: string,
	commit: string,
	report: ScanReport,
	clock: () => Date = () => new Date(),
): Promise<string> {
	const name = scanReportName(id, commit);
	if (name === undefined) {
		throw serverError(
			'BAD_REQUEST',
			`No scan report can be named by ${sanitizeText(id)} and ${sanitizeText(commit)}.`,
			{
				hint: 'A report names a registry id and a full commit id.',
			},
		);
	}
	const stored: ScanReport = { ...report, root: `${id}@${commit}` };
	await upsertReport(database, id, commit, `${JSON.stringify(stored, null, 1)}\n`, stored, clock());
	return name;
}

/**
 * Imports the reports under `<dir>/scan-reports/` for the plugins `registeredIds` lists
 * (default: those the database lists). Reports that are not usable are skipped and reported,
 * never stored.
 */
export async function importScanReports(
	database: ServiceDb,
	dir: string,
	options: { clock?: () => Date; registeredIds?: ReadonlySet<string> } = {},
): Promise<ImportedScanReports> {
	const registeredIds =
		options.registeredIds ??
		new Set((await database.db.selectFrom('plugins').select('id').execute()).map((row) => row.id));
	const now = (options.clock ?? (() => new Date()))();
	const collected = await collectScanReports(dir, registeredIds);
	const skipped = [...collected.warnings];
	let stored = 0;
	for (const target of collected.reports) {
		// `scan-reports/<id>/<commit>.json`, checked by the collector.
		const [, id = '', file = ''] = target.name.split('/');
		const commit = file.slice(0, -'.json'.length);
		let text: string;
		try {
			text = UTF8.decode(target.bytes);
		} catch {
			skipped.push(`Scan report ${sanitizeText(target.name)} not imported: not UTF-8 text.`);
			continue;
		}
		await upsertReport(database, id, commit, text, JSON.parse(text), now);
		stored++;
	}
	return { stored, skipped };
}

/** Every stored report, by its name in a registry repository, in a stable order. */
export async function storedScanReports(
	database: ServiceDb,
): Promise<{ name: string; text: string }[]> {
	const rows = await database.db
		.selectFrom('scan_reports')
		.select(['plugin_id', 'commit_sha', 'report_json'])
		.orderBy('plugin_id')
		.orderBy('commit_sha')
		.execute();
	const reports: { name: string; text: string }[] = [];
	for (const row of rows) {
		const name = scanReportName(row.plugin_id, row.commit_sha);
		if (name !== undefined) reports.push({ name, text: row.report_json });
	}
	return reports;
}
