/**
 * Load generation for the service benchmarks: Debian's `wrk`, the same generator against the
 * service and against nginx, so the two figures are comparable. Absent tools are reported and
 * their figures skipped, never guessed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function haveCommand(name: string): boolean {
	return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

export interface LoadResult {
	requestsPerSecond: number;
	/** Status codes other than the expected one (wrk counts them as non-2xx/3xx). */
	errors: number;
}

/** `wrk` for `seconds` with `connections` connections on one thread, with the given headers. */
export async function wrk(
	url: string,
	headers: Record<string, string>,
	options: { seconds: number; connections: number; threads?: number },
): Promise<LoadResult> {
	const args = [
		'-t',
		String(options.threads ?? 1),
		'-c',
		String(options.connections),
		'-d',
		`${options.seconds}s`,
		'--latency',
	];
	for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
	args.push(url);
	const output = await new Promise<string>((resolve, reject) => {
		const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
		let text = '';
		child.stdout.on('data', (chunk) => {
			text += chunk;
		});
		child.on('error', reject);
		child.on('close', (code) =>
			code === 0 ? resolve(text) : reject(new Error(`wrk exited ${code}: ${text}`)),
		);
	});
	const rps = /Requests\/sec:\s+([\d.]+)/.exec(output)?.[1];
	const errors = /Non-2xx or 3xx responses:\s+(\d+)/.exec(output)?.[1];
	if (rps === undefined) throw new Error(`wrk printed no rate: ${output}`);
	return { requestsPerSecond: Number(rps), errors: Number(errors ?? 0) };
}

export interface NginxServer {
	url: string;
	stop(): Promise<void>;
}

/** nginx serving `root` on 127.0.0.1:`port` with ETags, one worker per core, logs off. */
export async function startNginx(root: string, port: number): Promise<NginxServer> {
	const dir = await mkdtemp(join(tmpdir(), 'vouch-bench-nginx-'));
	await mkdir(join(dir, 'tmp'), { recursive: true });
	const config = `
worker_processes auto;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
daemon off;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp;
  proxy_temp_path ${dir}/tmp;
  fastcgi_temp_path ${dir}/tmp;
  uwsgi_temp_path ${dir}/tmp;
  scgi_temp_path ${dir}/tmp;
  types { application/json json; }
  default_type application/octet-stream;
  etag on;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    location = /tuf/timestamp.json { alias ${root}/timestamp.json; add_header Cache-Control "public, max-age=10"; }
  }
}`;
	await writeFile(join(dir, 'nginx.conf'), config);
	const child = spawn('nginx', ['-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: 'ignore' });
	const url = `http://127.0.0.1:${port}`;
	for (let i = 0; i < 100; i++) {
		try {
			await fetch(`${url}/tuf/timestamp.json`);
			break;
		} catch {
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
	}
	return {
		url,
		stop: async () => {
			child.kill('SIGQUIT');
			await new Promise((resolve) => child.once('close', resolve));
		},
	};
}

export interface WorkerService {
	url: string;
	stop(): Promise<void>;
}

/**
 * `vouch-server serve --workers <workers>` on an existing data directory, as its own process
 * tree (a primary and its workers), rate limits off like the in-process service's.
 */
export async function startServiceWorkers(
	dataDir: string,
	workers: number,
): Promise<WorkerService> {
	const bin = join(import.meta.dirname, '../../packages/server/src/bin.ts');
	const child = spawn(
		process.execPath,
		[
			'--conditions=vouch-source',
			'--import',
			'tsx',
			bin,
			'serve',
			'--data-dir',
			dataDir,
			'--port',
			'0',
			'--workers',
			String(workers),
			'--no-rate-limit',
			'--json',
		],
		{ stdio: ['ignore', 'pipe', 'inherit'] },
	);
	const line = await new Promise<string>((resolve, reject) => {
		let text = '';
		child.stdout.on('data', (chunk) => {
			text += chunk;
			const end = text.indexOf('\n');
			if (end !== -1) resolve(text.slice(0, end));
		});
		child.once('exit', (code) => reject(new Error(`serve --workers ended (${code}): ${text}`)));
	});
	const started = JSON.parse(line) as { url?: string; error?: { message: string } };
	if (started.url === undefined) throw new Error(`serve --workers failed: ${line}`);
	return {
		url: started.url,
		stop: async () => {
			const closed = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await closed;
		},
	};
}
