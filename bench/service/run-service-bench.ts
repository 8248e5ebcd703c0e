/**
 * The registry service's benchmarks (issue 12), each beside a baseline from the same run:
 * - conditional GETs of `timestamp.json` (304s), the service against nginx serving the same
 *   file, both driven by the same `wrk`: the in-process service (one process), then
 *   `serve --workers` with one worker per core, each followed at once by nginx;
 * - the plugin page and the API search over 10,000 plugins, p50 and p95, beside the service's
 *   health check (the framework and one database read: the floor of any request);
 * - an admin edit to signed metadata a host can fetch, beside a file-based publish of the
 *   same registry (`publishRepository`, what `vouch registry publish` runs).
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { initKeys } from '../../packages/library/src/tuf/repository/init-keys.ts';
import { publishRepository } from '../../packages/library/src/tuf/repository/publish.ts';
import { type RunningService, startService } from '../../packages/server/src/service.ts';
import { syntheticRegistryToml } from '../synthetic.ts';
import { timeRequests } from './latency.ts';
import { haveCommand, startNginx, startServiceWorkers, wrk } from './load.ts';

const ACTOR = { name: 'bench', role: 'admin' } as const;
const PLUGINS = Number(process.env.VOUCH_BENCH_PLUGINS ?? 10_000);

export interface ConditionalGetFigure {
	/** Processes serving the port: 1 (the in-process service), or one per core. */
	workers: number;
	serviceRps: number;
	/** nginx on the same file, measured right after the service (back to back). */
	nginxRps: number;
	ratio: number;
	target: 0.5;
}

export interface ServiceBenchResult {
	conditionalGet?: ConditionalGetFigure[];
	pages: Record<string, { p50: number; p95: number }>;
	healthBaseline: { p50: number; p95: number };
	adminEditToSignedMs: number[];
	fileBasedPublishMs: number;
}

async function freePort(): Promise<number> {
	const { createServer } = await import('node:net');
	return new Promise((resolve) => {
		const server = createServer().listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() =>
				resolve(typeof address === 'object' && address !== null ? address.port : 0),
			);
		});
	});
}

async function waitForPublish(service: RunningService): Promise<void> {
	const current = await service.store.document();
	await service.publisher?.publishNow();
	await service.publisher?.waitForRevision(current?.revision ?? 1, { timeoutMs: 300_000 });
}

