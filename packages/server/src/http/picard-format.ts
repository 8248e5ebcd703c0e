/**
 * Picard's own registry files, so an unmodified Picard can use this service as its registry
 * URL: `/picard/plugins.toml` is the document as maintainers wrote it (byte for byte when it is
 * stored as TOML), `/picard/plugins.json` the same document as JSON, the form Picard's registry
 * tool writes with `--format json`. Both are revalidated by ETag.
 */
import { Hono } from 'hono';
import { serverError } from '../errors.ts';
import { conditionalResponse, JSON_TYPE } from './conditional.ts';
import type { RegistryView } from './registry-view.ts';

export const PICARD_CACHE_CONTROL = 'public, max-age=60, must-revalidate';
export const TOML_TYPE = 'application/toml; charset=utf-8';

export function picardFormat(view: () => Promise<RegistryView | undefined>): Hono {
	const routes = new Hono();

	async function current(): Promise<RegistryView> {
		const found = await view();
		if (found === undefined) {
			throw serverError('NOT_FOUND', 'The service holds no registry yet.', {
				hint: 'An operator imports one with `vouch-server import plugins.toml`.',
			});
		}
		return found;
	}

	routes.get('/plugins.toml', async (c) => {
		const found = await current();
		return conditionalResponse(c.req.header('if-none-match'), {
			body: found.toml(),
			contentType: TOML_TYPE,
			cacheControl: PICARD_CACHE_CONTROL,
		});
	});

	routes.get('/plugins.json', async (c) => {
		const found = await current();
		return conditionalResponse(c.req.header('if-none-match'), {
			body: found.json(),
			contentType: JSON_TYPE,
			cacheControl: PICARD_CACHE_CONTROL,
		});
	});

	return routes;
}
