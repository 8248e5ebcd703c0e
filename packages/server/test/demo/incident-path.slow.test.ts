/**
 * Community reporting end to end, on the system `npm start` runs, on both engines: a user
 * reports an installed trusted plugin with `vouch report` and on its page in chromium; a
 * maintainer confirms the incident and blocks the plugin; a second maintainer approves (the
 * plugin is trusted); the block is signed and published, and `vouch refresh` then
 * `startup-check` on the host disable and quarantine the plugin, showing the reason, the advice
 * and the incident link. Then the appeal: a third maintainer grants it, a fourth confirms the
 * grant (two maintainers applied the block, so two lift it), the block is reverted in one
 * signed step, and the host brings the plugin back out of quarantine.
 */
import assert from 'node:assert/strict';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type CliRun, parseJson, runVouch } from '../../../cli/test/helpers/cli.ts';
import { makeTempDir } from '../../../library/test/helpers/temp.ts';
import { DEMO_ECOSYSTEM_DIR, prepareDemoEcosystem } from '../../src/demo/ecosystem.ts';
import { DEMO_ROLES, demoPlugin } from '../../src/demo/plugins.ts';
import { DEMO_ADMIN, type RunningDemo, runDemo } from '../../src/demo/run-demo.ts';
import { forEachEngine } from '../engines.ts';
import { browserSkipReason, launchBrowser, newPage } from '../helpers/browser.ts';

const skip = browserSkipReason();
const PLUGIN = DEMO_ROLES.trusted;
const UUID = demoPlugin('trusted').uuid;
const PASSWORD = 'a long enough password for the test';

const loopbackFetch: typeof fetch = (input, init) => {
	const url = new URL(input instanceof Request ? input.url : String(input));
	if (url.hostname !== '127.0.0.1') throw new Error(`tests must not reach ${url.host}`);
	return fetch(input, init);
};

function show(run: CliRun): string {
	return `exit ${run.code}\n${run.stdout}\n${run.stderr}`;
}

async function signIn(page: Page, origin: string, name: string, password: string): Promise<void> {
	await page.goto(`${origin}/admin/sign-in`);
	await page.fill('#name', name);
	await page.fill('#password', password);
	await Promise.all([page.waitForURL(/\/admin$/), page.click('main button[type=submit]')]);
}

async function submit(page: Page, form: string, url: RegExp): Promise<void> {
	await Promise.all([page.waitForURL(url), page.click(`${form} button[type=submit]`)]);
}

/** Resolves once what the registry holds now is signed and served. */
async function published(demo: RunningDemo): Promise<void> {
	const version = await demo.service.store.version();
	assert.ok(version !== undefined && demo.service.publisher !== undefined);
	await demo.service.publisher.waitForRevision(version.revision, { timeoutMs: 120_000 });
}

