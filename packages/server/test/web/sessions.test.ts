/**
 * Sessions and form tokens on the maintainers' pages, attacked on both engines: no session, a
 * forged or expired one, the wrong role, missing, forged and foreign form tokens, posts from
 * another origin. Each is refused, and the stored registry (its revision and the change count)
 * is exactly what it was.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { storedState } from '../helpers/web-app.ts';
import { EDIT, withFixture } from '../helpers/web-fixture-run.ts';
import { csrfOf, form, ORIGIN, post, signIn } from '../helpers/web-session.ts';

describe('web sessions and form tokens', () => {
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
});
