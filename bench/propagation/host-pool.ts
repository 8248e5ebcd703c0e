/**
 * The simulated hosts, spread over worker threads (each an event loop of its own, so the
 * hosts use every core the machine has beside the service). The workers run the TypeScript
 * sources through tsx, registered inside each worker: Node 20 does not carry the parent's
 * `--import` loader into a worker's own entry module. Under the test suite, whose build puts
 * the plain JavaScript of `host-worker.ts` beside it, they run that instead: tsx's hooks would
 * cost each worker about three times the CPU of loading the library.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PluginIdentity } from '../../packages/library/src/blacklist/types.ts';
import type { HostWorkerData } from './host-worker.ts';
import type { Enforcement, HostTraffic } from './simulated-host.ts';
import type { FromWorker, ToWorker } from './worker-messages.ts';

export interface HostPoolOptions {
	hosts: number;
	workers: number;
	hostsDir: string;
	shippedRootPath: string;
	serviceUrl: string;
	plugin: PluginIdentity;
	pollMs: number;
	startConcurrency: number;
}

export interface HostPool {
	/** Resolves once every host made its first refresh. */
	ready: Promise<void>;
	/** Every host starts polling, at a random phase within one interval. */
	poll(): void;
	/** Hosts that have enforced so far, by host index. */
	enforcements: ReadonlyMap<number, Enforcement>;
	/** Resolves when `count` hosts have enforced. */
	enforced(count: number): Promise<void>;
	/** Stops every host and returns each one's traffic. */
	stop(): Promise<HostTraffic[]>;
}

export function startHostPool(options: HostPoolOptions): HostPool {
	const entry = workerEntry();
	const enforcements = new Map<number, Enforcement>();
	const waiters: { count: number; resolve: () => void }[] = [];
	const traffic: HostTraffic[] = [];
	let failure: ((error: Error) => void) | undefined;
	const failed = new Promise<never>((_, reject) => {
		failure = reject;
	});
	failed.catch(() => {});

	const workerCount = Math.max(1, Math.min(options.workers, options.hosts));
	const workers: Worker[] = [];
	const readies: Promise<void>[] = [];
	const stops: ((hosts: HostTraffic[]) => void)[] = [];
	for (let w = 0; w < workerCount; w++) {
		const hosts: number[] = [];
		for (let h = w; h < options.hosts; h += workerCount) hosts.push(h);
		const data: HostWorkerData = {
			worker: w,
			hosts,
			hostsDir: options.hostsDir,
			shippedRootPath: options.shippedRootPath,
			serviceUrl: options.serviceUrl,
			plugin: options.plugin,
			pollMs: options.pollMs,
			startConcurrency: options.startConcurrency,
		};
		const worker = new Worker(entry.script, {
			eval: entry.eval,
			workerData: data,
			execArgv: ['--conditions=vouch-source'],
		});
		workers.push(worker);
		readies.push(
			new Promise<void>((resolve) => {
				worker.on('message', (message: FromWorker) => {
					if (message.type === 'ready') resolve();
					else if (message.type === 'enforced') {
						const { type: _, host, ...enforcement } = message;
						enforcements.set(host, enforcement);
						for (const waiter of waiters) {
							if (enforcements.size >= waiter.count) waiter.resolve();
						}
					} else if (message.type === 'traffic') {
						stops[w]?.(message.hosts);
					} else failure?.(new Error(`host worker ${w} failed: ${message.message}`));
				});
				worker.on('error', (error) => failure?.(error));
			}),
		);
	}

	return {
		ready: Promise.race([Promise.all(readies).then(() => undefined), failed]),
		poll() {
			for (const worker of workers) worker.postMessage({ type: 'poll' } satisfies ToWorker);
		},
		enforcements,
		enforced(count) {
			if (enforcements.size >= count) return Promise.resolve();
			return Promise.race([
				new Promise<void>((resolve) => waiters.push({ count, resolve })),
				failed,
			]);
		},
		async stop() {
			const collected = workers.map(
				(worker, w) =>
					new Promise<HostTraffic[]>((resolve) => {
						stops[w] = resolve;
						worker.postMessage({ type: 'stop' } satisfies ToWorker);
					}),
			);
			try {
				for (const hosts of await Promise.race([Promise.all(collected), failed])) {
					traffic.push(...hosts);
				}
				return traffic;
			} finally {
				await Promise.all(workers.map((worker) => worker.terminate()));
			}
		},
	};
}

/** The worker's script: the transpiled file beside this one if there is one, else tsx. */
function workerEntry(): { script: string | URL; eval: boolean } {
	const transpiled = new URL('./host-worker.js', import.meta.url);
	if (existsSync(fileURLToPath(transpiled))) return { script: transpiled, eval: false };
	const tsx = import.meta.resolve('tsx/esm/api');
	const entry = new URL('./host-worker.ts', import.meta.url).href;
	return {
		script: `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`,
		eval: true,
	};
}
