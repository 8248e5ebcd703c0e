/**
 * Signed distribution and integrity, each figure beside a baseline from the same run:
 * - `vouch refresh` of a TUF-signed registry (2,000 plugins, 1,000 blacklist entries) served on
 *   127.0.0.1 with nothing changed (the client fetches the timestamp, sees the same version and
 *   keeps its verified files), against a refresh that downloads everything (an empty cache);
 *   the same for an unsigned registry answered with 304 Not Modified against a 200;
 * - the startup re-hash (D19b) of 100 installed plugins of about 1 MB each, through the real
 *   `checkInstalledPlugins`, in MB/s, against `sha256sum` over the same files (target: at
 *   least 0.7x of sha256sum's throughput).
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import type { CliIO } from '../packages/cli/src/io.ts';
import { runCli } from '../packages/cli/src/run.ts';
import { pluginDirectoryName } from '../packages/library/src/core/paths.ts';
import { generatePluginUuid } from '../packages/library/src/core/uuid.ts';
import { startupFiles } from '../packages/library/src/lifecycle/host.ts';
import { checkInstalledPlugins } from '../packages/library/src/lifecycle/startup-check.ts';
import { digestTree, type InstalledPlugin } from '../packages/library/src/lifecycle/store/index.ts';
import { initKeys } from '../packages/library/src/tuf/repository/init-keys.ts';
import { publishRepository } from '../packages/library/src/tuf/repository/publish.ts';
import {
	createProfile,
	installedRecord,
	median,
	profileContext,
	recordInstalled,
	registryEntry,
	timedAsync,
} from './lifecycle-fixtures.ts';
import { type Figure, printFigures } from './measure.ts';
import { syntheticRegistryToml } from './synthetic.ts';

export interface RefreshBenchResult {
	plugins: number;
	blacklistEntries: number;
	runs: number;
	/** Requests and bytes served per refresh. */
	traffic: Record<
		'signedUnchanged' | 'signedFull' | 'unsignedUnchanged' | 'unsignedFull',
		{
			requests: number;
			bytes: number;
		}
	>;
	figures: Figure[];
}

export interface RehashBenchResult {
	plugins: number;
	bytes: number;
	files: number;
	runs: number;
	/** Plugins the check cleared to load (all of them, or the figure means nothing). */
	loaded: number;
	vouchMBps: number;
	sha256sumMBps: number;
	/** vouch / sha256sum throughput; target at least 0.7. */
	ratio: number;
	figures: Figure[];
}

export interface IntegrityBenchResult {
	refresh: RefreshBenchResult;
	rehash: RehashBenchResult;
}

export async function runIntegrityBench(): Promise<IntegrityBenchResult> {
	const refresh = await benchRefresh({ plugins: 2000, blacklist: 1000, runs: 9 });
	printFigures(
		`Integrity: vouch refresh, ${refresh.plugins} plugins and ${refresh.blacklistEntries} blacklist entries on 127.0.0.1, median of ${refresh.runs}`,
		refresh.figures,
	);
	const t = refresh.traffic;
	console.log(
		'  on loopback the time is mostly parsing and re-verifying what is held (D25), the same either way; what a no-change refresh saves is the transfer:',
	);
	console.log(
		`  per refresh: signed unchanged ${t.signedUnchanged.requests} requests / ${kib(t.signedUnchanged.bytes)}, full ${t.signedFull.requests} / ${kib(t.signedFull.bytes)}; unsigned 304 ${t.unsignedUnchanged.requests} / ${kib(t.unsignedUnchanged.bytes)}, 200 ${t.unsignedFull.requests} / ${kib(t.unsignedFull.bytes)}`,
	);
	const rehash = await benchRehash({
		plugins: 100,
		filesPerPlugin: 8,
		fileBytes: 128 * 1024,
		runs: 7,
	});
	printFigures(
		`Integrity: startup re-hash, ${rehash.plugins} plugins x ${(rehash.bytes / rehash.plugins / 1e6).toFixed(2)} MB (${rehash.files} files), ${rehash.loaded} cleared to load, median of ${rehash.runs}`,
		rehash.figures,
	);
	console.log(
		`  throughput: vouch ${rehash.vouchMBps.toFixed(0)} MB/s, sha256sum ${rehash.sha256sumMBps.toFixed(0)} MB/s, ratio ${rehash.ratio.toFixed(2)} (target at least 0.70: ${rehash.ratio >= 0.7 ? 'met' : 'MISSED'}); one sha256sum process over all files; the page cache warm for both`,
	);
	return { refresh, rehash };
}

function kib(bytes: number): string {
	return bytes >= 1024 * 1024
		? `${(bytes / 1024 / 1024).toFixed(2)} MiB`
		: `${(bytes / 1024).toFixed(1)} KiB`;
}

// ---------------------------------------------------------------- refresh

interface CountingServer {
	base: string;
	requests: number;
	bytes: number;
	reset(): void;
	close(): Promise<void>;
}

/**
 * A static server over `dir`, with ETag and If-None-Match like any web server, counting what
 * it sends.
 */
