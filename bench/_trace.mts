const F = await import('./lifecycle-fixtures.ts');
const { pluginWorkDeps } = await import('../packages/cli/src/lifecycle-context.ts');
const { installPlugin } = await import('../packages/library/src/lifecycle/install.ts');
const { scanPlugin } = await import('../packages/library/src/scan/index.ts');
const { mkdirSync, rmSync } = await import('node:fs');
const { join } = await import('node:path');
const world = await F.createBenchWorld('vouch-trace-');
const plugin = F.servePlugin(world, 'large-plugin', 200);
let t0 = 0;
const log: string[] = [];
const now = () => (performance.now() - t0).toFixed(1);
function wrap(obj: any, name: string, depth = 0): any {
	if (obj === null || typeof obj !== 'object' || depth > 1) return obj;
	return new Proxy(obj, {
		get(target, key, recv) {
			const v = Reflect.get(target, key, recv);
			if (typeof v === 'function')
				return (...args: any[]) => {
					const s = now();
					const r = v.apply(target, args);
					if (r && typeof r.then === 'function')
						return r.then((x: any) => {
							log.push(`${name}.${String(key)} ${s} -> ${now()}`);
							return x;
						});
					log.push(`${name}.${String(key)} ${s} (sync)`);
					return r;
				};
			if (v && typeof v === 'object' && !(v instanceof Map) && !Array.isArray(v))
				return wrap(v, `${name}.${String(key)}`, depth + 1);
			return v;
		},
	});
}
const emptyDir = join(world.root, 'empty');
mkdirSync(emptyDir);
const noFindings = await scanPlugin(emptyDir);
for (let run = 0; run < 4; run++) {
	for (const scanned of [true, false]) {
		const profile = F.createProfile(world.root, `p${run}${scanned}`);
		const context = await F.profileContext(profile);
		const deps0 = pluginWorkDeps(context, profile.io, false);
		const deps = scanned ? deps0 : { ...deps0, scan: async () => noFindings };
		const d = Object.fromEntries(
			Object.entries(deps).map(([k, v]) => [
				k,
				typeof v === 'function'
					? (...a: any[]) => {
							const s = now();
							const r = (v as any)(...a);
							if (r && r.then)
								return r.then((x: any) => {
									log.push(`${k} ${s} -> ${now()}`);
									return x;
								});
							log.push(`${k} ${s} sync`);
							return r;
						}
					: wrap(v, k),
			]),
		);
		log.length = 0;
		const c0 = performance.now();
		await F.plainClone(plugin.url, 'main', join(world.root, `c${run}${scanned}`));
		const cl = performance.now() - c0;
		t0 = performance.now();
		await installPlugin(
			{
				target: plugin.url,
				pre: false,
				reinstall: false,
				forceBlacklisted: false,
				allowInsecureTransport: false,
				allowStaleBlacklist: false,
				yes: true,
				enable: true,
			},
			d as any,
		);
		const { sharedScanPool } = await import('../packages/library/src/scan/engine/worker-pool.ts');
		console.log(JSON.stringify(sharedScanPool().counts()), sharedScanPool().readyWorkers());
		console.log(`run ${run} scanned=${scanned} total ${now()} clone ${cl.toFixed(1)}`);
		if (false) console.log(log.filter((l) => !l.startsWith('reporter')).join('\n'));
	}
}
await world.close();
