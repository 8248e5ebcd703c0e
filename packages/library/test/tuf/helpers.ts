/**
 * A real TUF repository for the client tests: keys made with `initKeys`, metadata published
 * with `publishRepository` into a temp dir, served by a static HTTP server on 127.0.0.1. Any
 * path can be overridden with other bytes or a status, which is how the attack tests play the
 * part of a hostile mirror or network.
 */

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync } from 'node:fs';
import { copyFile, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { isVouchError } from '../../src/core/errors.ts';
import { createTufVerifier, type TufVerifier } from '../../src/tuf/client/verifier.ts';
import { initKeys } from '../../src/tuf/repository/init-keys.ts';
import { type PublishResult, publishRepository } from '../../src/tuf/repository/publish.ts';
import { UNREACHABLE_MS } from '../helpers/bounds.ts';
import { makeTempDir } from '../helpers/temp.ts';

export const UUID_A = '78430c8c-d2ed-4dcf-8b3f-d2bc8b7348ac';
export const UUID_B = '743aab37-d639-41b5-8000-727cb4bf291c';
export const UUID_C = 'abfb68b7-4fc5-4ec4-a1b8-c824e31ad0c5';

export function plugin(id: string, uuid: string): Record<string, unknown> {
	return {
		id,
		uuid,
		name: `Plugin ${id}`,
		description: `The ${id} plugin`,
		git_url: `https://github.com/example/picard-plugin-${id}`,
		categories: ['metadata'],
		trust_level: 'community',
		// Publishing runs the registry lint, which requires both dates.
		added_at: '2026-01-01T00:00:00Z',
		updated_at: '2026-01-01T00:00:00Z',
	};
}

export function banned(url: string): Record<string, unknown> {
	return { url, reason: 'Malware', blacklisted_at: '2026-01-01T00:00:00Z' };
}

/** A registry source in TOML, as maintainers write it. */
export function registryToml(blacklistUrls: string[] = ['https://github.com/evil/one']): string {
	const plugins = [plugin('alpha', UUID_A), plugin('beta', UUID_B)]
		.map(
			(entry) =>
				`[[plugins]]\n${Object.entries(entry)
					.map(([key, value]) => `${key} = ${JSON.stringify(value)}`)
					.join('\n')}\n`,
		)
		.join('\n');
	const blacklist = blacklistUrls
		.map(
			(url) =>
				`[[blacklist]]\nurl = ${JSON.stringify(url)}\nreason = "Malware"\nblacklisted_at = 2026-01-01T00:00:00Z\n`,
		)
		.join('\n');
	return `api_version = "3.0"\n\n${plugins}\n${blacklist}`;
}

export type Override =
	| { body: Buffer | string }
	| { status: number }
	| { redirect: string }
	| { hang: true };

export interface RepositoryServer {
	base: string;
	/** Request paths, in order. */
	requests: string[];
	/** The status of each answer, in the order of `requests` (304 for a matching If-None-Match). */
	statuses: number[];
	override(path: string, behaviour: Override): void;
	clear(path: string): void;
	close(): Promise<void>;
}

/** Serves `dir` as a static site, read from disk on every request. */
export async function serveDirectory(dir: string): Promise<RepositoryServer> {
	const overrides = new Map<string, Override>();
	const requests: string[] = [];
	const statuses: number[] = [];
	const server: Server = createServer((req, res) => {
		const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
		requests.push(path);
		const slot = statuses.push(0) - 1;
		res.on('finish', () => {
			statuses[slot] = res.statusCode;
		});
		const override = overrides.get(path);
		if (override !== undefined) {
			if ('hang' in override) return;
			if ('redirect' in override) {
				res.writeHead(302, { location: override.redirect }).end();
				return;
			}
			if ('status' in override) {
				res.writeHead(override.status).end();
				return;
			}
			res.writeHead(200, { 'content-type': 'application/json' }).end(override.body);
			return;
		}
		const file = normalize(join(dir, path));
		if (!file.startsWith(dir)) {
			res.writeHead(403).end();
			return;
		}
		readFile(file).then(
			(bytes) => {
				// A strong validator, as static file servers and CDNs send: a conditional GET of an
				// unchanged file is answered 304 with no body.
				const etag = `"${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}"`;
				if (req.headers['if-none-match'] === etag) {
					res.writeHead(304, { etag }).end();
					return;
				}
				res.writeHead(200, { 'content-type': 'application/json', etag }).end(bytes);
			},
			() => res.writeHead(404).end(),
		);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
	return {
		base,
		requests,
		statuses,
		override: (path, behaviour) => overrides.set(path, behaviour),
		clear: (path) => overrides.delete(path),
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

export interface TufFixture {
	dir: string;
	keysDir: string;
	repoDir: string;
	server: RepositoryServer;
	publish(text?: string, now?: Date): Promise<PublishResult>;
	/** A client with its own cache dirs, trusting the repository's first root. */
	client(options?: { now?: () => Date; name?: string; timeoutMs?: number }): TufVerifier;
	/** The bytes of a repository file, as now published. */
	file(path: string): Buffer;
	close(): Promise<void>;
}

export async function makeFixture(): Promise<TufFixture> {
	const dir = makeTempDir('vouch-tuf-');
	const keysDir = join(dir, 'keys');
	const repoDir = join(dir, 'repo');
	await initKeys({ dir: keysDir });
	await publishRepository({
		registryText: registryToml(),
		format: 'toml',
		keysDir,
		outDir: repoDir,
		now: new Date(),
	});
	// The root a host would ship: copied once, so later rotations do not change it.
	const shippedRoot = join(dir, 'shipped-root.json');
	await copyFile(join(repoDir, 'metadata', '1.root.json'), shippedRoot);
	return fixtureIn(dir);
}

/**
 * A fixture of its own with everything `template` has now (keys, published repository and log,
 * shipped root, whatever else the test put in its directory), served by a server of its own:
 * for tests that each change a repository built once.
 */
export async function copyFixture(template: TufFixture): Promise<TufFixture> {
	const dir = makeTempDir('vouch-tuf-');
	cpSync(template.dir, dir, { recursive: true, preserveTimestamps: true });
	return fixtureIn(dir);
}

async function fixtureIn(dir: string): Promise<TufFixture> {
	const keysDir = join(dir, 'keys');
	const repoDir = join(dir, 'repo');
	const shippedRoot = join(dir, 'shipped-root.json');
	const server = await serveDirectory(repoDir);
	return {
		dir,
		keysDir,
		repoDir,
		server,
		publish: (text = registryToml(), now = new Date()) =>
			publishRepository({
				registryText: text,
				keysDir,
				outDir: repoDir,
				now,
				// The tests change the registry by hand; the log needs the reason (D28).
				reason: 'Changed by the test.',
			}),
		client: (options = {}) => {
			const name = options.name ?? 'client';
			return createTufVerifier({
				trustedRootPath: shippedRoot,
				metadataDir: join(dir, name, 'metadata'),
				targetsDir: join(dir, name, 'targets'),
				repositoryUrl: server.base,
				timeoutMs: options.timeoutMs ?? UNREACHABLE_MS,
				...(options.now === undefined ? {} : { now: options.now }),
			});
		},
		file: (path) => readFileSync(join(repoDir, path)),
		close: () => server.close(),
	};
}

export async function rejectsCode(promise: Promise<unknown>, code: string): Promise<Error> {
	let caught: Error | undefined;
	await assert.rejects(promise, (error: unknown) => {
		assert.ok(isVouchError(error), `expected a VouchError, got ${String(error)}`);
		assert.equal(error.code, code, error.message);
		caught = error;
		return true;
	});
	return caught as Error;
}

export function blacklistUrls(text: string): string[] {
	const document = JSON.parse(text) as { blacklist: { url?: string }[] };
	return document.blacklist.map((entry) => entry.url ?? '');
}
