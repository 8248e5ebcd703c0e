/**
 * Scanning a large plugin on every core: a pool of worker threads (`scan-worker.ts`), each with
 * its own engine, beside a lane in this thread.
 *
 * Starting a worker costs about as much as scanning a hundred small files (loading the grammars
 * and compiling the rules once more), and most plugins are a handful of files. So every scan
 * starts in this thread, and the workers are started only once this thread has spent
 * `spawnAfterMs` scanning: a small plugin never pays for them, and a large one is scanned here
 * until they are ready. This thread stops taking files as soon as a worker is ready, so that it
 * stays free for what runs beside the scan (install's digest and git checks). A process that
 * scans again (a host, the registry service, a benchmark) keeps its ready workers.
 *
 * Fail safe:
 * - a worker that cannot start (a loader that does not reach worker threads, a grammar that
 *   does not load) leaves every file to this thread, as if there were no pool;
 * - a worker that dies while scanning a file (out of memory, a parser fault) fails that file's
 *   scan, as the same fault in this thread would; the scan then counts as failed;
 * - a worker silent well past a file's own time bound is ended, and the file counts as timed
 *   out, which the report shows as not scanned.
 * Idle workers do not keep the process alive.
 */
import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type ScanErrorCode, scanError } from '../errors.ts';
import { defaultScanEngine } from './engine.ts';
import { countLines, type SourceScanResult } from './scan-source.ts';
import type { WorkerReply, WorkerTask } from './scan-worker.ts';
import { inThreadRunner, type SourceScanRequest, type SourceScanRunner } from './source-runner.ts';

/** The worker module beside this one: `.ts` when run from source, `.js` when built. */
const WORKER_FILE = new URL(
	`./scan-worker${extname(fileURLToPath(import.meta.url))}`,
	import.meta.url,
);

/** How long past a file's own bound a worker may stay silent before it is ended. */
const WATCHDOG_GRACE_MS = 5_000;
/** A worker that is not ready by then is taken for one that cannot start. */
const STARTUP_TIMEOUT_MS = 60_000;
/** The V8 heap of one worker: a file that makes the rules hold more ends only its worker. */
const WORKER_HEAP_MB = 512;
const MAX_WORKERS = 4;

const SCAN_CODES: ReadonlySet<string> = new Set<ScanErrorCode>([
	'SCAN_ENGINE_UNAVAILABLE',
	'SCAN_FILE_FAILED',
	'SCAN_INVALID_OPTION',
]);

export interface ScanWorkerPoolOptions {
	/** Worker threads at most. */
	size: number;
	/** The runner of this thread's lane (an engine loaded here). */
	mainLane: () => Promise<SourceScanRunner>;
	/** Milliseconds of scanning in this thread after which the workers are started. */
	spawnAfterMs: number;
	/** The worker module; tests pass one that misbehaves. */
	workerFile?: URL;
	/** How long past a file's own bound a worker may stay silent. Default 5 s. */
	watchdogGraceMs?: number;
}

export interface ScanWorkerPool extends SourceScanRunner {
	/** Ready workers now. */
	readyWorkers(): number;
	/** Starts the workers now, whatever has been scanned here. */
	start(): void;
	/** Once a worker is ready (true), or workers turn out unable to run here (false). */
	started(): Promise<boolean>;
	/** Files scanned so far by the workers and in this thread. */
	counts(): { workers: number; here: number };
	/** Ends every worker; scans still queued run in this thread. */
	close(): Promise<void>;
}

interface Job {
	id: number;
	request: SourceScanRequest;
	resolve(result: SourceScanResult): void;
	reject(error: unknown): void;
}

interface Slot {
	worker: Worker;
	ready: boolean;
	/** Set once it has ended or been ended: its events are then ignored. */
	gone: boolean;
	job: Job | undefined;
	timer: NodeJS.Timeout | undefined;
}

