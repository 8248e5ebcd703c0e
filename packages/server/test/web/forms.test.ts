/**
 * The maintainers' forms, attacked on both engines: no session, an expired one, the wrong role,
 * missing and forged form tokens, posts from another origin, oversized and mis-encoded bodies,
 * redirects that try to leave the site. Each is refused, and the stored registry (its revision
 * and the change count) is exactly what it was. The happy paths commit through the library's
 * planners and trigger a publish.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getPlugin } from '../../src/store/plugin-queries.ts';
import { forEachEngine } from '../engines.ts';
import { HOSTILE_REGISTRY } from '../helpers/hostile-registry.ts';
import { storedState, type WebFixture, webFixture } from '../helpers/web-app.ts';
import { csrfOf, form, ORIGIN, post, signIn } from '../helpers/web-session.ts';

async function withFixture(
	t: Parameters<typeof forEachEngine>[0],
	body: (fixture: WebFixture) => Promise<void>,
): Promise<void> {
	await forEachEngine(t, async ({ options }) => {
		const fixture = await webFixture(options, HOSTILE_REGISTRY);
		try {
			await body(fixture);
		} finally {
			await fixture.close();
		}
	});
}

const EDIT = { trust: 'trusted', categories: ['coverart'], reason: 'reviewed by two maintainers' };

describe('web forms', () => {
	it('sign-in sets a strict session cookie, Secure only over https, and refuses bad passwords alike', async (t) => {
		await withFixture(t, async ({ app }) => {
			const page = await app.request(`${ORIGIN}/admin/sign-in`);
			const pre = page.headers.getSetCookie().join('\n');
			const token = csrfOf(await page.text());
			const cookie = pre.split(';')[0] ?? '';
			const attempt = (name: string, password: string, headers: Record<string, string> = {}) =>
				post(
					app,
					'/admin/sign-in?next=https://evil.example/',
					form({ csrf: token, name, password }),
					{
						cookie,
						...headers,
					},
				);
			const wrong = await attempt('alice', 'not the password at all');
			const unknown = await attempt('nobody', 'not the password at all');
			assert.equal(wrong.status, 401);
			assert.equal(unknown.status, 401);
			const wrongText = await wrong.text();
			assert.match(wrongText, /The name or the password is wrong/);
			assert.equal(wrongText.includes('nobody'), false);
			assert.match(await unknown.text(), /The name or the password is wrong/);
			assert.equal(
				wrong.headers.getSetCookie().some((c) => c.startsWith('vouch_session=')),
				false,
			);

			const ok = await attempt('alice', 'correct horse battery staple');
			assert.equal(ok.status, 303);
			// The target is fixed: a `next` in the URL is not followed.
			assert.equal(ok.headers.get('location'), '/admin');
			const session = ok.headers.getSetCookie().find((c) => c.startsWith('vouch_session=')) ?? '';
			assert.match(session, /HttpOnly/);
			assert.match(session, /SameSite=Strict/);
			assert.match(session, /Path=\//);
			assert.doesNotMatch(session, /Secure/);

			const behindTls = await attempt('alice', 'correct horse battery staple', {
				'x-forwarded-proto': 'https',
			});
			const secure = behindTls.headers.getSetCookie().find((c) => c.startsWith('vouch_session='));
			assert.match(secure ?? '', /Secure/);

			// Without the sign-in form's own token (login CSRF), or with another one: refused.
			const noToken = await post(
				app,
				'/admin/sign-in',
				form({ name: 'alice', password: 'correct horse battery staple' }),
				{ cookie },
			);
			assert.equal(noToken.status, 403);
			const forged = await post(
				app,
				'/admin/sign-in',
				form({ csrf: `${token}x`, name: 'alice', password: 'correct horse battery staple' }),
				{ cookie },
			);
			assert.equal(forged.status, 403);
			const noCookie = await post(
				app,
				'/admin/sign-in',
				form({ csrf: token, name: 'alice', password: 'correct horse battery staple' }),
			);
			assert.equal(noCookie.status, 403);
		});
	});

	it('admin pages need a live session: none, forged or expired goes to sign-in (GET) or 401 (POST)', async (t) => {
		await withFixture(t, async (fixture) => {
			const { app, database } = fixture;
			const before = await storedState(database);
			for (const cookie of [
				undefined,
				'vouch_session=s_forged',
				`vouch_session=${'x'.repeat(500)}`,
			]) {
				const headers: Record<string, string> = cookie === undefined ? {} : { cookie };
				for (const path of [
					'/admin',
					'/admin/log',
					'/admin/plugins/cover-finder',
					'/admin/blacklist',
					'/admin/accounts',
				]) {
					const response = await app.request(`${ORIGIN}${path}`, { headers });
					assert.equal(response.status, 303, path);
					assert.equal(response.headers.get('location'), '/admin/sign-in');
				}
				const edit = await post(
					app,
					'/admin/plugins/cover-finder',
					form({ ...EDIT, csrf: 'c_x' }),
					headers,
				);
				assert.equal(edit.status, 401);
			}
			const session = await signIn(app, 'alice');
			fixture.clock.now = new Date(fixture.clock.now.getTime() + 12 * 3_600_000 + 1000);
			const expired = await app.request(`${ORIGIN}/admin`, { headers: { cookie: session.cookie } });
			assert.equal(expired.status, 303);
			const late = await post(
				app,
				'/admin/plugins/cover-finder',
				form({ ...EDIT, csrf: session.csrf }),
				{ cookie: session.cookie },
			);
			assert.equal(late.status, 401);
			assert.deepEqual(await storedState(database), before);
			assert.equal(fixture.publishes, 0);
		});
	});

	it('a maintainer cannot open the admins-only accounts page; an admin can', async (t) => {
		await withFixture(t, async ({ app }) => {
			const alice = await signIn(app, 'alice');
			const refused = await app.request(`${ORIGIN}/admin/accounts`, {
				headers: { cookie: alice.cookie },
			});
			assert.equal(refused.status, 403);
			const root = await signIn(app, 'root');
			const accounts = await app.request(`${ORIGIN}/admin/accounts`, {
				headers: { cookie: root.cookie },
			});
			assert.equal(accounts.status, 200);
			assert.match(await accounts.text(), /alice/);
		});
	});

	it('refuses posts with a missing, forged or foreign form token, or from another origin, and changes nothing', async (t) => {
		await withFixture(t, async (fixture) => {
			const { app, database } = fixture;
			const alice = await signIn(app, 'alice');
			const root = await signIn(app, 'root');
			const before = await storedState(database);
			const attempts: [string, Record<string, string>][] = [
				[form(EDIT), {}],
				[form({ ...EDIT, csrf: '' }), {}],
				[
					form({
						...EDIT,
						csrf: `${alice.csrf.slice(0, -1)}${alice.csrf.endsWith('A') ? 'B' : 'A'}`,
					}),
					{},
				],
				[form({ ...EDIT, csrf: root.csrf }), {}],
				[form({ ...EDIT, csrf: 'x'.repeat(5000) }), {}],
				[form({ ...EDIT, csrf: alice.csrf }), { origin: 'https://evil.example' }],
				[form({ ...EDIT, csrf: alice.csrf }), { origin: 'null' }],
				[form({ ...EDIT, csrf: alice.csrf }), { origin: 'http://127.0.0.1.evil.example' }],
				[form({ ...EDIT, csrf: alice.csrf }), { 'sec-fetch-site': 'cross-site' }],
			];
			for (const [body, headers] of attempts) {
				for (const path of ['/admin/plugins/cover-finder', '/admin/blacklist', '/admin/sign-out']) {
					const response = await post(app, path, body, { cookie: alice.cookie, ...headers });
					assert.equal(
						response.status,
						403,
						`${path} ${JSON.stringify(headers)} ${body.slice(0, 60)}`,
					);
				}
			}
			assert.deepEqual(await storedState(database), before);
			assert.equal(fixture.publishes, 0);
			// Sign-out was refused too: the session still works.
			const still = await app.request(`${ORIGIN}/admin`, { headers: { cookie: alice.cookie } });
			assert.equal(still.status, 200);
		});
	});

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
