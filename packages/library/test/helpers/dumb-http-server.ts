/**
 * git's old "dumb" HTTP protocol on 127.0.0.1: a plain static file server over a directory of
 * bare repositories prepared with `git update-server-info`, as some self-hosted mirrors still
 * serve them. Only GET of files under the root; nothing runs git.
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, sep } from 'node:path';

export interface DumbHttpServer {
	url: string;
	close(): Promise<void>;
}

export async function startDumbHttpServer(root: string): Promise<DumbHttpServer> {
	const base = normalize(root);
	const server = createServer((request, response) => {
		const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
		const file = normalize(join(base, path));
		if (request.method !== 'GET' || !file.startsWith(base + sep)) {
			response.writeHead(403).end();
			return;
		}
		let size: number;
		try {
			const info = statSync(file);
			if (!info.isFile()) throw new Error('not a file');
			size = info.size;
		} catch {
			response.writeHead(404).end();
			return;
		}
		response.writeHead(200, {
			'content-type': 'application/octet-stream',
			'content-length': size,
		});
		createReadStream(file).pipe(response);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
