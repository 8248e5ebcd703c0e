/**
 * The read side of git's smart HTTP protocol over a directory of bare repositories: what a
 * registry service answers so that clients can clone the plugins it hosts (the demo ecosystem
 * behind `npm start` serves its plugins this way on 127.0.0.1).
 *
 * Only fetching is served: `GET <name>.git/info/refs?service=git-upload-pack` and
 * `POST <name>.git/git-upload-pack`, run as `git upload-pack --stateless-rpc`. Pushing, the
 * old "dumb" file protocol and any other path get a 404, so a request can never name a file
 * outside a repository or make git write. Names are one plain path segment. Request bodies
 * are bounded (also after gzip), and each git process has a time limit and bounded output.
 * The exchange stays on protocol v0, where what may be fetched is set by this module alone.
 */
import { stat } from 'node:fs/promises';
import { join, parse as parsePath, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { gitEnvironment } from './environment.ts';
import { ProcessGroups, runGit } from './run.ts';

export interface UploadPackHttpOptions {
	/** The directory holding the served bare repositories, as `<name>.git`. */
	root: string;
	env?: Readonly<Record<string, string | undefined>>;
	gitBinary?: string;
	/** Time limit of each git process. Default 60 s. */
	timeoutMs?: number;
	/** Largest pack sent in one answer. Default 64 MiB. */
	maxResponseBytes?: number;
}

export interface GitHttpRequest {
	method: string;
	/** The path below where the repositories are mounted, such as `/name.git/info/refs`. */
	path: string;
	/** The query string, without `?`. */
	query: string;
	contentType?: string;
	contentEncoding?: string;
	body?: Uint8Array;
}

export interface GitHttpResponse {
	status: number;
	headers: Record<string, string>;
	body: Uint8Array;
}

export interface UploadPackHttp {
	handle(request: GitHttpRequest): Promise<GitHttpResponse>;
}

/** A fetch request lists wants and haves; a megabyte is thousands of them. */
export const MAX_UPLOAD_PACK_REQUEST_BYTES = 1024 * 1024;
const REPOSITORY_PATH = /^\/([A-Za-z0-9][A-Za-z0-9_-]{0,99})\.git\/(info\/refs|git-upload-pack)$/;
const NO_CACHE = { 'Cache-Control': 'no-cache, max-age=0, must-revalidate' };

export function createUploadPackHttp(options: UploadPackHttpOptions): UploadPackHttp {
	const root = resolve(options.root);
	const env: Record<string, string> = {
		...gitEnvironment(options.env ?? process.env, { allowInsecureTransport: false }),
		GIT_CONFIG_GLOBAL: '/dev/null',
		GIT_CONFIG_NOSYSTEM: '1',
	};
	// A client's Git-Protocol header never reaches git: v0 it is.
	delete env.GIT_PROTOCOL;
	const groups = new ProcessGroups();
	const maxResponseBytes = options.maxResponseBytes ?? 64 * 1024 * 1024;

	const uploadPack = async (repo: string, flags: string[], stdin?: Uint8Array) => {
		const result = await runGit({
			gitBinary: options.gitBinary ?? 'git',
			// A pinned release is fetched by commit id; only commits a ref reaches may be asked for.
			args: [
				'-c',
				'uploadpack.allowReachableSHA1InWant=true',
				'-c',
				'uploadpack.allowAnySHA1InWant=false',
				'upload-pack',
				'--stateless-rpc',
				...flags,
				'--',
				repo,
			],
			cwd: parsePath(root).root,
			env,
			timeoutMs: options.timeoutMs ?? 60_000,
			maxStdoutBytes: maxResponseBytes,
			maxStderrBytes: 64 * 1024,
			action: 'serving a fetch',
			groups,
			...(stdin === undefined ? {} : { stdin }),
		});
		return result.exitCode === 0 ? result.stdout : undefined;
	};

	return {
		async handle(request) {
			const match = REPOSITORY_PATH.exec(request.path);
			const name = match?.[1];
			if (match === null || name === undefined) return plain(404, 'Not found.');
			const repo = join(root, `${name}.git`);
			if (!(await isBareRepository(repo))) return plain(404, 'Not found.');
			try {
				if (match[2] === 'info/refs') {
					if (request.method !== 'GET' && request.method !== 'HEAD') {
						return plain(405, 'Method not allowed.');
					}
					if (new URLSearchParams(request.query).get('service') !== 'git-upload-pack') {
						return plain(404, 'Only fetching over smart HTTP is served.');
					}
					const advertisement = await uploadPack(repo, ['--advertise-refs']);
					if (advertisement === undefined) return plain(500, 'git could not list the refs.');
					const preamble = Buffer.from(`${pktLine('# service=git-upload-pack\n')}0000`);
					return {
						status: 200,
						headers: {
							'Content-Type': 'application/x-git-upload-pack-advertisement',
							...NO_CACHE,
						},
						body: Buffer.concat([preamble, advertisement]),
					};
				}
				if (request.method !== 'POST') return plain(405, 'Method not allowed.');
				if (request.contentType !== 'application/x-git-upload-pack-request') {
					return plain(415, 'Not a git upload-pack request.');
				}
				const body = decodeBody(request);
				if (body === undefined) return plain(413, 'The request is too large.');
				const pack = await uploadPack(repo, [], body);
				if (pack === undefined) return plain(500, 'git could not answer the fetch.');
				return {
					status: 200,
					headers: { 'Content-Type': 'application/x-git-upload-pack-result', ...NO_CACHE },
					body: pack,
				};
			} catch {
				// A timeout or an oversized answer: git was stopped; the client sees a failed fetch.
				return plain(500, 'git could not answer in time.');
			}
		},
	};
}

function decodeBody(request: GitHttpRequest): Uint8Array | undefined {
	const raw = request.body ?? new Uint8Array();
	if (raw.length > MAX_UPLOAD_PACK_REQUEST_BYTES) return undefined;
	const encoding = (request.contentEncoding ?? '').toLowerCase();
	if (encoding === '' || encoding === 'identity') return raw;
	if (encoding !== 'gzip' && encoding !== 'x-gzip') return undefined;
	try {
		// Bounded after inflating too: a small gzip body must not become gigabytes.
		return gunzipSync(raw, { maxOutputLength: MAX_UPLOAD_PACK_REQUEST_BYTES });
	} catch {
		return undefined;
	}
}

async function isBareRepository(dir: string): Promise<boolean> {
	try {
		const [head, objects] = await Promise.all([
			stat(join(dir, 'HEAD')),
			stat(join(dir, 'objects')),
		]);
		return head.isFile() && objects.isDirectory();
	} catch {
		return false;
	}
}

function pktLine(text: string): string {
	return (Buffer.byteLength(text) + 4).toString(16).padStart(4, '0') + text;
}

function plain(status: number, text: string): GitHttpResponse {
	return {
		status,
		headers: { 'Content-Type': 'text/plain; charset=utf-8', ...NO_CACHE },
		body: Buffer.from(`${text}\n`),
	};
}
