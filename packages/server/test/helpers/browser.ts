/**
 * A real browser for page tests: Debian's chromium driven by playwright-core (never a
 * downloaded browser), axe-core for accessibility, screenshots. Without the executable the
 * tests that need it are skipped, saying why.
 */
import { existsSync } from 'node:fs';
import axe from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

export function browserSkipReason(): string | undefined {
	return existsSync(CHROMIUM_PATH)
		? undefined
		: `no chromium at ${CHROMIUM_PATH} (install Debian's chromium, or set CHROMIUM_PATH)`;
}

export function launchBrowser(): Promise<Browser> {
	return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface AxeViolation {
	id: string;
	impact: string | null;
	help: string;
	nodes: string[];
}

/**
 * Runs axe on the page and returns the serious and critical violations. axe is injected through
 * the DevTools protocol (`page.evaluate`), which the page's CSP does not govern; the page
 * itself still allows no script.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
	await page.evaluate(axe.source);
	// A string, because this runs in the page (the project's types have no DOM).
	const violations = (await page.evaluate(`(async () => {
		const result = await axe.run(document, {
			runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
		});
		return result.violations.map((violation) => ({
			id: violation.id,
			impact: violation.impact ?? null,
			help: violation.help,
			nodes: violation.nodes.slice(0, 5).map((node) => node.html),
		}));
	})()`)) as AxeViolation[];
	return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A 1280×800 page in a fresh context (its own cookies). */
export async function newPage(browser: Browser): Promise<Page> {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	return context.newPage();
}
