/** Checks run in a real page: nothing injected ran or was added, and axe finds nothing serious. */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { seriousViolations } from './browser.ts';

export async function assertNoInjection(page: Page, where: string): Promise<void> {
	// Runs in the page; a string because the project's types have no DOM.
	const found = await page.evaluate(`({
		pwned: window.__pwned,
		scripts: document.querySelectorAll('script').length,
		injected: document.querySelectorAll('img, svg, iframe, object, embed, b, i').length,
		handlers: [...document.querySelectorAll('*')].filter((element) =>
			[...element.attributes].some((attribute) => attribute.name.startsWith('on')),
		).length,
		scriptLinks: [...document.querySelectorAll('a[href]')].filter((a) =>
			/^\\s*(javascript|data|vbscript):/i.test(a.getAttribute('href') ?? ''),
		).length,
	})`);
	assert.deepEqual(
		found,
		{ pwned: undefined, scripts: 0, injected: 0, handlers: 0, scriptLinks: 0 },
		where,
	);
}

export async function assertAccessible(page: Page, where: string): Promise<void> {
	const violations = await seriousViolations(page);
	assert.deepEqual(violations, [], `${where}: ${JSON.stringify(violations, null, 1)}`);
}
