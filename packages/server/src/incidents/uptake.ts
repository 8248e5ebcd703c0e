/**
 * Host uptake, counted in memory: which clients fetched `timestamp.json`, and the newest
 * timestamp version each one got. Per process and bounded: each service process counts the
 * clients it served (behind a load balancer, sum or read one process as a sample), the oldest
 * client is forgotten past `maxClients`, and a restart starts the count again. A client is
 * kept as a keyed hash of its address (the key is random per process and never stored), so
 * the counter holds no address a memory dump could give away.
 */
import { createHmac, randomBytes } from 'node:crypto';

export const DEFAULT_MAX_CLIENTS = 100_000;

export interface UptakeCounter {
	/** A client fetched the timestamp file of this version. */
	record(timestampVersion: number, clientAddress: string): void;
	/**
	 * The keyed hash a client is counted under. It costs an HMAC, so a caller serving many
	 * requests on one connection computes it once per connection and uses `recordClient`.
	 */
	clientKey(clientAddress: string): string;
	/** `record`, for a client already hashed by `clientKey`. */
	recordClient(timestampVersion: number, clientKey: string): void;
	/** Distinct clients whose newest fetched timestamp is at least this version. */
	clientsAtLeast(timestampVersion: number): number;
	/** Distinct clients seen (within the bound). */
	readonly clients: number;
}

export function createUptakeCounter(maxClients = DEFAULT_MAX_CLIENTS): UptakeCounter {
	const key = randomBytes(32);
	// Insertion order is recency: a client is moved to the end each time it is seen.
	const newest = new Map<string, number>();
	const clientKey = (address: string) =>
		createHmac('sha256', key).update(address).digest('base64url').slice(0, 22);
	const recordClient = (version: number, client: string) => {
		if (!Number.isSafeInteger(version) || version < 0) return;
		const before = newest.get(client);
		newest.delete(client);
		newest.set(client, Math.max(before ?? 0, version));
		while (newest.size > maxClients) {
			const oldest = newest.keys().next().value;
			if (oldest === undefined) break;
			newest.delete(oldest);
		}
	};
	return {
		record(version, address) {
			recordClient(version, clientKey(address));
		},
		clientKey,
		recordClient,
		clientsAtLeast(version) {
			let count = 0;
			for (const seen of newest.values()) if (seen >= version) count++;
			return count;
		},
		get clients() {
			return newest.size;
		},
	};
}

/** The `signed.version` of a timestamp file, or undefined when it is not one. */
export function timestampVersionOf(bytes: Uint8Array): number | undefined {
	try {
		const parsed = JSON.parse(Buffer.from(bytes).toString('utf8')) as {
			signed?: { version?: unknown };
		};
		const version = parsed.signed?.version;
		return typeof version === 'number' && Number.isSafeInteger(version) ? version : undefined;
	} catch {
		return undefined;
	}
}
