/**
 * A worker's side of `serve --workers`: the process count the primary reports (for the health
 * check), publishes told to and by the others, and the primary's word to stop.
 */
import { asClusterMessage, LEAD_WORKER_ENV } from './messages.ts';

export interface WorkerLink {
	/** Whether this worker runs the process-wide jobs. */
	readonly lead: boolean;
	/** Workers serving the port, as the primary last said. */
	processes(): number;
	/** Tell the other workers that this one published. */
	published(): void;
	/** Called when another worker published. */
	onOtherPublished(listener: () => void): void;
	/** Resolves when the primary says stop, or is gone. */
	readonly stopped: Promise<void>;
	/** Closes the channel to the primary (the worker's last act). */
	leave(): void;
}

export function joinPrimary(env: Readonly<Record<string, string | undefined>>): WorkerLink {
	let count = 1;
	const listeners: (() => void)[] = [];
	let stop: () => void = () => {};
	const stopped = new Promise<void>((resolve) => {
		stop = resolve;
	});
	process.on('message', (raw: unknown) => {
		const message = asClusterMessage(raw);
		if (message?.type === 'vouch:processes') count = message.count;
		else if (message?.type === 'vouch:published') for (const listener of listeners) listener();
		else if (message?.type === 'vouch:stop') stop();
	});
	// The primary died: nobody would stop or replace this worker any more.
	process.once('disconnect', () => stop());
	// Ctrl+C and a service manager's SIGTERM reach every process of the group at once; the
	// primary alone decides, or it would take workers stopping on their own for workers dying.
	const ignore = () => {};
	process.on('SIGINT', ignore);
	process.on('SIGTERM', ignore);
	return {
		lead: env[LEAD_WORKER_ENV] === '1',
		processes: () => count,
		published() {
			if (process.connected) process.send?.({ type: 'vouch:published' }, undefined, {}, () => {});
		},
		onOtherPublished(listener) {
			listeners.push(listener);
		},
		stopped,
		leave() {
			if (process.connected) process.disconnect();
		},
	};
}
