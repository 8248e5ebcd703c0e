/**
 * A worker thread running a share of the simulated hosts in its own event loop. The main thread
 * tells it when to start polling and when to stop; it reports each host that enforces the new
 * blacklist entry at once, and every host's traffic at the end.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { PluginIdentity } from '../../packages/library/src/blacklist/types.ts';
import { seededRandom } from '../synthetic.ts';
import { createSimulatedHost, type SimulatedHost } from './simulated-host.ts';
import type { FromWorker, ToWorker } from './worker-messages.ts';

export interface HostWorkerData {
	worker: number;
	/** Global indexes of this worker's hosts. */
	hosts: number[];
	hostsDir: string;
	shippedRootPath: string;
	serviceUrl: string;
	plugin: PluginIdentity;
	pollMs: number;
	/** First refreshes run this many at a time, so start-up does not swamp the service. */
	startConcurrency: number;
}

const START_ATTEMPTS = 3;
const data = workerData as HostWorkerData;
const port = parentPort;
if (port === null) throw new Error('host-worker.ts runs as a worker thread');
const send = (message: FromWorker) => port.postMessage(message);

const hosts = new Map<number, SimulatedHost>();

async function startHosts(): Promise<void> {
	const queue = [...data.hosts];
	const startOne = async (index: number) => {
		const dir = join(data.hostsDir, `host-${index}`);
		await mkdir(dir, { recursive: true });
		// Each host ships its own copy of root 1, as each installation does.
		const rootPath = join(dir, 'root.json');
		await copyFile(data.shippedRootPath, rootPath);
		const host = createSimulatedHost({
			dir,
			shippedRootPath: rootPath,
			serviceUrl: data.serviceUrl,
			plugin: data.plugin,
			pollMs: data.pollMs,
			onEnforced: (enforcement) => send({ type: 'enforced', host: index, ...enforcement }),
		});
		hosts.set(index, host);
		// A first refresh can time out on a saturated machine; a real host would try again too.
		for (let attempt = 1; ; attempt++) {
			try {
				if (await host.start()) throw new Error(`host ${index} is blocked before the decision`);
				return;
			} catch (error) {
				if (attempt >= START_ATTEMPTS) throw error;
			}
		}
	};
	const lanes = Array.from({ length: Math.max(1, data.startConcurrency) }, async () => {
		for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
			await startOne(index);
		}
	});
	await Promise.all(lanes);
}

port.on('message', (message: ToWorker) => {
	if (message.type === 'poll') {
		const random = seededRandom(1000 + data.worker);
		for (const host of hosts.values()) host.poll(Math.floor(random() * data.pollMs));
	} else if (message.type === 'stop') {
		Promise.all([...hosts.entries()].map(async ([index, host]) => [index, await host.stop()]))
			.then((traffic) =>
				send({
					type: 'traffic',
					hosts: traffic.map(([index, figures]) => ({
						host: index as number,
						...(figures as Awaited<ReturnType<SimulatedHost['stop']>>),
					})),
				}),
			)
			.catch((error: unknown) => send({ type: 'failed', message: String(error) }));
	}
});

startHosts().then(
	() => send({ type: 'ready', hosts: data.hosts.length }),
	(error: unknown) =>
		send({
			type: 'failed',
			message: error instanceof Error ? (error.stack ?? error.message) : String(error),
		}),
);
