/**
 * The blacklist's own add does not go around dual control (D22): one maintainer adding an entry
 * by hand through the admin API may not add a pattern, nor a hard entry blocking an official or
 * trusted plugin (now or once), which an incident applies only with a second maintainer's
 * approval. A soft entry, and a hard entry on a community plugin, stay one maintainer's.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachEngine } from '../engines.ts';
import { errorCode, testService } from './helpers.ts';

const TRUSTED = {
	id: 'additional-artists-details',
	uuid: '81fd1f5f-f723-498f-a82e-17fb4163c83a',
	url: 'https://github.com/rdswift/picard-plugin-additional-artists-details',
};
const COMMUNITY = {
	id: 'add-to-collection',
	uuid: '3713d8f5-72b0-401d-9ec9-3818380bc576',
};

describe('blacklist entries added by hand', () => {
	it('refuse what would need a second maintainer, even after the trust is lowered', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const service = await testService(options);
			try {
				const add = (entry: Record<string, unknown>) =>
					service.send('POST', '/api/v1/admin/blacklist', service.maintainerToken, {
						reason: 'Blocked by one maintainer',
						confirm: true,
						...entry,
					});
				const entries = async () =>
					(
						(await (await service.request('/api/v1/blacklist')).json()) as {
							entries: unknown[];
						}
					).entries.length;
				for (const entry of [
					{ uuid: TRUSTED.uuid },
					{ url: `${TRUSTED.url.toUpperCase().replace('HTTPS://', 'https://')}.git` },
					{ uuid: TRUSTED.uuid, versions: '<9.0.0' },
					{ url_regex: '^https://github\\.com/rdswift/' },
					{ url_regex: '^https://github\\.com/rdswift/', severity: 'soft' },
				]) {
					const refused = await add(entry);
					assert.equal(refused.status, 403, JSON.stringify(entry));
					assert.equal(await errorCode(refused), 'FORBIDDEN');
				}
				assert.equal(await entries(), 0);

				// Lowered to community first: the block still needs a second maintainer.
				const lowered = await service.send(
					'PATCH',
					`/api/v1/admin/plugins/${TRUSTED.id}`,
					service.maintainerToken,
					{ trust: 'community', reason: 'Lowered' },
				);
				assert.equal(lowered.status, 200);
				const after = await add({ uuid: TRUSTED.uuid });
				assert.equal(after.status, 403, 'one maintainer hard-blocked a lowered plugin');
				assert.equal(await entries(), 0);

				// What one maintainer may do alone still goes through.
				assert.equal((await add({ uuid: TRUSTED.uuid, severity: 'soft' })).status, 201);
				assert.equal((await add({ uuid: COMMUNITY.uuid })).status, 201);
				assert.equal(await entries(), 2);
			} finally {
				await service.close();
			}
		});
	});
});