export function createScanWorkerPool(options: ScanWorkerPoolOptions): ScanWorkerPool {
	const workerFile = options.workerFile ?? WORKER_FILE;
	const queue: Job[] = [];
	let slots: Slot[] = [];
	let nextId = 1;
	/** Workers cannot run here: everything stays in this thread. */
	let unusable = false;
	let spawned = false;
	let mainBusy = false;
	let mainMs = 0;
	const scanned = { workers: 0, here: 0 };
	const waiting: ((ready: boolean) => void)[] = [];
	const tell = (ready: boolean) => {
		for (const resolve of waiting.splice(0)) resolve(ready);
		holdOpen();
	};

	const ready = () => slots.filter((slot) => slot.ready && !slot.gone);

	const spawn = () => {
		if (spawned || unusable) return;
		spawned = true;
		for (let index = 0; index < options.size; index++) {
			let worker: Worker;
			try {
				worker = new Worker(entryOf(workerFile), {
					resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
				});
			} catch {
				giveUp();
				return;
			}
			const slot: Slot = { worker, ready: false, gone: false, job: undefined, timer: undefined };
			slots.push(slot);
			const startup = setTimeout(() => {
				if (!slot.ready) ended(slot, 'it did not start');
			}, STARTUP_TIMEOUT_MS);
			startup.unref();
			worker.on('message', (reply: WorkerReply) => answered(slot, reply));
			worker.on('error', (error: Error) => ended(slot, error.message));
			worker.on('exit', (code) => ended(slot, `it exited with code ${code}`));
			// After the listeners: adding one refs the worker's port again.
			worker.unref();
		}
	};

	/** Workers cannot start here: the ones that did are ended, and this thread scans alone. */
	const giveUp = () => {
		unusable = true;
		tell(false);
		for (const slot of slots) {
			slot.gone = true;
			if (slot.timer !== undefined) clearTimeout(slot.timer);
			if (slot.job !== undefined) queue.unshift(slot.job);
			slot.job = undefined;
			void slot.worker.terminate();
		}
		slots = [];
		pump();
	};

	const settle = (slot: Slot): Job | undefined => {
		const job = slot.job;
		slot.job = undefined;
		if (slot.timer !== undefined) clearTimeout(slot.timer);
		slot.timer = undefined;
		return job;
	};

	const answered = (slot: Slot, reply: WorkerReply) => {
		if (slot.gone) return;
		if (reply.kind === 'ready') {
			slot.ready = true;
			tell(true);
		} else if (reply.kind === 'unavailable') {
			giveUp();
			return;
		} else if (slot.job?.id === reply.id) {
			const job = settle(slot) as Job;
			if (reply.kind === 'result') {
				scanned.workers++;
				job.resolve(reply.result);
			} else {
				const code =
					reply.code !== undefined && SCAN_CODES.has(reply.code)
						? (reply.code as ScanErrorCode)
						: 'SCAN_FILE_FAILED';
				job.reject(scanError(code, reply.message));
			}
		}
		pump();
	};

	const ended = (slot: Slot, why: string) => {
		if (slot.gone) return;
		slot.gone = true;
		slots = slots.filter((other) => other !== slot);
		if (!slot.ready) {
			// It never became ready: the fault is the worker's, not a file's.
			if (slot.job !== undefined) queue.unshift(slot.job);
			slot.job = undefined;
			void slot.worker.terminate();
			giveUp();
			return;
		}
		const job = settle(slot);
		void slot.worker.terminate();
		if (job !== undefined) {
			job.reject(
				scanError(
					'SCAN_FILE_FAILED',
					`Scanning ${job.request.path} ended the scanner thread (${why}).`,
					{ hint: 'The file may be built to exhaust the scanner: treat it as unscanned.' },
				),
			);
		}
		// A ready worker lost to one file is replaced, so the rest of the scan keeps its pace.
		spawned = false;
		if (queue.length > 0) spawn();
		pump();
	};

	const watchdog = (slot: Slot, job: Job) => {
		if (slot.job !== job || slot.gone) return;
		slot.gone = true;
		slots = slots.filter((other) => other !== slot);
		settle(slot);
		void slot.worker.terminate();
		job.resolve({ status: 'timeout', findings: [], lines: countLines(job.request.text) });
		spawned = false;
		if (queue.length > 0) spawn();
		pump();
	};

	const runHere = async (job: Job) => {
		mainBusy = true;
		try {
			const lane = await options.mainLane();
			const started = performance.now();
			try {
				job.resolve(await lane.run(job.request));
				scanned.here++;
			} finally {
				mainMs += performance.now() - started;
			}
		} catch (error) {
			job.reject(error);
		} finally {
			mainBusy = false;
		}
		if (mainMs >= options.spawnAfterMs) spawn();
		// Lets a worker's "ready" through before this thread takes another file.
		setImmediate(pump);
	};

	/** The workers keep the process alive only while something waits on them. */
	const holdOpen = () => {
		const awaited = queue.length > 0 || waiting.length > 0 || slots.some((slot) => slot.job);
		for (const slot of slots) {
			if (awaited) slot.worker.ref();
			else slot.worker.unref();
		}
	};

	const pump = () => {
		assign();
		holdOpen();
	};

	const assign = () => {
		for (const slot of ready()) {
			if (slot.job !== undefined) continue;
			const job = queue.shift();
			if (job === undefined) return;
			slot.job = job;
			slot.timer = setTimeout(
				() => watchdog(slot, job),
				job.request.timeoutMs + (options.watchdogGraceMs ?? WATCHDOG_GRACE_MS),
			);
			slot.worker.postMessage({ kind: 'scan', id: job.id, request: job.request } as WorkerTask);
		}
		if (queue.length === 0 || mainBusy) return;
		if (ready().length > 0) return;
		const job = queue.shift() as Job;
		void runHere(job);
	};

	return {
		get concurrency() {
			return unusable ? 1 : options.size + 1;
		},
		run(request) {
			return new Promise<SourceScanResult>((resolve, reject) => {
				queue.push({ id: nextId++, request, resolve, reject });
				pump();
			});
		},
		readyWorkers: () => ready().length,
		counts: () => ({ ...scanned }),
		start: spawn,
		started() {
			if (unusable) return Promise.resolve(false);
			if (ready().length > 0) return Promise.resolve(true);
			const answer = new Promise<boolean>((resolve) => waiting.push(resolve));
			holdOpen();
			return answer;
		},
		async close() {
			const ending = slots;
			slots = [];
			spawned = false;
			for (const slot of ending) {
				slot.gone = true;
				const job = settle(slot);
				if (job !== undefined) queue.unshift(job);
			}
			await Promise.all(ending.map((slot) => slot.worker.terminate()));
			pump();
		},
	};
}

