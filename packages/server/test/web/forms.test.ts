/**
 * The maintainers' forms on both engines: oversized and mis-encoded bodies and bad values are
 * refused with nothing stored; the happy paths commit through the library's planners, trigger a
 * publish and redirect only inside the site; search treats SQL and LIKE metacharacters as text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getPlugin } from '../../src/store/plugin-queries.ts';
import { storedState } from '../helpers/web-app.ts';
import { EDIT, withFixture } from '../helpers/web-fixture-run.ts';
import { form, ORIGIN, post, signIn } from '../helpers/web-session.ts';

describe('web forms', () => {
	it('refuses oversized and mis-encoded bodies (413, 400) and bad values (400), changing nothing', async (t) => {
		await withFixture(t, async (fixture) => {
			const { app, database } = fixture;
			const alice = await signIn(app, 'alice');
			const before = await storedState(database);
			const headers = { cookie: alice.cookie };
			const big = form({ ...EDIT, csrf: alice.csrf, reason: 'x'.repeat(20_000) });
			assert.equal((await post(app, '/admin/plugins/cover-finder', big, headers)).status, 413);
			// A Content-Length that lies small does not help: the body is counted as it is read.
			const lying = await post(app, '/admin/blacklist', big, {
				...headers,
				'content-length': '10',
			});
			assert.ok([400, 413].includes(lying.status), String(lying.status));
			const multipart = await app.request(`${ORIGIN}/admin/plugins/cover-finder`, {
				method: 'POST',
				headers: { ...headers, 'content-type': 'multipart/form-data; boundary=x' },
				body: '--x--',
			});
			assert.equal(multipart.status, 400);
			const cases = [
				{ ...EDIT, csrf: alice.csrf, reason: '' },
				{ ...EDIT, csrf: alice.csrf, reason: '   ' },
				{ ...EDIT, csrf: alice.csrf, trust: 'unregistered' },
				{ ...EDIT, csrf: alice.csrf, trust: "official' OR 1=1 --" },
				{ ...EDIT, csrf: alice.csrf, reason: 'r'.repeat(1001) },
			];
			for (const fields of cases) {
				const response = await post(app, '/admin/plugins/cover-finder', form(fields), headers);
				assert.equal(response.status, 400, JSON.stringify(fields).slice(0, 80));
			}
			const badEntries = [
				{ kind: 'uuid', value: "' OR 1=1 --", reason: 'x' },
				{ kind: 'url_regex', value: '(a+)+$(?<=x)', reason: 'x' },
				{ kind: 'sql', value: 'https://github.com/a/b', reason: 'x' },
				{ kind: 'url', value: 'https://github.com/a/b', reason: '' },
				{ kind: 'url', value: 'https://github.com/a/b', reason: 'x', severity: 'nuclear' },
			];
			for (const fields of badEntries) {
				const response = await post(
					app,
					'/admin/blacklist',
					form({ severity: 'hard', ...fields, csrf: alice.csrf }),
					headers,
				);
				assert.equal(response.status, 400, JSON.stringify(fields));
				assert.equal((await response.text()).includes('<script'), false);
			}
			const unknown = await post(
				app,
				'/admin/plugins/no-such-plugin',
				form({ ...EDIT, csrf: alice.csrf }),
				headers,
			);
			assert.equal(unknown.status, 404);
			assert.deepEqual(await storedState(database), before);
			assert.equal(fixture.publishes, 0);
		});
	});

	it('edits a plugin and the blacklist through the planners, publishes, and redirects only inside the site', async (t) => {
		await withFixture(t, async (fixture) => {
			const { app, database } = fixture;
			const alice = await signIn(app, 'alice');
			const headers = { cookie: alice.cookie, origin: ORIGIN };
			const before = await storedState(database);

			const edited = await post(
				app,
				'/admin/plugins/cover-finder',
				form({ ...EDIT, csrf: alice.csrf }),
				headers,
			);
			assert.equal(edited.status, 303);
			assert.equal(edited.headers.get('location'), '/admin/plugins/cover-finder?saved=1');
			const plugin = await getPlugin(database.db, 'cover-finder');
			assert.equal(plugin?.trust, 'trusted');
			assert.deepEqual(plugin?.categories, ['coverart']);
			assert.deepEqual(await storedState(database), {
				revision: before.revision + 1,
				changes: before.changes + 1,
			});
			assert.equal(fixture.publishes, 1);

			// A hard entry on a trusted plugin, or a pattern, is an incident's, with a second
			// maintainer (D22): refused, confirmed or not, and nothing stored.
			for (const fields of [
				{ kind: 'url', value: 'https://github.com/example/cover-finder', severity: 'hard' },
				{ kind: 'url_regex', value: '^https://github\\.com/example/', severity: 'soft' },
			]) {
				const refused = await post(
					app,
					'/admin/blacklist',
					form({ ...fields, reason: 'alone', confirm: 'yes', csrf: alice.csrf }),
					headers,
				);
				assert.equal(refused.status, 403, JSON.stringify(fields));
			}
			assert.equal((await storedState(database)).changes, before.changes + 1);

			const entryFields = {
				kind: 'url',
				value: 'https://github.com/example/tag-tools',
				reason: '<b>bad</b> "quoted"',
				severity: 'soft',
				csrf: alice.csrf,
			};
			// It blocks a plugin this registry lists: refused until the maintainer confirms.
			const unconfirmed = await post(app, '/admin/blacklist', form(entryFields), headers);
			assert.equal(unconfirmed.status, 400);
			assert.match(await unconfirmed.text(), /blocks 1 plugin\(s\) of this registry: tag-tools/);
			assert.equal((await storedState(database)).changes, before.changes + 1);
			const added = await post(
				app,
				'/admin/blacklist',
				form({ ...entryFields, confirm: 'yes' }),
				headers,
			);
			assert.equal(added.status, 303);
			assert.equal(added.headers.get('location'), '/admin/blacklist?saved=1');
			const tagTools = await (await app.request(`${ORIGIN}/plugins/tag-tools`)).text();
			assert.match(tagTools, /Blacklisted/);
			assert.match(tagTools, /&lt;b&gt;bad&lt;\/b&gt; &quot;quoted&quot;/);
			const entryId = /href="\/blacklist\/(bl-[0-9a-f]{12})"/.exec(tagTools)?.[1] ?? '';
			assert.notEqual(entryId, '');

			const removePage = await app.request(`${ORIGIN}/admin/blacklist/${entryId}/remove`, {
				headers,
			});
			assert.equal(removePage.status, 200);
			const removed = await post(
				app,
				`/admin/blacklist/${entryId}/remove`,
				form({ reason: 'a mistake', csrf: alice.csrf }),
				headers,
			);
			assert.equal(removed.status, 303);
			assert.doesNotMatch(
				await (await app.request(`${ORIGIN}/plugins/tag-tools`)).text(),
				/Blacklisted/,
			);
			assert.equal((await storedState(database)).changes, before.changes + 3);
			assert.equal(fixture.publishes, 3);

			const log = await (await app.request(`${ORIGIN}/admin/log`, { headers })).text();
			assert.match(log, /reviewed by two maintainers/);
			assert.match(log, /waiting to be published/);

			const out = await post(app, '/admin/sign-out', form({ csrf: alice.csrf }), headers);
			assert.equal(out.status, 303);
			assert.equal(out.headers.get('location'), '/');
			const after = await app.request(`${ORIGIN}/admin`, { headers });
			assert.equal(after.status, 303);
		});
	});

	it('search treats SQL and LIKE metacharacters as text', async (t) => {
		await withFixture(t, async ({ app }) => {
			for (const q of ["' OR 1=1 --", '%', '\\', '%_%', "'; DROP TABLE plugins; --"]) {
				const response = await app.request(`${ORIGIN}/?q=${encodeURIComponent(q)}`);
				assert.equal(response.status, 200);
				assert.match(await response.text(), /0 plugins found/, q);
			}
			// `_` is a literal underscore: only the plugin whose text has one is found, not all four.
			const underscore = await (await app.request(`${ORIGIN}/?q=_`)).text();
			assert.match(underscore, /1 plugin found/);
			assert.match(underscore, /href="\/plugins\/evil-one"/);
			const all = await (
				await app.request(`${ORIGIN}/?page=99999999999&sort=bogus&trust=x`)
			).text();
			assert.match(all, /4 plugins/);
			assert.match(await (await app.request(`${ORIGIN}/?q=cover`)).text(), /1 plugin found/);
		});
	});
});
