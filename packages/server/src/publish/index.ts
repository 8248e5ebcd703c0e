/** What the service composition needs to run the publisher (D19, D28). */
export {
	createLease,
	DEFAULT_LEASE_MS,
	type Lease,
	type LeaseGrant,
	PUBLISHER_LEASE,
} from './lease.ts';
export type { PublishOutcome } from './publish-step.ts';
export {
	createPublisher,
	type PublishedOutcome,
	type Publisher,
	type PublisherEvent,
	type PublisherOptions,
} from './publisher.ts';
export { isImmutablePath } from './repo-paths.ts';
export { TIMESTAMP_PATH } from './timestamp-expiry.ts';