/**
 * What a worker thread runs. The built module as it is; run from TypeScript source (this
 * repository's benchmarks), Node 20 does not carry this process's TypeScript loader into
 * worker threads, so the worker registers it before loading the module. Where no such loader
 * is installed this throws, and the pool leaves every file to this thread.
 */
function entryOf(file: URL): URL {
	if (!file.pathname.endsWith('.ts')) return file;
	const loader = import.meta.resolve('tsx/esm/api');
	const source = [
		`const { register } = await import(${JSON.stringify(loader)});`,
		'register();',
		`await import(${JSON.stringify(file.href)});`,
	].join('\n');
	return new URL(`data:text/javascript,${encodeURIComponent(source)}`);
}

/** Workers for this machine: one per core, at most `MAX_WORKERS`. */
export function defaultPoolSize(): number {
	return Math.max(1, Math.min(MAX_WORKERS, availableParallelism()));
}

/** This thread scans alone for this long before the workers are started (see above). */
const SPAWN_AFTER_MS = 100;

let shared: ScanWorkerPool | undefined;

/** One pool per process, its lane in this thread on the shared engine. */
export function sharedScanPool(): ScanWorkerPool {
	shared ??= createScanWorkerPool({
		size: defaultPoolSize(),
		mainLane: async () => inThreadRunner(await defaultScanEngine(), () => performance.now()),
		spawnAfterMs: SPAWN_AFTER_MS,
	});
	return shared;
}
