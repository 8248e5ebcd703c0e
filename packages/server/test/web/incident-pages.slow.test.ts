/**
 * The incident path's pages in chromium, on both engines: a user reports a plugin with the
 * page's form (hostile text in every field), reads the receipt and the status; a maintainer
 * confirms and blocks with the admin forms; a second maintainer approves (the plugin is
 * trusted); the public incident page shows the action, the timeline and the appeal form. Each
 * page has no serious or critical axe violation and runs nothing injected.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { forEachEngine } from '../engines.ts';
import { browserSkipReason, launchBrowser, newPage } from '../helpers/browser.ts';
import { HOSTILE_REGISTRY } from '../helpers/hostile-registry.ts';
import { assertAccessible, assertNoInjection } from '../helpers/page-checks.ts';
import { listen, PASSWORD, webFixture } from '../helpers/web-app.ts';

const skip = browserSkipReason();
const HOSTILE = '<script>window.__pwned=1</script>"><img src=x onerror="window.__pwned=2">';

async function signInAs(page: Page, origin: string, name: string): Promise<void> {
	await page.goto(`${origin}/admin/sign-in`);
	await page.fill('#name', name);
	await page.fill('#password', PASSWORD);
	await Promise.all([page.waitForURL(/\/admin$/), page.click('main button[type=submit]')]);
}

async function submit(page: Page, form: string, url: RegExp): Promise<void> {
	await Promise.all([page.waitForURL(url), page.click(`${form} button[type=submit]`)]);
}

describe('incident pages in chromium', { skip }, () => {
	let browser: Browser;
	before(async () => {
		browser = await launchBrowser();
	});
	after(async () => {
		await browser?.close();
	});

	it('take a report, confirm, block with a second maintainer, and show it all accessibly', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const fixture = await webFixture(options, HOSTILE_REGISTRY);
			const server = await listen(fixture.app);
			const user = await newPage(browser);
			const alice = await newPage(browser);
			const bob = await newPage(browser);
			const errors: string[] = [];
			for (const page of [user, alice, bob])
				page.on('pageerror', (error) => errors.push(error.message));
			try {
				const origin = server.origin;
				await user.goto(`${origin}/plugins/tag-tools`);
				await assertAccessible(user, 'plugin page with the report form');
				await user.selectOption('#report-kind', 'malware');
				await user.fill('#report-details', `Sends my tokens away ${HOSTILE}`);
				await user.fill('#ev1_commit', 'a'.repeat(40));
				await user.fill('#ev1_path', 'src/<b onmouseover="window.__pwned=3">x</b>.py');
				await user.fill('#ev1_line', '12');
				await user.fill('#ev2_url', 'https://example.org/"><script>window.__pwned=4</script>');
				await submit(user, 'form[action$="/report"]', /\/report$/);
				await assertNoInjection(user, 'receipt');
				await assertAccessible(user, 'receipt');
				// biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what a reader copies.
				const token = (await user.locator('pre.command code').innerText()).trim();
				assert.match(token, /^[A-Za-z0-9_-]{43}$/);

				await user.goto(`${origin}/reports/status`);
				await assertAccessible(user, 'status form');
				await user.fill('#token', token);
				await submit(user, 'main form', /\/reports\/status$/);
				assert.match((await user.locator('#outcome').textContent()) ?? '', /Report #1/);
				assert.equal(user.url().includes(token), false);
				await assertAccessible(user, 'status outcome');

				await signInAs(alice, origin, 'alice');
				await alice.goto(`${origin}/admin/incidents`);
				await assertAccessible(alice, 'incident queue');
				await alice.click('main a[href="/admin/incidents/1"]');
				await assertAccessible(alice, 'admin incident');
				for (const to of ['investigating', 'confirmed']) {
					await alice.selectOption('#to', to);
					await alice.fill('#transition-reason', `Moving on ${HOSTILE}`);
					await submit(alice, 'form[action$="/transition"]', /done=transition/);
				}
				await alice.selectOption('#action-kind', 'hard_blacklist');
				await alice.fill('#action-advice', `Rotate your tokens ${HOSTILE}`);
				await alice.fill('#action-reason', `Steals tokens ${HOSTILE}`);
				await submit(alice, 'form[action$="/actions"]', /done=action/);
				await assertNoInjection(alice, 'admin incident after the request');
				await assertAccessible(alice, 'admin incident awaiting approval');
				assert.equal(await alice.locator('form[action$="/approve"]').count(), 0);

				await signInAs(bob, origin, 'bob');
				await bob.goto(`${origin}/admin/incidents/1`);
				await bob.fill('textarea[id^="approve-"]', 'Read the code too');
				await submit(bob, 'form[action$="/approve"]', /done=approve/);
				await assertAccessible(bob, 'admin incident applied');

				await user.goto(`${origin}/incidents/1`);
				await assertNoInjection(user, 'incident page');
				await assertAccessible(user, 'incident page');
				// biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what a reader sees.
				const shown = await user.locator('main').innerText();
				assert.ok(shown.includes(`Steals tokens ${HOSTILE}`));
				assert.ok(shown.includes('src/<b onmouseover="window.__pwned=3">x</b>.py:12'));
				assert.equal(await user.locator('#appeal').count(), 1);
				await user.goto(`${origin}/incidents`);
				await assertAccessible(user, 'incident list');
				await bob.goto(`${origin}/admin/metrics`);
				await assertAccessible(bob, 'metrics');
				assert.deepEqual(errors, []);
			} finally {
				for (const page of [user, alice, bob]) await page.context().close();
				await server.close();
				await fixture.close();
			}
		});
	});
});
