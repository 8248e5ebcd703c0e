/** The messages between the propagation bench and its host workers. */
import type { Enforcement, HostTraffic } from './simulated-host.ts';

export type ToWorker = { type: 'poll' } | { type: 'stop' };

export type FromWorker =
	| { type: 'ready'; hosts: number }
	| ({ type: 'enforced'; host: number } & Enforcement)
	| { type: 'traffic'; hosts: ({ host: number } & HostTraffic)[] }
	| { type: 'failed'; message: string };
