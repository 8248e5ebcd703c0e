/**
 * Screenshots of the registry's main pages at 1280×800, for the docs
 * (`docs/server/screenshots/*.png`). Not part of the test run:
 *   node --conditions=vouch-source --import tsx scripts/screenshots.ts
 * It serves the pages over the real Picard registry (SQLite in a temp directory), with one
 * blacklist entry and one scan report added so every section has content, and drives Debian's
 * chromium (CHROMIUM_PATH to use another).
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planBlacklistAdd } from '@vouch/library/internal/registry/edit/blacklist-plans';
import {
	browserSkipReason,
	launchBrowser,
	newPage,
} from '../packages/server/test/helpers/browser.ts';
import { listen, PASSWORD, webFixture } from '../packages/server/test/helpers/web-app.ts';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'docs/server/screenshots');
const REGISTRY = join(ROOT, 'packages/library/test/fixtures/registries/picard-plugins.toml');
const SCANNED = 'additional-artists-details';

const SCAN_REPORT = {
	reportVersion: 1,
	scanner: { name: 'vouch-scan', version: '0.1.0' },
	manifest: { status: 'valid', file: 'MANIFEST.toml' },
	summary: { high: 0, medium: 1, low: 2, info: 1, total: 4 },
	capabilities: {
		status: 'declared',
		declared: ['network', 'config_read'],
		denied: [],
		inferred: ['network', 'config_read', 'filesystem_read'],
		undeclared: ['filesystem_read'],
		unused: [],
		evidence: {},
	},
	findings: [
		{
			ruleId: 'dynamic-import',
			severity: 'medium',
			message: 'importlib.import_module loads a module named at run time',
			file: '__init__.py',
			line: 212,
		},
		{
			ruleId: 'file-read',
			severity: 'low',
			message: 'open() reads a file outside the plugin directory',
			file: 'cache.py',
			line: 48,
		},
		{
			ruleId: 'network-request',
			severity: 'low',
			message: 'urllib.request.urlopen contacts musicbrainz.org',
			file: 'lookup.py',
			line: 97,
		},
		{
			ruleId: 'info-only',
			severity: 'info',
			message: 'uses logging',
			file: '__init__.py',
			line: 3,
		},
	],
};

/** An incident with two reports, triage steps and an action, so its pages have content. */
async function addIncident(fixture: Awaited<ReturnType<typeof webFixture>>): Promise<number> {
	const alice = { name: 'alice', role: 'maintainer' } as const;
	const receipt = await fixture.incidents.submitReport(
		{
			plugin: { id: SCANNED },
			kind: 'data_theft',
			details: 'Version 2.1.1 uploads the MusicBrainz session cookie.',
			evidence: [
				{ commit: '3f1c2a9d0b7e4c5a8f6d2e1b0a9c8d7e6f5a4b3c', path: 'lookup.py', line: 97 },
				{ url: 'https://example.org/analysis/lyrics-cookie' },
			],
		},
		{ clientAddress: '198.51.100.20' },
	);
	await fixture.incidents.submitReport(
		{ plugin: { id: SCANNED }, kind: 'malware', details: 'Same here.', evidence: [] },
		{ clientAddress: '203.0.113.5' },
	);
	const id = receipt.incidentId;
	await fixture.incidents.transition(
		id,
		'investigating',
		alice,
		'Reading lookup.py at the reported commit.',
	);
	await fixture.incidents.transition(
		id,
		'confirmed',
		alice,
		'lookup.py:97 sends the session cookie to a third party.',
	);
	await fixture.incidents.requestAction(
		id,
		'hard_blacklist',
		{
			pluginId: SCANNED,
			advice: 'Sign out of MusicBrainz in Picard and sign in again to renew the session.',
		},
		alice,
		'Sends the MusicBrainz session cookie to a third-party server.',
	);
	return id;
}

async function main(): Promise<void> {
	const skip = browserSkipReason();
	if (skip !== undefined) throw new Error(skip);
	const dir = await mkdtemp(join(tmpdir(), 'vouch-screenshots-'));
	const fixture = await webFixture(
		{ dataDir: join(dir, 'data') },
		await readFile(REGISTRY, 'utf8'),
	);
	await fixture.store.edit(
		(context) =>
			planBlacklistAdd(context, {
				url: 'https://github.com/example-attacker/picard-plugin-lyrics-plus',
				reason: 'Sends the user’s MusicBrainz session cookie to a third-party server.',
			}),
		{ name: 'alice', role: 'maintainer' },
	);
	await fixture.database.db
		.insertInto('scan_reports')
		.values({
			plugin_id: SCANNED,
			commit_sha: '3f1c2a9d0b7e4c5a8f6d2e1b0a9c8d7e6f5a4b3c',
			ref_name: 'main',
			report_json: JSON.stringify(SCAN_REPORT),
			created_at: fixture.clock.now.toISOString(),
		})
		.execute();
	const incidentId = await addIncident(fixture);
	const server = await listen(fixture.app);
	const browser = await launchBrowser();
	await mkdir(OUT, { recursive: true });
	try {
		const page = await newPage(browser);
		const shot = async (path: string, name: string) => {
			await page.goto(`${server.origin}${path}`);
			await page.screenshot({ path: join(OUT, `${name}.png`) });
			console.log(`${name}.png  ${path}`);
		};
		await shot('/', 'browse');
		await shot(`/plugins/${SCANNED}`, 'plugin');
		await page.screenshot({ path: join(OUT, 'plugin-full.png'), fullPage: true });
		console.log('plugin-full.png  (the whole plugin page)');
		await shot('/blacklist', 'blacklist');
		const entry = await page.locator('table.blacklist tbody a').first().getAttribute('href');
		await shot(entry ?? '/blacklist', 'blacklist-entry');
		await shot('/admin/sign-in', 'sign-in');
		await page.fill('#name', 'alice');
		await page.fill('#password', PASSWORD);
		await Promise.all([page.waitForURL(/\/admin$/), page.click('main button[type=submit]')]);
		await shot('/admin', 'admin-dashboard');
		await shot(`/admin/plugins/${SCANNED}`, 'admin-edit');
		await shot('/admin/blacklist', 'admin-blacklist');
		await shot('/admin/incidents', 'admin-incidents');
		await shot(`/admin/incidents/${incidentId}`, 'admin-incident');
		await page.screenshot({ path: join(OUT, 'admin-incident-full.png'), fullPage: true });
		console.log('admin-incident-full.png  (the whole admin incident page)');
		await shot('/admin/metrics', 'admin-metrics');
		await shot(`/incidents/${incidentId}`, 'incident');
		await page.screenshot({ path: join(OUT, 'incident-full.png'), fullPage: true });
		console.log('incident-full.png  (the whole incident page)');
		await shot('/incidents', 'incidents');
	} finally {
		await browser.close();
		await server.close();
		await fixture.close();
		await rm(dir, { recursive: true, force: true });
	}
}

await main();
