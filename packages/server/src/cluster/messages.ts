/**
 * What the primary and its workers tell each other over the cluster's IPC channel. Nothing here
 * is trusted for more than it says: a malformed message is ignored.
 */
export type ClusterMessage =
	/** Primary → worker: how many workers are serving the port now. */
	| { type: 'vouch:processes'; count: number }
	/** Worker → primary, and primary → the other workers: this worker committed a publish. */
	| { type: 'vouch:published' }
	/** Primary → worker: close and exit. */
	| { type: 'vouch:stop' };

export function asClusterMessage(value: unknown): ClusterMessage | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const message = value as { type?: unknown; count?: unknown };
	switch (message.type) {
		case 'vouch:processes':
			return Number.isSafeInteger(message.count) && (message.count as number) >= 0
				? { type: 'vouch:processes', count: message.count as number }
				: undefined;
		case 'vouch:published':
		case 'vouch:stop':
			return { type: message.type };
		default:
			return undefined;
	}
}

/**
 * Set in the environment of the one worker that also runs the process-wide jobs (following a
 * registry repository): two followers would share one working directory.
 */
export const LEAD_WORKER_ENV = 'VOUCH_SERVER_LEAD_WORKER';

/**
 * The key of the reporters' address hashes (spam bounds, D22). Every process of one service
 * must hash with the same key for the bounds to hold across them: the primary makes one for its
 * workers, and separate machines are given one by the operator.
 */
export const CLIENT_KEY_SECRET_ENV = 'VOUCH_SERVER_CLIENT_KEY_SECRET';
