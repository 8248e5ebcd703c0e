/**
 * The pages in a real browser (chromium), on both engines: every main page has no serious or
 * critical accessibility violation, hostile registry text stays text (no injected element runs,
 * `window.__pwned` stays undefined, no `javascript:` link), the CSP the app sends leaves the
 * pages working without script, and a maintainer can sign in, edit and sign out with plain forms.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { getPlugin } from '../../src/store/plugin-queries.ts';
import { forEachEngine } from '../engines.ts';
import { browserSkipReason, launchBrowser, newPage } from '../helpers/browser.ts';
import { BIDI_NAME, HOSTILE_REGISTRY, SCRIPT_NAME } from '../helpers/hostile-registry.ts';
import { assertAccessible, assertNoInjection } from '../helpers/page-checks.ts';
import { listen, PASSWORD, storedState, webFixture } from '../helpers/web-app.ts';

const skip = browserSkipReason();

/** What a reader sees (rendered text, without hidden parts). */
function shownText(page: Page, selector: string): Promise<string> {
	// biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text, which is what is asserted.
	return page.locator(selector).innerText();
}

describe('web pages in chromium', { skip }, () => {
	let browser: Browser;
	before(async () => {
		browser = await launchBrowser();
	});
	after(async () => {
		await browser?.close();
	});

	it('are accessible, show hostile text as text, and let a maintainer edit with plain forms', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const fixture = await webFixture(options, HOSTILE_REGISTRY);
			const server = await listen(fixture.app);
			const page = await newPage(browser);
			const scriptErrors: string[] = [];
			page.on('pageerror', (error) => scriptErrors.push(error.message));
			try {
				const visit = async (path: string, status = 200) => {
					const response = await page.goto(`${server.origin}${path}`);
					assert.equal(response?.status(), status, path);
				};

				await visit('/');
				assert.equal(await page.locator('h1').textContent(), 'Plugins');
				assert.equal(await page.locator('html').getAttribute('lang'), 'en');
				await assertNoInjection(page, 'browse');
				// The hostile name is on the page, as its literal text.
				assert.ok((await shownText(page, 'main')).includes(SCRIPT_NAME));
				await assertAccessible(page, 'browse');

				// The search form works without script: fill, submit, read the result.
				await page.fill('#q', "' OR 1=1 --");
				await Promise.all([page.waitForURL(/\?q=/), page.click('button[type=submit]')]);
				assert.match((await page.locator('#results').textContent()) ?? '', /^0 plugins found/);
				await page.selectOption('#trust', 'official');
				await page.fill('#q', '');
				await Promise.all([page.waitForURL(/trust=official/), page.click('button[type=submit]')]);
				assert.match((await page.locator('#results').textContent()) ?? '', /^1 plugin found/);

				await visit('/plugins/evil-one');
				await assertNoInjection(page, 'plugin page');
				const main = await shownText(page, 'main');
				assert.ok(main.includes('Blacklisted'));
				assert.ok(main.includes('<script>window.__pwned=3</script> steals tokens'));
				assert.ok(main.includes('<i onmouseover=window.__pwned=6>Böse</i>'));
				assert.equal(await page.locator('span[lang="de"]').count(), 1);
				await assertAccessible(page, 'plugin page (blacklisted)');

				await visit('/plugins/bidi-name');
				const bidi = await shownText(page, 'h1');
				assert.equal(bidi.includes('\u202e'), false, 'bidi override not obeyed');
				// Shown as a marker where it stood, so the reader sees something was there.
				assert.ok(bidi.startsWith(BIDI_NAME.replace(/[\u202a-\u202e]/g, '\ufffd')));
				// A badge glyph in a description cannot pose as a second badge.
				assert.equal((await shownText(page, '.description')).includes('🛡'), false);

				await visit('/plugins/cover-finder');
				await assertNoInjection(page, 'cover-finder');
				assert.equal(await shownText(page, 'pre.command'), 'vouch install cover-finder');
				assert.ok((await shownText(page, 'main')).includes('Maintained by the host team'));
				await assertAccessible(page, 'plugin page');

				await visit('/blacklist');
				await assertNoInjection(page, 'blacklist');
				await assertAccessible(page, 'blacklist');
				const entryHref = await page
					.locator('table.blacklist tbody a')
					.first()
					.getAttribute('href');
				assert.match(entryHref ?? '', /^\/blacklist\/bl-[0-9a-f]{12}$/);
				await visit(entryHref ?? '');
				await assertNoInjection(page, 'blacklist entry');
				await assertAccessible(page, 'blacklist entry');

				await visit('/plugins/%3Cscript%3E', 404);
				await assertNoInjection(page, 'not found');

				// Admin: redirected to sign-in, then signed in with the form.
				await visit('/admin');
				assert.match(page.url(), /\/admin\/sign-in$/);
				await assertAccessible(page, 'sign-in');
				await page.fill('#name', 'alice');
				await page.fill('#password', PASSWORD);
				await Promise.all([page.waitForURL(/\/admin$/), page.click('main button[type=submit]')]);
				await assertAccessible(page, 'dashboard');
				await assertNoInjection(page, 'dashboard');

				await visit('/admin/plugins/cover-finder');
				await assertAccessible(page, 'admin edit');
				const beforeEdit = await storedState(fixture.database);
				await page.selectOption('#trust', 'trusted');
				await page.fill('#reason', '<script>window.__pwned=7</script> re-reviewed');
				await Promise.all([page.waitForURL(/saved=1/), page.click('main button[type=submit]')]);
				assert.equal((await getPlugin(fixture.database.db, 'cover-finder'))?.trust, 'trusted');
				assert.equal((await storedState(fixture.database)).changes, beforeEdit.changes + 1);

				await visit('/admin/log');
				await assertNoInjection(page, 'log');
				assert.ok(
					(await shownText(page, 'main')).includes('<script>window.__pwned=7</script> re-reviewed'),
				);
				await assertAccessible(page, 'log');

				await visit('/admin/blacklist');
				await assertAccessible(page, 'admin blacklist');
				await page.selectOption('#kind', 'url');
				await page.fill('#value', 'javascript:alert(document.cookie)');
				await page.fill('#reason', '"><img src=x onerror=window.__pwned=8>');
				await page.click('main form.stacked button[type=submit]');
				await page.waitForLoadState();
				await assertNoInjection(page, 'admin blacklist after add');
				await visit('/blacklist');
				await assertNoInjection(page, 'blacklist after add');

				// A form token forged in the page is refused, and nothing changes.
				await visit('/admin/plugins/tag-tools');
				const beforeForged = await storedState(fixture.database);
				await page.locator('main input[name="csrf"]').evaluate((input) => {
					(input as unknown as { value: string }).value = 'c_forged';
				});
				await page.selectOption('#trust', 'official');
				await page.fill('#reason', 'forged');
				const [refused] = await Promise.all([
					page.waitForResponse((response) => response.request().method() === 'POST'),
					page.click('main button[type=submit]'),
				]);
				assert.equal(refused.status(), 403);
				assert.deepEqual(await storedState(fixture.database), beforeForged);

				// Sign out with the header's form.
				await visit('/admin');
				await Promise.all([page.waitForURL(`${server.origin}/`), page.click('.sign-out button')]);
				await visit('/admin');
				assert.match(page.url(), /\/admin\/sign-in$/);
				assert.deepEqual(scriptErrors, []);
			} finally {
				await page.context().close();
				await server.close();
				await fixture.close();
			}
		});
	});
});