describe('from a report to a disabled plugin on the host, and back by appeal', { skip }, () => {
	let browser: Browser;
	/**
	 * One demo ecosystem (keys, the plugins' git repositories) for both engines: each engine's
	 * data directory gets a copy, which the demo reuses as a later `npm start` does. Building it
	 * (real git, key generation) is the ecosystem test's subject, not this one's.
	 */
	let ecosystemTemplate: string;
	before(async () => {
		ecosystemTemplate = makeTempDir('vouch-incident-path-ecosystem-');
		[browser] = await Promise.all([
			launchBrowser(),
			prepareDemoEcosystem({ dataDir: ecosystemTemplate, clock: () => new Date() }),
		]);
	});
	after(async () => {
		await browser?.close();
	});

	it('reports, triages with dual control, publishes, disables on the host, and reverts on appeal', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const dataDir = makeTempDir('vouch-incident-path-');
			await cp(join(ecosystemTemplate, DEMO_ECOSYSTEM_DIR), join(dataDir, DEMO_ECOSYSTEM_DIR), {
				recursive: true,
			});
			const demo = await runDemo({
				dataDir,
				port: 0,
				...(options.url === undefined ? {} : { service: { database: options.url } }),
			});
			const pages: Page[] = [];
			const page = async () => {
				const opened = await newPage(browser);
				pages.push(opened);
				return opened;
			};
			try {
				const origin = demo.service.url;
				const incidentUrl = `${origin}/incidents/1`;
				const home = join(dataDir, 'person-home');
				const vouch = (args: string[]) =>
					runVouch([...args, '--profile', demo.profileFile], {
						env: {
							HOME: home,
							XDG_CONFIG_HOME: join(home, '.config'),
							XDG_DATA_HOME: join(home, '.local', 'share'),
							XDG_CACHE_HOME: join(home, '.cache'),
							GIT_CONFIG_GLOBAL: '/dev/null',
							GIT_CONFIG_NOSYSTEM: '1',
							PATH: process.env.PATH ?? '/usr/bin:/bin',
						},
						cwd: dataDir,
						fetch: loopbackFetch,
						now: () => new Date(),
					});
				for (const name of ['bob', 'carol', 'dave']) {
					await demo.service.accounts.create(name, 'maintainer', PASSWORD);
				}

				// The host has the trusted plugin installed and running.
				const refreshed = await vouch(['refresh', '--json']);
				assert.equal(refreshed.code, 0, show(refreshed));
				const installed = await vouch(['install', PLUGIN, '--yes', '--json']);
				assert.equal(installed.code, 0, show(installed));

				// 1. The user reports it: from the command line, and on its page; one incident.
				const reported = await vouch([
					'report',
					PLUGIN,
					'--reason',
					'malware',
					'--details',
					'It uploads my music library tokens.',
					'--service',
					origin,
					'--yes',
					'--json',
				]);
				assert.equal(reported.code, 0, show(reported));
				const { receipt } = parseJson(reported) as {
					receipt: { incidentId: number; token: string };
				};
				assert.equal(receipt.incidentId, 1);
				const user = await page();
				await user.goto(`${origin}/plugins/${PLUGIN}`);
				await user.selectOption('#report-kind', 'malware');
				await user.fill('#report-details', 'Same here: a POST to an unknown host at start.');
				await user.fill('#ev1_path', 'disc_numbers/__init__.py');
				await user.fill('#ev1_line', '3');
				await submit(user, 'form[action$="/report"]', /\/report$/);
				// biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what a reader copies.
				const pageToken = (await user.locator('pre.command code').innerText()).trim();
				assert.match(pageToken, /^[A-Za-z0-9_-]{43}$/);
				const grouped = await demo.service.database.db
					.selectFrom('reports')
					.select('incident_id')
					.execute();
				assert.deepEqual(
					grouped.map((row) => Number(row.incident_id)),
					[1, 1],
					'both reports joined one incident',
				);

				// 2. A maintainer confirms and blocks; the plugin is trusted, so it waits.
				const admin = await page();
				await signIn(admin, origin, DEMO_ADMIN, demo.adminPassword);
				await admin.goto(`${origin}/admin/incidents/1`);
				for (const to of ['investigating', 'confirmed']) {
					await admin.selectOption('#to', to);
					await admin.fill('#transition-reason', `Checked the code: ${to}`);
					await submit(admin, 'form[action$="/transition"]', /done=transition/);
				}
				await admin.selectOption('#action-kind', 'hard_blacklist');
				await admin.fill('#action-advice', 'Rotate the tokens this plugin could read.');
				await admin.fill('#action-reason', 'Uploads users’ tokens to a third party.');
				await submit(admin, 'form[action$="/actions"]', /done=action/);
				assert.equal(await admin.locator('form[action$="/approve"]').count(), 0);
				const waiting = await demo.service.store.registry();
				assert.equal(waiting?.registry.blacklist.length, 1, 'only the demo’s own entry yet');

				// 3. A second maintainer approves; the block is signed and published.
				const bob = await page();
				await signIn(bob, origin, 'bob', PASSWORD);
				await bob.goto(`${origin}/admin/incidents/1`);
				await bob.fill('textarea[id^="approve-"]', 'Read the upload code too.');
				await submit(bob, 'form[action$="/approve"]', /done=approve/);
				await published(demo);

				// 4. The host refreshes and disables it, with the reason and the incident link.
				const afterBlock = await vouch(['refresh', '--json']);
				assert.equal(afterBlock.code, 0, show(afterBlock));
				const startup = await vouch(['startup-check', '--json']);
				assert.equal(startup.code, 0, show(startup));
				const report = parseJson(startup) as {
					load: { uuid: string }[];
					disabled: { uuid: string; reason: string; incident?: string; advice?: string }[];
					quarantined: { uuid: string }[];
				};
				const disabled = report.disabled.find((entry) => entry.uuid === UUID);
				assert.ok(disabled, show(startup));
				assert.equal(disabled.reason, 'Uploads users’ tokens to a third party.');
				assert.equal(disabled.incident, incidentUrl);
				assert.equal(disabled.advice, 'Rotate the tokens this plugin could read.');
				assert.ok(report.quarantined.some((entry) => entry.uuid === UUID));
				assert.equal(
					report.load.some((entry) => entry.uuid === UUID),
					false,
				);
				const human = await vouch(['list']);
				assert.match(human.stdout, /Rotate the tokens this plugin could read\./);
				assert.ok(human.stdout.includes(incidentUrl), human.stdout);
				const status = await vouch([
					'report',
					'status',
					receipt.token,
					'--service',
					origin,
					'--json',
				]);
				assert.equal(status.code, 0, show(status));
				assert.equal(
					(parseJson(status) as { status: { incident: { state: string } } }).status.incident.state,
					'confirmed',
				);

				// The appeal: the author answers on the incident page; a maintainer who took no
				// part grants it, another confirms; the block is reverted in one signed step.
				await user.goto(incidentUrl);
				await user.fill('#statement', 'The upload is the documented backup feature.');
				await submit(user, 'form[action$="/appeal"]', /\/appeal$/);
				const carol = await page();
				await signIn(carol, origin, 'carol', PASSWORD);
				await carol.goto(`${origin}/admin/incidents/1`);
				await carol.check('input[id^="grant-"]');
				await carol.fill('textarea[id^="appeal-"]', 'The upload goes where the docs say.');
				await submit(carol, 'form[action$="/decide"]', /done=grant_pending/);
				const pending = await demo.service.store.registry();
				assert.equal(pending?.registry.blacklist.length, 2, 'two applied the block: it stays');
				// A fourth maintainer, who took no part either, confirms; only then is it lifted.
				const dave = await page();
				await signIn(dave, origin, 'dave', PASSWORD);
				await dave.goto(`${origin}/admin/incidents/1`);
				await dave.fill('textarea[id^="lift-"][id$="-approve-reason"]', 'Read the docs too.');
				await submit(dave, 'form[action*="/lifts/"][action$="/approve"]', /done=lift_approved/);
				await published(demo);
				const lifted = await demo.service.store.registry();
				assert.equal(lifted?.registry.blacklist.length, 1, 'back to the demo’s own entry');

				// The plugin is usable again: out of quarantine, enabled, loaded at start.
				assert.equal((await vouch(['refresh', '--json'])).code, 0);
				const enabled = await vouch(['enable', PLUGIN, '--yes', '--json']);
				assert.equal(enabled.code, 0, show(enabled));
				const again = parseJson(await vouch(['startup-check', '--json'])) as {
					load: { uuid: string }[];
				};
				assert.ok(again.load.some((entry) => entry.uuid === UUID));
				const outcome = await vouch(['report', 'status', pageToken, '--service', origin, '--json']);
				assert.equal(
					(parseJson(outcome) as { status: { incident: { state: string } } }).status.incident.state,
					'resolved',
				);
			} finally {
				for (const opened of pages) await opened.context().close();
				await demo.close();
			}
		});
	});
});
