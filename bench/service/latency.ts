/** Request latency percentiles over HTTP: sequential requests, so each figure is one request's cost. */

export interface Percentiles {
	p50: number;
	p95: number;
	mean: number;
}

export function percentiles(samples: number[]): Percentiles {
	const sorted = [...samples].sort((a, b) => a - b);
	const at = (q: number) =>
		sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
	return { p50: at(0.5), p95: at(0.95), mean: sorted.reduce((a, b) => a + b, 0) / sorted.length };
}

/** Times `count` GETs of each URL in turn (after `warmup` untimed rounds); milliseconds. */
export async function timeRequests(
	urls: readonly string[],
	count: number,
	warmup = 20,
): Promise<Percentiles> {
	const samples: number[] = [];
	for (let i = 0; i < warmup + count; i++) {
		const url = urls[i % urls.length] as string;
		const start = process.hrtime.bigint();
		const response = await fetch(url);
		await response.arrayBuffer();
		const ms = Number(process.hrtime.bigint() - start) / 1e6;
		if (!response.ok) throw new Error(`${url} answered ${response.status}`);
		if (i >= warmup) samples.push(ms);
	}
	return percentiles(samples);
}
