import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { scanReportName, storeScanReport } from '../../../src/lifecycle/review/scan-reports.ts';
import type { ScanReport } from '../../../src/scan/types.ts';
import { makeTempDir } from '../../helpers/temp.ts';

const COMMIT = 'a'.repeat(40);

describe('scan reports beside the registry', () => {
	it('named by id and full commit', () => {
		assert.equal(scanReportName('replaygain2', COMMIT), `scan-reports/replaygain2/${COMMIT}.json`);
	});

	it('an id or commit that could leave the directory names no file', async () => {
		for (const id of ['..', '../x', 'a/b', 'A', 'x\\y', '', '-x']) {
			assert.equal(scanReportName(id, COMMIT), undefined, id);
		}
		for (const commit of ['HEAD', `${COMMIT}/..`, 'abc', `${COMMIT.slice(1)}g`]) {
			assert.equal(scanReportName('ok', commit), undefined, commit);
		}
		const dir = makeTempDir('vouch-reports-');
		const stored = await storeScanReport(dir, '../escape', COMMIT, {} as ScanReport);
		assert.equal(stored, undefined);
		assert.deepEqual(readdirSync(dir), []);
	});
});
