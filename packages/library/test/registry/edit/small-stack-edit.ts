/**
 * Edits a synthetic registry in a worker thread whose stack is deliberately small, and there
 * passes the same text's lines as the arguments of one call (`push(...lines)`), the way an
 * editor that scales with the stack would. On that stack the spread overflows on a registry far
 * smaller (and quicker to build and parse) than one that would overflow a normal stack, so the
 * edit shows whether the editor needs stack in proportion to the registry.
 *
 * This module is also the worker's entry: loaded in a worker started here, it does the work.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { runWithSmallStack } from '../../helpers/small-stack-worker.ts';

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
	return runWithSmallStack(new URL(import.meta.url), task);
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
