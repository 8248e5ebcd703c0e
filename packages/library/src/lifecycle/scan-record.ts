/**
 * The scan report kept with an installed plugin (D21): a summary in the plugin's record, for
 * `list` and `info`, and the whole report beside the state, for `vouch scan` and for hosts.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-fs.ts';
import { sanitizeText } from '../core/sanitize.ts';
import type { ScanOutcome } from './scan-gate.ts';
import type { InstalledPlugin } from './store/index.ts';

export type ScanSummaryRecord = NonNullable<InstalledPlugin['scan']>;

export function scanSummaryOf(outcome: ScanOutcome, now: Date): ScanSummaryRecord {
	const scannedAt = now.toISOString();
	if ('failure' in outcome) {
		return {
			scannedAt,
			failed: true,
			high: 0,
			medium: 0,
			low: 0,
			info: 0,
			undeclared: [],
			skipped: 0,
		};
	}
	const { report } = outcome;
	return {
		scannedAt,
		scannerVersion: report.scanner.version,
		high: report.summary.high,
		medium: report.summary.medium,
		low: report.summary.low,
		info: report.summary.info,
		undeclared: [...report.capabilities.undeclared],
		skipped: report.skipped.length + report.skippedNotListed,
	};
}

export function scanReportPath(dataDir: string, uuid: string): string {
	return join(dataDir, 'scans', `${uuid}.json`);
}

/**
 * Written after the state commits; the report is information, so losing it loses no plugin.
 * `root` names where the plugin now lives, not the staging directory it was scanned in.
 */
export async function saveScanReport(
	dataDir: string,
	uuid: string,
	outcome: ScanOutcome,
	pluginPath: string,
): Promise<void> {
	if (!('report' in outcome)) return;
	await mkdir(join(dataDir, 'scans'), { recursive: true });
	const report = { ...outcome.report, root: pluginPath };
	await writeFileAtomic(scanReportPath(dataDir, uuid), `${JSON.stringify(report, null, 1)}\n`);
}

/** After the state commits: a report that cannot be written is a warning, nothing more. */
export async function keepScanReport(
	deps: {
		store: { dataDir: string };
		files: { pathOf(plugin: InstalledPlugin): string };
		reporter: { warn(text: string): void };
	},
	plugin: InstalledPlugin,
	outcome: ScanOutcome,
): Promise<void> {
	try {
		await saveScanReport(deps.store.dataDir, plugin.uuid, outcome, deps.files.pathOf(plugin));
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		deps.reporter.warn(
			`Could not keep the scan report: ${sanitizeText(reason, { maxLength: 200 })}`,
		);
	}
}

export async function forgetScanReport(dataDir: string, uuid: string): Promise<void> {
	await rm(scanReportPath(dataDir, uuid), { force: true });
}
