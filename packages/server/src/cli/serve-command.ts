/**
 * `vouch-server serve`: one process by default; with `--workers N` (or `auto`, one per core) a
 * primary process and N workers sharing the port (see `cluster/primary.ts`). The primary
 * migrates the database once before any worker opens it, so workers never race a migration.
 */
import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { sanitizeText } from '@vouch/library/internal/core/sanitize';
import type { Command } from 'commander';
import { CLIENT_KEY_SECRET_ENV } from '../cluster/messages.ts';
import { runPrimary } from '../cluster/primary.ts';
import { joinPrimary } from '../cluster/worker.ts';
import { parseWorkers } from '../cluster/workers-option.ts';
import { openServiceDb } from '../db/open.ts';
import { serverError } from '../errors.ts';
import { isLoopbackHost, type ServiceOptions, startService } from '../service.ts';
import type { DatabaseFlags } from './database-options.ts';
import { resolveDatabase } from './database-options.ts';
import type { ProgramContext } from './program.ts';
import { type FollowFlags, startFollowing } from './sync-commands.ts';

type ServeFlags = DatabaseFlags & Record<string, string | boolean | undefined>;

function parsePort(value: string): number {
	const port = Number(value);
	if (!/^\d{1,5}$/.test(value) || port > 65_535) {
		throw serverError('INVALID_OPTIONS', `--port ${sanitizeText(value)} is not a TCP port.`);
	}
	return port;
}

export function addServeOptions(command: Command): Command {
	return command
		.option('--keys <dir>', 'signing keys: publish the signed repository')
		.option('--host <host>', 'address to listen on', '127.0.0.1')
		.option('--port <port>', 'port to listen on (0: any free port)', '8080')
		.option('--public', 'allow listening on a non-loopback address')
		.option('--trust-proxy', 'take client addresses from X-Forwarded-For (behind one proxy)')
		.option('--no-rate-limit', 'no per-client rate limits (a proxy or CDN in front limits)')
		.option('--workers <n>', 'processes serving the port: a number, or auto (one per core)', '1')
		.option('--json', 'print the address as JSON');
}

export async function serve(options: ServeFlags, context: ProgramContext): Promise<void> {
	const { io, clock, serviceOptions = {} } = context;
	const host = String(options.host);
	if (!isLoopbackHost(host) && options.public !== true) {
		throw serverError(
			'INVALID_OPTIONS',
			`Refusing to listen on ${sanitizeText(host)} without --public.`,
			{
				hint: 'A public service belongs behind a TLS proxy; pass --public once it is.',
			},
		);
	}
	const workers = parseWorkers(String(options.workers ?? '1'));
	const port = parsePort(String(options.port));
	const database = resolveDatabase(options, io);
	const keysDir = typeof options.keys === 'string' ? resolve(io.cwd, options.keys) : undefined;
	const rateLimit =
		options.rateLimit === false
			? false
			: options.trustProxy === true
				? { trustProxy: true }
				: undefined;
	const clientKeySecret = io.env[CLIENT_KEY_SECRET_ENV] || undefined;
	const service: ServiceOptions = {
		...serviceOptions,
		dataDir: database.dataDir,
		...(database.url === undefined ? {} : { database: database.url }),
		...(keysDir === undefined ? {} : { keysDir }),
		host,
		port,
		clock,
		log: (line) => io.stderr.write(`${line}\n`),
		...(rateLimit === undefined ? {} : { limits: { ...serviceOptions.limits, rateLimit } }),
		...(clientKeySecret === undefined || serviceOptions.incidents === false
			? {}
			: { incidents: { ...serviceOptions.incidents, clientKeySecret } }),
	};
	const follow = (running: Awaited<ReturnType<typeof startService>>) =>
		startFollowing(options as FollowFlags, running, resolve(database.dataDir, 'follow'), io, clock);
	const shownHost = host.includes(':') ? `[${host}]` : host;

	if (cluster.isWorker) {
		const link = joinPrimary(io.env);
		try {
			const running = await startService({
				...service,
				processes: link.processes,
				onPublished: link.published,
			});
			link.onOtherPublished(() => running.expireSignedFiles());
			const follower = link.lead ? follow(running) : undefined;
			await link.stopped;
			await follower?.stop();
			await running.close();
		} finally {
			link.leave();
		}
		return;
	}
	if (workers > 1) {
		if (context.forkWorkers !== true) {
			throw serverError('INVALID_OPTIONS', '--workers runs only from the vouch-server command.', {
				hint: 'Embedding the service? Start one process per core yourself, or leave --workers out.',
			});
		}
		// Migrated here, once: the workers then find the database at the latest version.
		const opened = await openServiceDb(
			database.url === undefined ? { dataDir: database.dataDir } : { url: database.url },
		);
		await opened.close();
		await runPrimary({
			count: workers,
			// One key for every worker, so a client's reports count alike whichever one answers.
			workerEnv: {
				[CLIENT_KEY_SECRET_ENV]: clientKeySecret ?? randomBytes(32).toString('hex'),
			},
			untilStopped: io.untilStopped,
			log: (line) => io.stderr.write(`${line}\n`),
			onListening: ({ port: shared, pids }) => {
				const url = `http://${shownHost}:${shared}`;
				if (options.json === true) {
					io.stdout.write(`${JSON.stringify({ url, workers: pids.length, pids })}\n`);
				} else {
					io.stdout.write(`Serving the registry at ${url} with ${pids.length} worker processes\n`);
				}
			},
		});
		return;
	}
	const running = await startService(service);
	const follower = follow(running);
	if (options.json === true) io.stdout.write(`${JSON.stringify({ url: running.url }, null, 2)}\n`);
	else io.stdout.write(`Serving the registry at ${running.url}\n`);
	await io.untilStopped();
	await follower?.stop();
	await running.close();
}
