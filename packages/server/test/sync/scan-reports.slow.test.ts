import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isVouchError } from '@vouch/library';
import { MAX_SCAN_REPORT_BYTES } from '@vouch/library/internal/registry/review/report-name';
import { openServiceDb } from '../../src/db/open.ts';
import { scanReportsOf } from '../../src/store/plugin-queries.ts';
import { createRegistryStore } from '../../src/store/registry-store.ts';
import {
	importScanReports,
	refNameOf,
	storedScanReports,
	storeScanReport,
} from '../../src/sync/scan-reports.ts';
import { forEachEngine } from '../engines.ts';
import { clock, LISTED_ID, REAL_TOML, SYNC_ACTOR, scanReportText } from './fixtures.ts';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);

describe('scan reports in the database', () => {
	it('imports the usable reports of a directory, skips and names the rest, keeps the exact text', async (t) => {
		await forEachEngine(t, async ({ options, dir }) => {
			const database = await openServiceDb(options);
			try {
				await createRegistryStore({ database, clock }).importText(
					REAL_TOML,
					SYNC_ACTOR,
					'first import',
				);
				const reports = join(dir, 'registry', 'scan-reports');
				const listed = join(reports, LISTED_ID);
				mkdirSync(listed, { recursive: true });
				const good = scanReportText(LISTED_ID, A).replace('\n "scanner"', '\n\n "scanner"');
				writeFileSync(join(listed, `${A}.json`), good);
				writeFileSync(join(listed, `${B}.json`), 'not json');
				writeFileSync(join(listed, `${C}.json`), ' '.repeat(MAX_SCAN_REPORT_BYTES + 1));
				writeFileSync(join(listed, 'HEAD.json'), scanReportText(LISTED_ID, A));
				writeFileSync(join(dir, 'elsewhere.json'), scanReportText(LISTED_ID, A));
				symlinkSync(join(dir, 'elsewhere.json'), join(listed, `${'d'.repeat(40)}.json`));
				mkdirSync(join(reports, 'unknown-plugin'));
				writeFileSync(
					join(reports, 'unknown-plugin', `${A}.json`),
					scanReportText('unknown-plugin', A),
				);

				const imported = await importScanReports(database, join(dir, 'registry'), { clock });
				assert.equal(imported.stored, 1);
				assert.equal(imported.skipped.length, 5, imported.skipped.join('\n'));
				const stored = await scanReportsOf(database.db, LISTED_ID);
				assert.equal(stored.length, 1);
				assert.equal(stored[0]?.commit, A);
				assert.deepEqual(await storedScanReports(database), [
					{ name: `scan-reports/${LISTED_ID}/${A}.json`, text: good },
				]);
				// Importing again replaces, never duplicates.
				assert.equal(
					(await importScanReports(database, join(dir, 'registry'), { clock })).stored,
					1,
				);
				assert.equal((await storedScanReports(database)).length, 1);
				// A directory without reports imports nothing.
				assert.deepEqual(await importScanReports(database, join(dir, 'nothing-here')), {
					stored: 0,
					skipped: [],
				});
			} finally {
				await database.close();
			}
		});
	});

	it('stores a report in the form registry review writes, and refuses names that are not an id and a commit', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const database = await openServiceDb(options);
			try {
				const report = JSON.parse(scanReportText(LISTED_ID, A));
				report.root = '/tmp/vouch-review-123';
				const name = await storeScanReport(database, LISTED_ID, B, report, clock);
				assert.equal(name, `scan-reports/${LISTED_ID}/${B}.json`);
				const [stored] = await storedScanReports(database);
				assert.equal(stored?.text, scanReportText(LISTED_ID, B));
				for (const [id, commit] of [
					['../etc', B],
					[LISTED_ID, 'HEAD'],
					[LISTED_ID, B.slice(0, 12)],
					['Bad Id', B],
				] as const) {
					await assert.rejects(
						storeScanReport(database, id, commit, report, clock),
						(error: unknown) => isVouchError(error) && error.code === 'BAD_REQUEST',
					);
				}
			} finally {
				await database.close();
			}
		});
	});

	it('takes the ref from the root only when the root names the plugin', () => {
		assert.equal(refNameOf('foo', { root: `foo@${A}` }), A);
		assert.equal(refNameOf('foo', { root: 'foo@v1.2' }), 'v1.2');
		assert.equal(refNameOf('foo', { root: 'bar@v1.2' }), 'unknown');
		assert.equal(refNameOf('foo', { root: '/tmp/x' }), 'unknown');
		assert.equal(refNameOf('foo', { root: 'foo@' }), 'unknown');
		assert.equal(refNameOf('foo', null), 'unknown');
		// Terminal escapes in a root never reach a page or a log.
		assert.equal(refNameOf('foo', { root: 'foo@\u001b[31mred' }), 'red');
	});
});
