const F = await import('./lifecycle-fixtures.ts');
const { scanPlugin } = await import('../packages/library/src/scan/index.ts');
const { sharedScanPool } = await import('../packages/library/src/scan/engine/worker-pool.ts');
const { mkdtempSync } = await import('node:fs');
const dir = mkdtempSync('/tmp/scanprof-');
F.writeTree(dir, F.pluginTree('large-plugin', '', 200));
for (let r = 0; r < 10; r++) {
	const t = performance.now();
	const a = await scanPlugin(dir, { inThread: true });
	const m = performance.now() - t;
	const t2 = performance.now();
	const b = await scanPlugin(dir);
	const w = performance.now() - t2;
	console.log(
		r,
		'inThread',
		m.toFixed(1),
		'pool',
		w.toFixed(1),
		'ready',
		sharedScanPool().readyWorkers(),
		JSON.stringify(a.findings) === JSON.stringify(b.findings),
	);
}
