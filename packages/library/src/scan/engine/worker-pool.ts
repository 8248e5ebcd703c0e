/**
 * Scanning a large plugin on every core: a lane in this thread, and beside it a pool of worker
 * threads (`scan-worker.ts`), each with its own engine: one per further core.
 *
 * Starting a worker costs about as much as scanning a hundred small files (loading the grammars
 * and compiling the rules once more), and most plugins are a handful of files. So every scan
 * starts in this thread, and the workers are started only once this thread has spent
 * `spawnAfterMs` scanning: a small plugin never pays for them. This thread keeps scanning while
 * they start and after: with one worker per further core, a starting worker takes no time from
 * it, and each ready one only adds. (Measured on two cores: workers that took over from this
 * thread made a cold `vouch scan` of 200 files slower, since two of them starting up competed
 * with it for the cores.) A process that scans again (a host, the registry service, a
 * benchmark) keeps its ready workers.
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

/**
 * The worker module beside this one: `.ts` when run from source, `.js` when built. The bin's
 * bundle writes its worker entry beside its chunks, so the same relative name holds there.
 */
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
	/** Worker threads at most; 0 scans in this thread alone. */
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
	/**
	 * Its scan was aborted: it has been rejected. Kept in its worker's list until answered,
	 * since the worker scans what it was sent in order and answers are matched to the first.
	 */
	dropped: boolean;
}

interface Slot {
	worker: Worker;
	ready: boolean;
	/** Set once it has ended or been ended: its events are then ignored. */
	gone: boolean;
	/** Sent to it, in the order it scans them; the first is the one it is scanning. */
	jobs: Job[];
	/** Ends it if the first job's answer does not come. */
	timer: NodeJS.Timeout | undefined;
}

/**
 * Files sent to a worker ahead of its answers: while this thread scans a file of its own, a
 * worker's answer waits, and a worker given one file at a time would wait with it.
 */
const SENT_AHEAD = 4;

