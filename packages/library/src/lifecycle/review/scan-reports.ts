/**
 * Scan reports stored beside the registry (D21: "the registry tool attaches a scan report"):
 * `<registry dir>/scan-reports/<id>/<commit>.json`, one per reviewed commit, so a report names
 * exactly the code it judged and never changes once written. `registry publish` ships them as
 * TUF targets under the same relative name, and clients show the summary before installing.
 *
 * The stored report is the scanner's own document with `root` replaced by `<id>@<commit>`: the
 * temporary directory the review scanned in means nothing to anyone else.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/atomic-fs.ts';
import { SCAN_REPORTS_DIR, scanReportName } from '../../registry/review/report-name.ts';
import type { ScanReport } from '../../scan/types.ts';

export { scanReportName } from '../../registry/review/report-name.ts';

/**
 * Writes the report atomically; returns its name relative to `registryDir` (also its TUF
 * target name), or undefined when the id or commit cannot name a file (`report-name.ts`).
 */
export async function storeScanReport(
	registryDir: string,
	id: string,
	commit: string,
	report: ScanReport,
): Promise<string | undefined> {
	const name = scanReportName(id, commit);
	if (name === undefined) return undefined;
	const path = join(registryDir, ...name.split('/'));
	await mkdir(join(registryDir, SCAN_REPORTS_DIR, id), { recursive: true });
	const stored: ScanReport = { ...report, root: `${id}@${commit}` };
	await writeFileAtomic(path, `${JSON.stringify(stored, null, 1)}\n`);
	return name;
}