export async function runServiceBench(): Promise<ServiceBenchResult> {
	const dir = await mkdtemp(join(tmpdir(), 'vouch-bench-service-'));
	try {
		const keysDir = join(dir, 'keys');
		await initKeys({ dir: keysDir });
		// Official entries must be pinned to a reviewed release (D19b) before they are published;
		// the synthetic registry has no releases to pin, so it has none.
		const registry = syntheticRegistryToml(PLUGINS).replaceAll(
			'trust_level = "official"',
			'trust_level = "trusted"',
		);
		const service = await startService({
			dataDir: join(dir, 'data'),
			keysDir,
			port: 0,
			// One client from one address would hit the per-client budget at once; a deployment
			// puts the signed files behind a CDN, and limits there.
			limits: { rateLimit: false },
		});
		try {
			await service.store.importText(registry, ACTOR, 'benchmark registry');
			await waitForPublish(service);
			console.log(`\nRegistry service (${PLUGINS} plugins, SQLite)`);

			const result: ServiceBenchResult = {
				pages: {},
				healthBaseline: { p50: 0, p95: 0 },
				adminEditToSignedMs: [],
				fileBasedPublishMs: 0,
			};

			// 1. Conditional GETs of timestamp.json against nginx.
			const timestampUrl = `${service.url}/tuf/metadata/timestamp.json`;
			const first = await fetch(timestampUrl);
			const bytes = new Uint8Array(await first.arrayBuffer());
			const etag = first.headers.get('etag') ?? '';
			if (haveCommand('wrk') && haveCommand('nginx')) {
				const root = join(dir, 'nginx-root');
				await mkdir(root, { recursive: true });
				await writeFile(join(root, 'timestamp.json'), bytes);
				// nginx's workers run as nobody: the files must be readable by anyone.
				await chmod(dir, 0o755);
				await chmod(root, 0o755);
				const nginx = await startNginx(root, await freePort());
				try {
					const nginxEtag =
						(await fetch(`${nginx.url}/tuf/timestamp.json`)).headers.get('etag') ?? '';
					const load = { seconds: 5, connections: 32 };
					// The machine may be busy with other work: each service figure is followed at once
					// by nginx's, so the ratio compares two runs under the same load.
					const measure = async (workers: number, url: string) => {
						const serviceRun = await wrk(url, { 'If-None-Match': etag }, load);
						const nginxRun = await wrk(
							`${nginx.url}/tuf/timestamp.json`,
							{ 'If-None-Match': nginxEtag },
							load,
						);
						if (serviceRun.errors > 0) throw new Error(`${serviceRun.errors} answers were not 304`);
						const ratio = serviceRun.requestsPerSecond / nginxRun.requestsPerSecond;
						const figure: ConditionalGetFigure = {
							workers,
							serviceRps: serviceRun.requestsPerSecond,
							nginxRps: nginxRun.requestsPerSecond,
							ratio,
							target: 0.5,
						};
						result.conditionalGet = [...(result.conditionalGet ?? []), figure];
						const label = `conditional GET timestamp.json (304), ${workers} worker${workers === 1 ? '' : 's'}`;
						console.log(
							`  ${label.padEnd(50)} ${serviceRun.requestsPerSecond.toFixed(0).padStart(8)} req/s   nginx: ${nginxRun.requestsPerSecond.toFixed(0)} req/s  (${ratio.toFixed(2)}x nginx)  target >= 0.5x: ${ratio >= 0.5 ? 'met' : 'MISSED'}`,
						);
					};
					await measure(1, timestampUrl);
					const cores = availableParallelism();
					const workers = await startServiceWorkers(join(dir, 'data'), cores);
					try {
						await measure(cores, `${workers.url}/tuf/metadata/timestamp.json`);
					} finally {
						await workers.stop();
					}
				} finally {
					await nginx.stop();
				}
			} else {
				console.log('  conditional GETs: skipped (needs Debian wrk and nginx)');
			}

			// 2. Pages and search over 10,000 plugins, sequential requests.
			result.healthBaseline = await timeRequests([`${service.url}/api/v1/health`], 300);
			const ids = [17, 4242, 9001, 123, 7777].map((n) => `synthetic-plugin-${n % PLUGINS}`);
			const cases: Record<string, string[]> = {
				'plugin page': ids.map((id) => `${service.url}/plugins/${id}`),
				'API search (q)': ['plugin 42', 'author 99', 'synthetisches', 'entry number 7'].map(
					(q) => `${service.url}/api/v1/plugins?q=${encodeURIComponent(q)}`,
				),
				'API search (q + trust + category)': [
					`${service.url}/api/v1/plugins?q=plugin&trust=trusted&category=metadata&page=3`,
				],
				'browse page (search)': [`${service.url}/?q=plugin+42`],
			};
			const floor = result.healthBaseline;
			for (const [name, urls] of Object.entries(cases)) {
				const figures = await timeRequests(urls, 300);
				result.pages[name] = { p50: figures.p50, p95: figures.p95 };
				console.log(
					`  ${name.padEnd(38)} p50 ${figures.p50.toFixed(2).padStart(7)} ms  p95 ${figures.p95.toFixed(2).padStart(7)} ms   health check: p50 ${floor.p50.toFixed(2)} ms p95 ${floor.p95.toFixed(2)} ms  (p95 ${(figures.p95 / floor.p95).toFixed(1)}x)  target p95 <= 20 ms: ${figures.p95 <= 20 ? 'met' : 'MISSED'}`,
				);
			}

			// 3. Admin edit → signed metadata a host can fetch.
			const account = await service.accounts.create('bench', 'admin');
			const token = await service.accounts.issueToken(account, 'bench');
			for (const i of [0, 1, 2]) {
				// A real change each time: the other of trusted and community.
				const current = (await (
					await fetch(`${service.url}/api/v1/plugins/synthetic-plugin-${100 + i}`)
				).json()) as { trust?: string; plugin?: { trust?: string } };
				const trust =
					(current.plugin?.trust ?? current.trust) === 'trusted' ? 'community' : 'trusted';
				const before = (await fetch(timestampUrl)).headers.get('etag');
				const start = process.hrtime.bigint();
				const response = await fetch(
					`${service.url}/api/v1/admin/plugins/synthetic-plugin-${100 + i}`,
					{
						method: 'PATCH',
						headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
						body: JSON.stringify({ trust, reason: `benchmark edit ${i}` }),
					},
				);
				if (!response.ok)
					throw new Error(`edit answered ${response.status}: ${await response.text()}`);
				await response.arrayBuffer();
				// Until a host fetching timestamp.json sees the new version.
				for (;;) {
					const probe = await fetch(timestampUrl);
					await probe.arrayBuffer();
					if (probe.headers.get('etag') !== before) break;
					await new Promise((resolve) => setTimeout(resolve, 20));
				}
				result.adminEditToSignedMs.push(Number(process.hrtime.bigint() - start) / 1e6);
			}
			const fileKeys = join(dir, 'file-keys');
			await initKeys({ dir: fileKeys });
			const fileRepo = join(dir, 'file-repo');
			await publishRepository({
				registryText: registry,
				keysDir: fileKeys,
				outDir: fileRepo,
				now: new Date(),
				reason: 'first',
			});
			const edited = registry.replace('trust_level = "community"', 'trust_level = "trusted"');
			const fileStart = process.hrtime.bigint();
			await publishRepository({
				registryText: edited,
				keysDir: fileKeys,
				outDir: fileRepo,
				now: new Date(),
				reason: 'edit',
			});
			result.fileBasedPublishMs = Number(process.hrtime.bigint() - fileStart) / 1e6;
			const sorted = [...result.adminEditToSignedMs].sort((a, b) => a - b);
			const median = sorted[Math.floor(sorted.length / 2)] as number;
			console.log(
				`  admin edit → signed timestamp served    ${median.toFixed(0).padStart(7)} ms (median of ${sorted.length})   file-based publish of the same registry: ${result.fileBasedPublishMs.toFixed(0)} ms  (${(median / result.fileBasedPublishMs).toFixed(2)}x)`,
			);
			return result;
		} finally {
			await service.close();
		}
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}