export function createScanWorkerPool(options: ScanWorkerPoolOptions): ScanWorkerPool {
	const workerFile = options.workerFile ?? WORKER_FILE;
	const graceMs = options.watchdogGraceMs ?? WATCHDOG_GRACE_MS;
	const queue: Job[] = [];
	let slots: Slot[] = [];
	let nextId = 1;
	/** Workers cannot run here: everything stays in this thread. */
	let unusable = false;
	/** Workers were asked for: one that ends is replaced. */
	let wanted = false;
	/** This thread's lane is scanning a file, or is about to. */
	let mainBusy = false;
	let mainMs = 0;
	const scanned = { workers: 0, here: 0 };
	const waiting: ((ready: boolean) => void)[] = [];
	const tell = (ready: boolean) => {
		for (const resolve of waiting.splice(0)) resolve(ready);
		holdOpen();
	};

	const ready = () => slots.filter((slot) => slot.ready && !slot.gone);

	/** Starts workers up to the pool's size. */
	const spawn = () => {
		if (unusable || options.size === 0) return;
		wanted = true;
		while (slots.length < options.size) {
			let worker: Worker;
			try {
				worker = new Worker(entryOf(workerFile), {
					resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
				});
			} catch {
				giveUp();
				return;
			}
			const slot: Slot = { worker, ready: false, gone: false, jobs: [], timer: undefined };
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

	/** Takes a worker out of the pool; the jobs it had not begun go back to the queue. */
	const remove = (slot: Slot, keepFirst: boolean): Job | undefined => {
		slot.gone = true;
		slots = slots.filter((other) => other !== slot);
		if (slot.timer !== undefined) clearTimeout(slot.timer);
		slot.timer = undefined;
		const first = keepFirst ? slot.jobs.shift() : undefined;
		queue.unshift(...slot.jobs.filter((job) => !job.dropped));
		slot.jobs = [];
		void slot.worker.terminate();
		return first;
	};

	/** Workers cannot start here: the ones that did are ended, and this thread scans alone. */
	const giveUp = () => {
		unusable = true;
		for (const slot of [...slots]) remove(slot, false);
		tell(false);
		pump();
	};

	/** Watches the job the worker is on now: its own bound, and the grace past it. */
	const arm = (slot: Slot) => {
		if (slot.timer !== undefined) clearTimeout(slot.timer);
		slot.timer = undefined;
		const current = slot.jobs[0];
		if (current === undefined) return;
		// Timers run before the event loop reads the workers' messages: after this thread was
		// busy (its own lane's file), an answer may be waiting unread. The watchdog acts only
		// once that has been read, so a worker that did answer in time is not taken as silent.
		slot.timer = setTimeout(
			() => setImmediate(() => watchdog(slot, current)),
			current.request.timeoutMs + graceMs,
		);
	};

	const answered = (slot: Slot, reply: WorkerReply) => {
		if (slot.gone) return;
		if (reply.kind === 'ready') {
			slot.ready = true;
			tell(true);
		} else if (reply.kind === 'unavailable') {
			giveUp();
			return;
		} else if (slot.jobs[0]?.id === reply.id) {
			const job = slot.jobs.shift() as Job;
			arm(slot);
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
		if (!slot.ready) {
			// It never became ready: the fault is the worker's, not a file's.
			remove(slot, false);
			giveUp();
			return;
		}
		const job = remove(slot, true);
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
		if (wanted && queue.length > 0) spawn();
		pump();
	};

	const watchdog = (slot: Slot, job: Job) => {
		if (slot.gone || slot.jobs[0] !== job) return;
		remove(slot, true);
		job.resolve({ status: 'timeout', findings: [], lines: countLines(job.request.text) });
		if (wanted && queue.length > 0) spawn();
		pump();
	};

	const runHere = async () => {
		const job = queue.shift();
		if (job === undefined) {
			mainBusy = false;
			return;
		}
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
		if (mainMs >= options.spawnAfterMs && !wanted) spawn();
		// Lets the workers' answers through before this thread takes another file.
		setImmediate(pump);
	};

	/** The workers keep the process alive only while something waits on them. */
	const holdOpen = () => {
		const awaited =
			queue.length > 0 ||
			waiting.length > 0 ||
			slots.some((slot) => slot.jobs.some((job) => !job.dropped));
		for (const slot of slots) {
			if (awaited) slot.worker.ref();
			else slot.worker.unref();
			// A worker still on a dropped file is watched, but not waited for.
			if (awaited) slot.timer?.ref();
			else slot.timer?.unref();
		}
	};

	const pump = () => {
		assign();
		holdOpen();
	};

	const assign = () => {
		for (const slot of ready()) {
			while (slot.jobs.length < SENT_AHEAD) {
				const job = queue.shift();
				if (job === undefined) break;
				slot.jobs.push(job);
				if (slot.jobs.length === 1) arm(slot);
				slot.worker.postMessage({ kind: 'scan', id: job.id, request: job.request } as WorkerTask);
			}
		}
		if (queue.length === 0 || mainBusy) return;
		// From the event loop, never straight from the caller's chain of promises: that chain
		// would take file after file here without ever letting the workers' answers in, and
		// a worker with no answer read gets no new file.
		mainBusy = true;
		setImmediate(() => void runHere());
	};

	return {
		get concurrency() {
			return unusable ? 1 : options.size * SENT_AHEAD + 1;
		},
		run(request, signal) {
			return new Promise<SourceScanResult>((resolve, reject) => {
				if (signal?.aborted === true) {
					reject(signal.reason);
					return;
				}
				const drop = () => {
					job.dropped = true;
					const waitingAt = queue.indexOf(job);
					if (waitingAt >= 0) queue.splice(waitingAt, 1);
					reject(signal?.reason);
					holdOpen();
				};
				const done = () => signal?.removeEventListener('abort', drop);
				const job: Job = {
					id: nextId++,
					request,
					resolve: (result) => {
						done();
						resolve(result);
					},
					reject: (error) => {
						done();
						reject(error);
					},
					dropped: false,
				};
				signal?.addEventListener('abort', drop, { once: true });
				queue.push(job);
				pump();
			});
		},
		readyWorkers: () => ready().length,
		counts: () => ({ ...scanned }),
		start: spawn,
		started() {
			// No worker is ever started by a pool of none: waiting for one would never end.
			if (unusable || options.size === 0) return Promise.resolve(false);
			if (ready().length > 0) return Promise.resolve(true);
			const answer = new Promise<boolean>((resolve) => waiting.push(resolve));
			holdOpen();
			return answer;
		},
		async close() {
			wanted = false;
			const ending = [...slots];
			for (const slot of ending) remove(slot, false);
			// Whoever waits for a worker to be ready would otherwise wait for ever.
			tell(false);
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
export function entryOf(file: URL): URL {
	if (!file.pathname.endsWith('.ts')) return file;
	const loader = import.meta.resolve('tsx/esm/api');
	const source = [
		`const { register } = await import(${JSON.stringify(loader)});`,
		'register();',
		`await import(${JSON.stringify(file.href)});`,
	].join('\n');
	return new URL(`data:text/javascript,${encodeURIComponent(source)}`);
}

/** Workers for this machine: one per core beside this thread's, at most `MAX_WORKERS`. */
export function defaultPoolSize(): number {
	return Math.max(0, Math.min(MAX_WORKERS, availableParallelism() - 1));
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
