/**
 * `npm start`: the whole system on this machine, offline. It prepares (or reuses) the demo
 * ecosystem, starts the registry service on 127.0.0.1 with SQLite in the data directory, loads
 * the demo registry into it, publishes it through TUF and the log, serves the demo plugins'
 * repositories, writes the demo host profile, and prints the address and the commands to try.
 *
 * The port is fixed by default: the registry's `git_url`s contain it, so a plugin installed at
 * one start still matches its registry entry at the next.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@vouch/library/internal/core/atomic-fs';
import { createUploadPackHttp } from '@vouch/library/internal/git/upload-pack-http';
import { serverError } from '../errors.ts';
import { type RunningService, type ServiceOptions, startService } from '../service.ts';
import type { Actor } from '../store/actor.ts';
import { type DemoEcosystem, prepareDemoEcosystem } from './ecosystem.ts';
import { demoInstructions } from './instructions.ts';
import { writeDemoProfile } from './profile.ts';
import { writeDemoRegistry } from './registry-document.ts';

export const DEFAULT_DEMO_PORT = 8470;
export const DEMO_SERVICE_DIR = 'service';
export const DEMO_ADMIN = 'admin';
export const DEMO_ADMIN_PASSWORD_FILE = 'admin-password.txt';
const DEMO_ACTOR: Actor = { name: 'demo', role: 'admin' };
/** How long the first publish may take before the demo gives up (a slow machine). */
const FIRST_PUBLISH_MS = 120_000;

export interface RunDemoOptions {
	dataDir: string;
	port?: number;
	clock?: () => Date;
	env?: Readonly<Record<string, string | undefined>>;
	/** Progress lines, for a person waiting on a first start. */
	progress?: (line: string) => void;
	/** Extra service options (a test's publisher timing). */
	service?: Partial<ServiceOptions>;
}

export interface RunningDemo {
	service: RunningService;
	ecosystem: DemoEcosystem;
	/** `http://127.0.0.1:<port>/` */
	baseUrl: string;
	profileFile: string;
	adminPassword: string;
	/** What `npm start` prints. */
	instructions: string;
	close(): Promise<void>;
}

export async function runDemo(options: RunDemoOptions): Promise<RunningDemo> {
	const clock = options.clock ?? (() => new Date());
	const progress = options.progress ?? (() => {});
	progress('Preparing the demo ecosystem (keys, plugin repositories)…');
	const ecosystem = await prepareDemoEcosystem({
		dataDir: options.dataDir,
		clock,
		...(options.env === undefined ? {} : { env: options.env }),
	});
	const serviceDir = join(options.dataDir, DEMO_SERVICE_DIR);
	// New keys sign a new repository: what the service published with the old ones is void.
	if (!ecosystem.reused) await rm(serviceDir, { recursive: true, force: true });
	progress('Starting the registry service…');
	const service = await startService({
		dataDir: serviceDir,
		keysDir: ecosystem.keysDir,
		port: options.port ?? DEFAULT_DEMO_PORT,
		clock,
		git: createUploadPackHttp({
			root: ecosystem.reposDir,
			...(options.env === undefined ? {} : { env: options.env }),
		}),
		...options.service,
	});
	try {
		const baseUrl = `${service.url}/`;
		const registryFile = await writeDemoRegistry(ecosystem, baseUrl);
		const imported = await service.store.importText(
			await readFile(registryFile, 'utf8'),
			DEMO_ACTOR,
			`demo registry served at ${baseUrl}`,
		);
		progress('Signing and publishing the registry…');
		const publisher = service.publisher;
		if (publisher === undefined)
			throw serverError('UNAVAILABLE', 'The demo service runs no publisher.');
		await publisher.publishNow();
		await publisher.waitForRevision(imported.document.revision, { timeoutMs: FIRST_PUBLISH_MS });
		const root = await service.database.db
			.selectFrom('repo_files')
			.select('bytes')
			.where('path', '=', 'metadata/1.root.json')
			.executeTakeFirst();
		if (root === undefined)
			throw serverError('PUBLISH_FAILED', 'The first publish stored no root metadata.');
		const rootFile = join(serviceDir, '1.root.json');
		// With a database URL the service wrote nothing here yet.
		await mkdir(serviceDir, { recursive: true });
		await writeFileAtomic(rootFile, Buffer.from(root.bytes));
		const profile = await writeDemoProfile(options.dataDir, baseUrl, { rootFile });
		const adminPassword = await demoAdmin(service, options.dataDir);
		const instructions = [
			demoInstructions({ baseUrl, dataDir: options.dataDir }),
			`Maintainers sign in at ${baseUrl}admin/sign-in as "${DEMO_ADMIN}", with the password in`,
			`  ${join(options.dataDir, DEMO_ADMIN_PASSWORD_FILE)}`,
			'',
			'Press Ctrl+C to stop; `npm start` again reuses everything.',
			'',
		].join('\n');
		return {
			service,
			ecosystem,
			baseUrl,
			profileFile: profile.profileFile,
			adminPassword,
			instructions,
			close: () => service.close(),
		};
	} catch (error) {
		await service.close();
		throw error;
	}
}

/** The demo's maintainer account: made once, its password kept (0600) in the data directory. */
async function demoAdmin(service: RunningService, dataDir: string): Promise<string> {
	const file = join(dataDir, DEMO_ADMIN_PASSWORD_FILE);
	const existing = await service.accounts.byName(DEMO_ADMIN);
	if (existing !== undefined) {
		const kept = await readFile(file, 'utf8').catch(() => undefined);
		if (kept !== undefined) return kept.trim();
	}
	const password = randomBytes(12).toString('base64url');
	if (existing === undefined) await service.accounts.create(DEMO_ADMIN, 'admin', password);
	else await service.accounts.setPassword(existing, password);
	await writeFileAtomic(file, `${password}\n`, { mode: 0o600 });
	return password;
}
