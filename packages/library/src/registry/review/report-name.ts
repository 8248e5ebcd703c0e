/**
 * How a stored scan report is named, in one place for the three parties that use the name:
 * `registry review` writes `scan-reports/<id>/<commit>.json` beside the registry,
 * `registry publish` signs it as a TUF target of the same name, and the client asks for that
 * target by the id and commit it is about to install. Only a valid registry id and a full
 * commit id make a name, so a name never holds `..`, a separator or anything a shell or a
 * path could read differently.
 */
import { isValidRegistryId } from '../registry-id.ts';

export const SCAN_REPORTS_DIR = 'scan-reports';

/** A stored report larger than this is neither published nor read. */
export const MAX_SCAN_REPORT_BYTES = 4 * 1024 * 1024;

const FULL_COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** `scan-reports/<id>/<commit>.json`, or undefined when the id or commit cannot name a file. */
export function scanReportName(id: string, commit: string): string | undefined {
	if (!isValidRegistryId(id) || !FULL_COMMIT.test(commit)) return undefined;
	return `${SCAN_REPORTS_DIR}/${id}/${commit}.json`;
}

/** Whether a file name in `scan-reports/<id>/` is a report's (`<commit>.json`). */
export function isScanReportFileName(file: string): boolean {
	return file.endsWith('.json') && FULL_COMMIT.test(file.slice(0, -'.json'.length));
}
