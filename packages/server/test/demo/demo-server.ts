/**
 * A stand-in for the registry service in the demo tests, on 127.0.0.1: the published TUF
 * repository as static files under `/tuf/`, and the demo plugins' repositories over git smart
 * HTTP under `/git/` (the library's upload-pack handler, as the service mounts it).
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, sep } from 'node:path';
import {
	createUploadPackHttp,
	MAX_UPLOAD_PACK_REQUEST_BYTES,
} from '@vouch/library/internal/git/upload-pack-http';

export interface DemoServer {
	/** `http://127.0.0.1:<port>/` */
	baseUrl: string;
	/** Request paths, in order. */
	requests: string[];
	close(): Promise<void>;
}

export async function startDemoServer(tufDir: string, reposDir: string): Promise<DemoServer> {
	const git = createUploadPackHttp({ root: reposDir });
	const requests: string[] = [];
	const root = normalize(tufDir);
	const server = createServer((request, response) => {
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		requests.push(url.pathname);
		if (url.pathname.startsWith('/git/')) {
			void readBody(request).then(async (body) => {
				const answer = await git.handle({
					method: request.method ?? 'GET',
					path: url.pathname.slice('/git'.length),
					query: url.search.replace(/^\?/, ''),
					...(request.headers['content-type'] === undefined
						? {}
						: { contentType: request.headers['content-type'] }),
					...(request.headers['content-encoding'] === undefined
						? {}
						: { contentEncoding: request.headers['content-encoding'] }),
					...(body === undefined ? {} : { body }),
				});
				response.writeHead(answer.status, answer.headers).end(answer.body);
			});
			return;
		}
		const file = normalize(join(root, decodeURIComponent(url.pathname.replace(/^\/tuf\//, '/'))));
		if (!url.pathname.startsWith('/tuf/') || !file.startsWith(root + sep)) {
			response.writeHead(404).end();
			return;
		}
		readFile(file).then(
			(bytes) => response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bytes),
			() => response.writeHead(404).end(),
		);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		baseUrl: `http://127.0.0.1:${port}/`,
		requests,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** The body, or an empty one past the bound (the handler then answers 413). */
async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of request) {
		size += (chunk as Buffer).length;
		if (size > MAX_UPLOAD_PACK_REQUEST_BYTES + 1) continue;
		chunks.push(chunk as Buffer);
	}
	return chunks.length === 0 ? undefined : Buffer.concat(chunks);
}
