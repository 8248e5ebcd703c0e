/**
 * The publisher renews the timestamp before clients stop trusting it. It reads the expiry by
 * the clients' rule (`expiryTime`): an expiry they count as expired must be due here too,
 * not read by `new Date` as a date years away.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openServiceDb } from '../../src/db/open.ts';
import { publishedTimestampExpiry, TIMESTAMP_PATH } from '../../src/publish/timestamp-expiry.ts';

function timestampBytes(expires: string): Uint8Array {
	const signed = {
		_type: 'timestamp',
		spec_version: '1.0.31',
		version: 1,
		expires,
		meta: { 'snapshot.json': { version: 1 } },
	};
	return Buffer.from(JSON.stringify({ signatures: [], signed }));
}

test('a timestamp expiry clients cannot read is due for renewal', async () => {
	const dir = await mkdtemp(join(tmpdir(), 'vouch-ts-expiry-'));
	const service = await openServiceDb({ dataDir: dir });
	try {
		const cases: [string, number | undefined][] = [
			['2030-01-01T00:00:00Z', Date.parse('2030-01-01T00:00:00Z')],
			// Read by `new Date` as a real day; clients refuse it as not TUF's form.
			['2099-01-01', undefined],
			['never', undefined],
		];
		for (const [expires, expected] of cases) {
			await service.db.deleteFrom('repo_files').execute();
			await service.db
				.insertInto('repo_files')
				.values({
					path: TIMESTAMP_PATH,
					bytes: timestampBytes(expires),
					sha256: '0'.repeat(64),
					immutable: 0,
					publish_id: 1,
					updated_at: '2026-01-01T00:00:00Z',
				})
				.execute();
			assert.equal((await publishedTimestampExpiry(service.db))?.getTime(), expected, expires);
		}
	} finally {
		await service.close();
		await rm(dir, { recursive: true, force: true });
	}
});
