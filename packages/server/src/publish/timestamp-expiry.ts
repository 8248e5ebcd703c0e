/**
 * When the published timestamp metadata expires. Clients refuse an expired timestamp (and,
 * through D1, stop installing), so the publisher signs a new one well before then even when
 * nothing changed. Read from the stored `timestamp.json`, bounded like any metadata.
 */
import {
	decodeMetadata,
	expiryTime,
	METADATA_MAX_BYTES,
} from '@vouch/library/internal/tuf/metadata';
import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';

export const TIMESTAMP_PATH = 'metadata/timestamp.json';

/** The stored timestamp's expiry; undefined before the first publish or when unreadable. */
export async function publishedTimestampExpiry(
	db: Kysely<ServiceDatabase>,
): Promise<Date | undefined> {
	const row = await db
		.selectFrom('repo_files')
		.select('bytes')
		.where('path', '=', TIMESTAMP_PATH)
		.executeTakeFirst();
	if (row === undefined || row.bytes.byteLength > METADATA_MAX_BYTES.timestamp) return undefined;
	try {
		// Read as clients read it: an expiry they count as expired is due now, whatever
		// `new Date` would make of it.
		const expires = expiryTime(decodeMetadata('timestamp', Buffer.from(row.bytes)).signed.expires);
		return expires === undefined ? undefined : new Date(expires);
	} catch {
		// An unreadable timestamp is as good as an expired one: the next publish replaces it.
		return undefined;
	}
}
