/**
 * The primary process of `serve --workers N`: it serves nothing itself. It forks N workers that
 * all listen on the one port (node:cluster hands each new connection to a worker in turn),
 * tells them how many are serving, relays a publish from one to the others, replaces a worker
 * that dies (within a restart budget), and on SIGINT or SIGTERM stops them all and waits.
 *
 * One worker, the lead, also runs the process-wide jobs (following a registry repository); a
 * replacement for the lead becomes the lead.
 */
import cluster, { type Worker } from 'node:cluster';
import { serverError } from '../errors.ts';
import { asClusterMessage, type ClusterMessage, LEAD_WORKER_ENV } from './messages.ts';
import {
	createRestartBudget,
	DEFAULT_RESTART_BUDGET,
	type RestartBudget,
} from './restart-budget.ts';

export interface PrimaryOptions {
	count: number;
	/** Resolves when the service should stop (SIGINT or SIGTERM). */
	untilStopped: () => Promise<void>;
	/** Once every first worker listens: the port they share and their process ids. */
	onListening: (listening: { port: number; pids: number[] }) => void;
	/** Workers replaced, and why; lines for the operator. */
	log: (line: string) => void;
	restartBudget?: RestartBudget;
	/** Added to every worker's environment: what all of them must share (the client-key secret). */
	workerEnv?: Readonly<Record<string, string>>;
}

export async function runPrimary(options: PrimaryOptions): Promise<void> {
	const budget = options.restartBudget ?? createRestartBudget(DEFAULT_RESTART_BUDGET);
	const live = new Map<number, Worker>();
	const listening = new Set<number>();
	let leadId: number | undefined;
	let started = false;
	let stopping = false;
	let failure: Error | undefined;
	let allExited: () => void = () => {};
	const exited = new Promise<void>((resolve) => {
		allExited = resolve;
	});
	let failed: (error: Error) => void = () => {};
	const failedEarly = new Promise<never>((_, reject) => {
		failed = reject;
	});
	failedEarly.catch(() => {});

	const send = (worker: Worker, message: ClusterMessage) => {
		if (worker.isConnected()) worker.send(message, () => {});
	};
	const tellCount = () => {
		for (const worker of live.values()) {
			send(worker, { type: 'vouch:processes', count: listening.size });
		}
	};
	const fork = (lead: boolean): Worker => {
		const worker = cluster.fork({
			...options.workerEnv,
			...(lead ? { [LEAD_WORKER_ENV]: '1' } : {}),
		});
		live.set(worker.id, worker);
		if (lead) leadId = worker.id;
		worker.on('message', (raw: unknown) => {
			if (asClusterMessage(raw)?.type !== 'vouch:published') return;
			for (const other of live.values()) {
				if (other.id !== worker.id) send(other, { type: 'vouch:published' });
			}
		});
		return worker;
	};
	const stopAll = () => {
		stopping = true;
		if (live.size === 0) allExited();
		for (const worker of live.values()) {
			if (worker.isConnected()) send(worker, { type: 'vouch:stop' });
			else worker.process.kill('SIGTERM');
		}
	};

	const onListening = (worker: Worker, address: { port: number }) => {
		// A worker still loading when told to stop had no ear for it yet; it has one now.
		if (stopping) {
			send(worker, { type: 'vouch:stop' });
			return;
		}
		listening.add(worker.id);
		tellCount();
		if (!started && listening.size === options.count) {
			started = true;
			options.onListening({
				port: address.port,
				pids: [...live.values()].map((each) => each.process.pid ?? 0),
			});
		}
	};
	const onExit = (worker: Worker, code: number | null, signal: string | null) => {
		live.delete(worker.id);
		listening.delete(worker.id);
		const pid = worker.process.pid;
		const how = signal === null ? `exit code ${code}` : `signal ${signal}`;
		if (stopping) {
			if (live.size === 0) allExited();
			return;
		}
		tellCount();
		if (!started) {
			failure = serverError('WORKERS_FAILED', `A worker process ended (${how}) while starting.`, {
				hint: 'Its own error is printed above; fix that and start again.',
			});
			stopAll();
			failed(failure);
			return;
		}
		if (budget.take()) {
			const next = fork(worker.id === leadId);
			options.log(`worker ${pid} ended (${how}); started worker ${next.process.pid} in its place`);
			return;
		}
		options.log(
			`worker ${pid} ended (${how}); workers are ending too often, so it is not replaced`,
		);
		if (live.size === 0) {
			failure = serverError('WORKERS_FAILED', 'Every worker process ended, too often to replace.', {
				hint: 'Their errors are printed above.',
			});
			stopAll();
			failed(failure);
		}
	};

	cluster.on('listening', onListening);
	cluster.on('exit', onExit);
	try {
		for (let i = 0; i < options.count; i++) fork(i === 0);
		try {
			await Promise.race([options.untilStopped(), failedEarly]);
		} catch {
			// A failure: every worker is being stopped already.
		}
		stopAll();
		await exited;
		if (failure !== undefined) throw failure;
	} finally {
		cluster.off('listening', onListening);
		cluster.off('exit', onExit);
	}
}
