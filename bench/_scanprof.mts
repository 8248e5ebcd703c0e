const F = await import('./lifecycle-fixtures.ts');
const { scanPlugin } = await import('../packages/library/src/scan/index.ts');
const { mkdtempSync } = await import('node:fs');
const dir = mkdtempSync('/tmp/scanprof-');
F.writeTree(dir, F.pluginTree('large-plugin', '', 200));
for (let r = 0; r < 12; r++) {
	const t = performance.now();
	const rep = await scanPlugin(dir);
	if (r % 2) console.log(r, (performance.now() - t).toFixed(1), rep.findings.length);
}
