/**
 * Plugin repositories served over git's smart HTTP, fetch only (the library's upload-pack
 * handler). The demo mounts it at `/git/` so that its registry can point installs at
 * `http://127.0.0.1/...` rather than at local paths, which a registry fetched over the network
 * may never list (D11).
 */
import type { UploadPackHttp } from '@vouch/library/internal/git/upload-pack-http';
import { Hono } from 'hono';

export const GIT_MOUNT = '/git';

export function gitRepositories(handler: UploadPackHttp): Hono {
	const app = new Hono();
	app.on(['GET', 'POST'], '/*', async (c) => {
		const url = new URL(c.req.url);
		const body = c.req.method === 'POST' ? new Uint8Array(await c.req.arrayBuffer()) : undefined;
		const contentType = c.req.header('content-type');
		const contentEncoding = c.req.header('content-encoding');
		const answer = await handler.handle({
			method: c.req.method,
			path: url.pathname.slice(GIT_MOUNT.length),
			query: url.search.replace(/^\?/, ''),
			...(contentType === undefined ? {} : { contentType }),
			...(contentEncoding === undefined ? {} : { contentEncoding }),
			...(body === undefined || body.length === 0 ? {} : { body }),
		});
		return new Response(answer.body, { status: answer.status, headers: answer.headers });
	});
	return app;
}
