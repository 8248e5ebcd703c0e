/**
 * Edits a synthetic registry in a worker thread whose stack is deliberately small, and there
 * passes the same text's lines as the arguments of one call (`push(...lines)`), the way an
 * editor that scales with the stack would. On that stack the spread overflows on a registry far
 * smaller (and quicker to build and parse) than one that would overflow a normal stack, so the
 * edit shows whether the editor needs stack in proportion to the registry.
 *
 * This module is also the worker's entry: loaded in a worker started here, it does the work.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/** The worker's stack: far below Node's default, enough to load and run the editor. */
export const SMALL_STACK_MB = 0.5;

export interface SmallStackEdit {
	lines: number;
	plugins: number;
	trustLevel: string | undefined;
	categories: readonly string[] | undefined;
	/** Whether spreading the registry's lines as arguments ran out of stack. */
	spreadOverflowed: boolean;
}

interface Task {
	smallStackEdit: true;
	plugins: number;
	index: number;
}

export function editInSmallStack(plugins: number, index: number): Promise<SmallStackEdit> {
	const task: Task = { smallStackEdit: true, plugins, index };
	const worker = new Worker(entryOf(new URL(import.meta.url)), {
		workerData: task,
		resourceLimits: { stackSizeMb: SMALL_STACK_MB },
	});
	return new Promise((resolve, reject) => {
		worker.once('message', resolve);
		worker.once('error', reject);
		worker.once('exit', (code) =>
			reject(new Error(`the worker exited (${code}) without an answer`)),
		);
	});
}

/** Run from TypeScript through tsx, a worker needs the loader registered first. */
function entryOf(file: URL): URL {
	if (extname(fileURLToPath(file)) !== '.ts') return file;
	const loader = import.meta.resolve('tsx/esm/api');
	const source = [
		`const { register } = await import(${JSON.stringify(loader)});`,
		'register();',
		`await import(${JSON.stringify(file.href)});`,
	].join('\n');
	return new URL(`data:text/javascript,${encodeURIComponent(source)}`);
}

async function work(task: Task): Promise<SmallStackEdit> {
	const { syntheticRegistryToml } = await import('../../../../../bench/synthetic.ts');
	const { applyRegistryEdits } = await import('../../../src/registry/edit/apply.ts');
	const text = syntheticRegistryToml(task.plugins).replaceAll(
		'trust_level = "official"',
		'trust_level = "trusted"',
	);
	const edited = applyRegistryEdits({ text, format: 'toml', label: 'large' }, [
		{ op: 'set-plugin-key', index: task.index, key: 'trust_level', value: 'community' },
		{ op: 'set-plugin-key', index: task.index, key: 'categories', value: ['other'] },
	]);
	const plugin = edited.registry.plugins.find(
		(entry) => entry.id === `synthetic-plugin-${task.index}`,
	);
	const lines = text.split('\n');
	let spreadOverflowed = false;
	try {
		[].push(...(lines as never[]));
	} catch (error) {
		if (!(error instanceof RangeError)) throw error;
		spreadOverflowed = true;
	}
	return {
		lines: lines.length,
		plugins: edited.registry.plugins.length,
		trustLevel: plugin?.trustLevel,
		categories: plugin?.categories,
		spreadOverflowed,
	};
}

const task = isMainThread ? undefined : (workerData as Partial<Task> | undefined);
if (task?.smallStackEdit === true) parentPort?.postMessage(await work(task as Task));
