/**
 * Scans a plugin in a worker thread whose stack is deliberately small, and there walks the same
 * file's syntax tree once more with a plain recursive walk. A deep tree then shows whether the
 * scanner needs stack in proportion to the depth: if it did, it would overflow where the
 * recursive walk does, on a tree far shallower (and far quicker to scan) than one that would
 * overflow a normal stack.
 *
 * This module is also the worker's entry: loaded in a worker started here, it does the work.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { Node } from 'web-tree-sitter';
import { runWithSmallStack } from '../helpers/small-stack-worker.ts';

export interface SmallStackScan {
	skipped: string[];
	scanned: number;
	/** `rule:line` of each finding. */
	findings: string[];
	/** Whether the recursive walk of the same file ran out of stack. */
	recursiveWalkOverflowed: boolean;
}

interface Task {
	smallStackScan: true;
	dir: string;
	file: string;
}

export function scanInSmallStack(dir: string, file: string): Promise<SmallStackScan> {
	const task: Task = { smallStackScan: true, dir, file };
	return runWithSmallStack(new URL(import.meta.url), task);
}

/** The walk a scanner must not do: one frame per level of the tree. */
function recursiveCount(node: Node): number {
	let count = 1;
	for (const child of node.children) if (child !== null) count += recursiveCount(child);
	return count;
}

async function work(task: Task): Promise<SmallStackScan> {
	const { readFileSync } = await import('node:fs');
	const { join } = await import('node:path');
	const { Parser } = await import('web-tree-sitter');
	const { loadGrammars } = await import('../../src/scan/engine/grammars.ts');
	const { scan } = await import('./support.ts');
	const report = await scan(task.dir);
	const parser = new Parser();
	parser.setLanguage((await loadGrammars()).python);
	const tree = parser.parse(readFileSync(join(task.dir, task.file), 'utf8'));
	let recursiveWalkOverflowed = false;
	try {
		if (tree !== null) recursiveCount(tree.rootNode);
	} catch (error) {
		if (!(error instanceof RangeError)) throw error;
		recursiveWalkOverflowed = true;
	}
	return {
		skipped: report.skipped.map((entry) => `${entry.file}: ${entry.reason}`),
		scanned: report.files.scanned,
		findings: report.findings.map((finding) => `${finding.ruleId}:${finding.line}`),
		recursiveWalkOverflowed,
	};
}

const task = isMainThread ? undefined : (workerData as Partial<Task> | undefined);
if (task?.smallStackScan === true) parentPort?.postMessage(await work(task as Task));
