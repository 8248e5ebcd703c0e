/**
 * The scan reports `vouch registry review` stored beside the registry
 * (`scan-reports/<id>/<commit>.json`), as TUF targets under the same names, so clients fetch
 * them verified like the registry itself (D21: the registry attaches a scan report; the client
 * shows its summary before an install).
 *
 * Publishing signs whatever it picks up, so it picks up only what can be nothing else: a
 * regular file (never a link, which could make the key holders sign a file from anywhere on
 * the machine) named by a valid registry id and a full commit id, within the size bound, that
 * parses as a scan report, for a plugin the registry lists. Anything else is left out with a
 * warning; a missing directory publishes no reports.
 */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readFileBounded } from '../../core/atomic-fs.ts';
import { sanitizeText } from '../../core/sanitize.ts';
import { isValidRegistryId } from '../../registry/registry-id.ts';
import {
	isScanReportFileName,
	MAX_SCAN_REPORT_BYTES,
	SCAN_REPORTS_DIR,
} from '../../registry/review/report-name.ts';
import { tufError } from '../errors.ts';
/** Reports in one publish: each adds an entry to the targets metadata, which clients bound. */
export const MAX_SCAN_REPORTS = 5000;

export interface ScanReportTarget {
	/** `scan-reports/<id>/<commit>.json`. */
	name: string;
	bytes: Buffer;
}

export interface CollectedScanReports {
	reports: ScanReportTarget[];
	warnings: string[];
}

/** The reports under `<reportsDir>/scan-reports/` for the plugins `registeredIds` lists. */
export async function collectScanReports(
	reportsDir: string,
	registeredIds: ReadonlySet<string>,
): Promise<CollectedScanReports> {
	const root = join(reportsDir, SCAN_REPORTS_DIR);
	const warnings: string[] = [];
	const reports: ScanReportTarget[] = [];
	const skip = (name: string, why: string) =>
		warnings.push(`Scan report ${sanitizeText(name, { maxLength: 200 })} not published: ${why}.`);
	if (!(await isRealDirectory(root))) return { reports, warnings };
	for (const id of (await readdir(root)).sort()) {
		const dir = join(root, id);
		if (!isValidRegistryId(id) || !(await isRealDirectory(dir))) {
			skip(id, 'not a directory named by a registry id');
			continue;
		}
		if (!registeredIds.has(id)) {
			skip(id, 'the registry lists no plugin with this id');
			continue;
		}
		for (const file of (await readdir(dir)).sort()) {
			const name = `${SCAN_REPORTS_DIR}/${id}/${file}`;
			const path = join(dir, file);
			const info = await lstat(path);
			if (!isScanReportFileName(file) || !info.isFile()) {
				skip(name, 'not a regular file named <commit>.json');
				continue;
			}
			if (info.size > MAX_SCAN_REPORT_BYTES) {
				skip(name, `larger than ${MAX_SCAN_REPORT_BYTES} bytes`);
				continue;
			}
			const bytes = await readFileBounded(path, MAX_SCAN_REPORT_BYTES);
			if (!isScanReport(bytes)) {
				skip(name, 'not a scan report');
				continue;
			}
			if (reports.length >= MAX_SCAN_REPORTS) {
				throw tufError(
					'TUF_REGISTRY_INVALID',
					`More than ${MAX_SCAN_REPORTS} scan reports in ${sanitizeText(root)}.`,
					{
						hint: 'Remove the reports of commits no ref or pin names any more, then publish again.',
					},
				);
			}
			reports.push({ name, bytes });
		}
	}
	return { reports, warnings };
}

async function isRealDirectory(path: string): Promise<boolean> {
	const info = await lstat(path).catch(() => undefined);
	return info?.isDirectory() === true;
}

function isScanReport(bytes: Buffer): boolean {
	try {
		const value = JSON.parse(bytes.toString('utf8')) as {
			reportVersion?: unknown;
			summary?: unknown;
		};
		return (
			value !== null &&
			typeof value === 'object' &&
			value.reportVersion === 1 &&
			typeof value.summary === 'object'
		);
	} catch {
		return false;
	}
}
