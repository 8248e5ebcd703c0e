/** Timing and reporting helpers shared by the benchmarks. */

/** Milliseconds taken by `work`, with the value it returned. */
export function timed<T>(work: () => T): { ms: number; value: T } {
	const start = process.hrtime.bigint();
	const value = work();
	return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

/** Median of `runs` timings: one slow outlier (a GC pause) should not decide the figure. */
export function medianMs(runs: number, work: () => unknown): number {
	const times: number[] = [];
	for (let i = 0; i < runs; i++) times.push(timed(work).ms);
	times.sort((a, b) => a - b);
	return times[Math.floor(times.length / 2)] as number;
}

/** Heap in use after a full collection, when `--expose-gc` made one possible. */
export function settledHeapBytes(): number | undefined {
	const collect = (globalThis as { gc?: () => void }).gc;
	if (collect === undefined) return undefined;
	collect();
	collect();
	return process.memoryUsage().heapUsed;
}

export interface Figure {
	name: string;
	ms: number;
	/** What the figure is compared with, measured in the same run. */
	baselineName: string;
	baselineMs: number;
	/** The issue's target for this figure, if it has one. */
	targetMs?: number;
}

export function formatMs(ms: number): string {
	if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
	if (ms >= 10) return `${ms.toFixed(1)} ms`;
	return `${ms.toFixed(3)} ms`;
}

export function printFigures(title: string, figures: readonly Figure[]): void {
	console.log(`\n${title}`);
	for (const figure of figures) {
		const ratio = figure.baselineMs / figure.ms;
		const target =
			figure.targetMs === undefined
				? ''
				: `  target < ${formatMs(figure.targetMs)}: ${figure.ms < figure.targetMs ? 'met' : 'MISSED'}`;
		console.log(
			`  ${figure.name.padEnd(44)} ${formatMs(figure.ms).padStart(10)}   ` +
				`${figure.baselineName}: ${formatMs(figure.baselineMs)}  ` +
				`(${ratio >= 1 ? `${ratio.toFixed(1)}x faster` : `${(1 / ratio).toFixed(2)}x slower`})${target}`,
		);
	}
}
