import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { testService } from './helpers.ts';

describe('the operators log', () => {
	it('keeps a request path from writing lines of its own', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'vouch-log-'));
		const logged: string[] = [];
		const web = new Hono();
		web.get('/boom/*', () => {
			throw new Error('the cause');
		});
		const service = await testService(
			{ dataDir: join(dir, 'data') },
			{ web, log: (line) => logged.push(line) },
		);
		try {
			for (const path of [
				'/boom/x%0Aerror:%20GET%20/admin:%20forged',
				'/boom/x%0D%0Aerror:%20forged',
				'/boom/x%1B%5B2Jforged',
				'/boom/x%E2%80%AEforged',
			]) {
				logged.length = 0;
				const response = await service.request(path);
				assert.equal(response.status, 500, path);
				assert.equal(logged.length, 1, path);
				const [first = '', ...rest] = (logged[0] ?? '').split(/\r?\n|\r/);
				// The path stays on the entry's first line, without controls; the rest is the stack.
				assert.match(first, /^error: GET \/boom\/x.*forged.*: Error: the cause$/, path);
				assert.ok(
					[...first].every((ch) => {
						const code = ch.codePointAt(0) ?? 0;
						return code >= 0x20 && code !== 0x7f && code !== 0x202e;
					}),
					path,
				);
				for (const line of rest) assert.doesNotMatch(line, /forged/, path);
			}
		} finally {
			await service.close();
			await rm(dir, { recursive: true, force: true });
		}
	});
});