async function serveStatic(dir: string): Promise<CountingServer> {
	const counts = { requests: 0, bytes: 0 };
	const server: Server = createServer((req, res) => {
		counts.requests++;
		const path = normalize(join(dir, new URL(req.url ?? '/', 'http://127.0.0.1').pathname));
		if (!path.startsWith(dir)) {
			res.writeHead(403).end();
			return;
		}
		let body: Buffer;
		try {
			body = readFileSync(path);
		} catch {
			res.writeHead(404).end();
			return;
		}
		const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
		if (req.headers['if-none-match'] === etag) {
			res.writeHead(304, { etag }).end();
			return;
		}
		counts.bytes += body.byteLength;
		const type = path.endsWith('.toml') ? 'application/toml' : 'application/json';
		res.writeHead(200, { 'content-type': type, etag }).end(body);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
		get requests() {
			return counts.requests;
		},
		get bytes() {
			return counts.bytes;
		},
		reset() {
			counts.requests = 0;
			counts.bytes = 0;
		},
		async close() {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** The synthetic registry with pins for its official entries (publish requires them) and a blacklist. */
function signedRegistrySource(plugins: number, blacklist: number): string {
	const pin = `releases = [{ ref = "v1.0.0", commit = "${'a'.repeat(40)}", tree = "sha256:${'b'.repeat(64)}" }]`;
	const registry = syntheticRegistryToml(plugins).replaceAll(
		'trust_level = "official"',
		`trust_level = "official"\n${pin}`,
	);
	const entries = Array.from(
		{ length: blacklist },
		(_, i) =>
			`[[blacklist]]\nurl = "https://github.com/bad-actor-${i}/picard-plugin"\nreason = "Malware"\nblacklisted_at = "2026-01-01T00:00:00Z"\n`,
	);
	return `${registry}\n${entries.join('\n')}`;
}

function quietIO(cwd: string): CliIO {
	return {
		stdout: { write: () => true },
		stderr: { write: () => true },
		env: { HOME: join(cwd, 'home'), PATH: process.env.PATH ?? '/usr/bin:/bin' },
		cwd,
		stdoutIsTTY: false,
		stderrIsTTY: false,
		// Loopback only: the benchmark never leaves this machine.
		fetch: (input, init) => {
			const url = new URL(input instanceof Request ? input.url : String(input));
			if (url.hostname !== '127.0.0.1') throw new Error(`refusing to fetch ${url.host}`);
			return fetch(input, init);
		},
		now: () => new Date(),
	};
}

async function refreshOnce(io: CliIO, profile: string): Promise<void> {
	let out = '';
	const code = await runCli(['refresh', '--profile', profile, '--json'], {
		...io,
		stdout: { write: (text: string) => (out += text) },
	});
	if (code !== 0) throw new Error(`vouch refresh exited ${code}: ${out.slice(0, 2000)}`);
}

export async function benchRefresh(options: {
	plugins: number;
	blacklist: number;
	runs: number;
}): Promise<RefreshBenchResult> {
	const root = mkdtempSync(join(tmpdir(), 'vouch-bench-integrity-'));
	const servers: CountingServer[] = [];
	try {
		const source = signedRegistrySource(options.plugins, options.blacklist);
		const keys = join(root, 'keys');
		const repo = join(root, 'repo');
		await initKeys({ dir: keys });
		await publishRepository({
			registryText: source,
			format: 'toml',
			keysDir: keys,
			outDir: repo,
			now: new Date(),
		});
		copyFileSync(join(repo, 'metadata', '1.root.json'), join(root, 'root.json'));
		const tuf = await serveStatic(repo);
		servers.push(tuf);

		// The same registry, unsigned, as one JSON document.
		const plain = join(root, 'plain');
		mkdirSync(plain);
		writeFileSync(join(plain, 'plugins.toml'), source);
		const web = await serveStatic(plain);
		servers.push(web);

		const io = quietIO(root);
		const profile = (name: string, lines: string[]) => {
			const file = join(root, `${name}.toml`);
			writeFileSync(
				file,
				[
					`name = "${name}"`,
					'api_versions = ["3.0"]',
					...lines,
					`cache_dir = "${join(root, name, 'cache')}"`,
					`data_dir = "${join(root, name, 'data')}"`,
					`config_dir = "${join(root, name, 'config')}"`,
					`plugins_dir = "${join(root, name, 'plugins')}"`,
					'',
				].join('\n'),
			);
			return { file, cache: join(root, name, 'cache') };
		};
		const signed = profile('signed', [
			`registry_urls = ["${tuf.base}"]`,
			`trusted_root = "${join(root, 'root.json')}"`,
			'allow_unsigned = false',
		]);
		const unsigned = profile('unsigned', [
			`registry_urls = ["${web.base}plugins.toml"]`,
			'allow_unsigned = true',
		]);

		const measure = async (server: CountingServer, file: string, cache: string, full: boolean) => {
			const times: number[] = [];
			let traffic = { requests: 0, bytes: 0 };
			await refreshOnce(io, file); // warm: the cache holds the current state
			for (let run = 0; run < options.runs; run++) {
				if (full) rmSync(cache, { recursive: true, force: true });
				server.reset();
				times.push((await timedAsync(() => refreshOnce(io, file))).ms);
				traffic = { requests: server.requests, bytes: server.bytes };
			}
			return { ms: median(times), traffic };
		};
		const signedUnchanged = await measure(tuf, signed.file, signed.cache, false);
		const signedFull = await measure(tuf, signed.file, signed.cache, true);
		const unsignedUnchanged = await measure(web, unsigned.file, unsigned.cache, false);
		const unsignedFull = await measure(web, unsigned.file, unsigned.cache, true);
		return {
			plugins: options.plugins,
			blacklistEntries: options.blacklist,
			runs: options.runs,
			traffic: {
				signedUnchanged: signedUnchanged.traffic,
				signedFull: signedFull.traffic,
				unsignedUnchanged: unsignedUnchanged.traffic,
				unsignedFull: unsignedFull.traffic,
			},
			figures: [
				{
					name: 'refresh, signed (TUF), nothing changed',
					ms: signedUnchanged.ms,
					baselineName: 'full download + verify',
					baselineMs: signedFull.ms,
				},
				{
					name: 'refresh, unsigned, 304 Not Modified',
					ms: unsignedUnchanged.ms,
					baselineName: 'full download (200)',
					baselineMs: unsignedFull.ms,
				},
			],
		};
	} finally {
		for (const server of servers) await server.close();
		rmSync(root, { recursive: true, force: true });
	}
}

// ---------------------------------------------------------------- re-hash

function sha256sum(files: readonly string[]): Promise<void> {
	return new Promise((resolve, reject) => {
		execFile('sha256sum', [...files], { maxBuffer: 64 * 1024 * 1024 }, (error) =>
			error === null ? resolve() : reject(error),
		);
	});
}

export async function benchRehash(options: {
	plugins: number;
	filesPerPlugin: number;
	fileBytes: number;
	runs: number;
}): Promise<RehashBenchResult> {
	const parent = mkdtempSync(join(tmpdir(), 'vouch-bench-rehash-'));
	const profile = createProfile(parent, 'rehash');
	try {
		const context = await profileContext(profile);
		const files: string[] = [];
		const records: InstalledPlugin[] = [];
		for (let i = 0; i < options.plugins; i++) {
			const plugin = {
				name: `rehash-${i}`,
				uuid: generatePluginUuid(),
				url: `https://example.invalid/rehash-${i}`,
			};
			const directory = pluginDirectoryName(plugin.name, plugin.uuid);
			const dir = join(context.profile.pluginsDir, directory);
			mkdirSync(join(dir, 'lib'), { recursive: true });
			for (let f = 0; f < options.filesPerPlugin; f++) {
				const path = join(dir, f === 0 ? '__init__.py' : join('lib', `part_${f}.bin`));
				writeFileSync(path, randomBytes(options.fileBytes));
				files.push(path);
			}
			records.push(
				installedRecord({
					...plugin,
					commit: '0'.repeat(40),
					directory,
					digest: await digestTree(dir),
					trust: 'official',
				}),
			);
		}
		// Registered as trusted, so the startup check re-hashes every one of them (D19b).
		writeFileSync(
			profile.registryFile,
			JSON.stringify({
				api_version: '3.0',
				plugins: records.map((record) =>
					registryEntry(
						{ name: record.name, uuid: record.uuid, url: record.source.url },
						'trusted',
					),
				),
			}),
		);
		const checked = await profileContext(profile);
		await recordInstalled(checked.store, records);
		const deps = {
			store: checked.store,
			snapshot: checked.snapshot,
			hostApiVersions: checked.profile.apiVersions,
			files: startupFiles(checked.files),
			now: () => new Date(),
		};
		const bytes = options.plugins * options.filesPerPlugin * options.fileBytes;
		const ours: number[] = [];
		const theirs: number[] = [];
		let loaded = options.plugins;
		for (let run = 0; run <= options.runs; run++) {
			const check = await timedAsync(() => checkInstalledPlugins(deps));
			const reference = await timedAsync(() => sha256sum(files));
			loaded = Math.min(loaded, check.value.disabled.length === 0 ? check.value.load.length : 0);
			if (run === 0) continue; // warm-up: both read from the page cache afterwards
			ours.push(check.ms);
			theirs.push(reference.ms);
		}
		const oursMs = median(ours);
		const theirsMs = median(theirs);
		const vouchMBps = bytes / 1e6 / (oursMs / 1000);
		const sha256sumMBps = bytes / 1e6 / (theirsMs / 1000);
		return {
			plugins: options.plugins,
			bytes,
			files: files.length,
			runs: options.runs,
			loaded,
			vouchMBps,
			sha256sumMBps,
			ratio: vouchMBps / sha256sumMBps,
			figures: [
				{
					name: `startup check re-hashing ${(bytes / 1e6).toFixed(0)} MB`,
					ms: oursMs,
					baselineName: 'sha256sum, same files',
					baselineMs: theirsMs,
				},
			],
		};
	} finally {
		rmSync(parent, { recursive: true, force: true });
	}
}

if (import.meta.url === `file://${process.argv[1]}`) {
	await runIntegrityBench();
}
