/**
 * `vouch report` and `vouch report status` against a stand-in service on 127.0.0.1 that parses
 * every report with the library's contract. What will be sent is shown before the question, in
 * a real terminal; a declined or impossible question sends nothing (the service counts zero
 * requests); `--json` needs `--yes`; bad input and unsafe service addresses are usage errors.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
	json,
	type ReportService,
	startReportService,
} from '../../library/test/helpers/report-service.ts';
import { type CliRun, parseJson } from './helpers/cli.ts';
import { renderScreen, runVouchInPty } from './helpers/pty.ts';
import { assertJsonOutput } from './json/schema-check.ts';
import { createWorld, registryEntry, type ServedPlugin, type World } from './lifecycle/world.ts';

const TAGGER = { name: 'tagger', uuid: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d' };
const COVER = { name: 'cover-art', uuid: '8b9c0d1e-2f3a-4b4c-9d5e-6f7a8b9c0d1e' };

let world: World;
let service: ReportService;
let tagger: ServedPlugin;

function report(
	args: string[],
	options: { stdin?: string; service?: string } = {},
): Promise<CliRun> {
	return world.vouch(
		[
			'report',
			...args,
			'--registry',
			world.registryFile,
			'--service',
			options.service ?? service.url,
		],
		{ fetch: globalThis.fetch, ...(options.stdin === undefined ? {} : { stdin: options.stdin }) },
	);
}

function errorCode(run: CliRun): unknown {
	return (parseJson(run).error as { code?: string } | undefined)?.code;
}

describe('vouch report', () => {
	before(async () => {
		world = await createWorld();
		service = await startReportService();
		tagger = world.serve(TAGGER);
		const cover = world.serve(COVER);
		world.writeRegistry([
			registryEntry(tagger, TAGGER, { trust_level: 'trusted' }),
			registryEntry(cover, COVER),
		]);
		const install = await world.vouch([
			'install',
			'tagger',
			'--registry',
			world.registryFile,
			'--yes',
		]);
		assert.equal(install.code, 0, install.stderr);
	});
	after(async () => {
		await service?.close();
		await world?.close();
	});
	beforeEach(() => {
		service.requests.length = 0;
		service.misbehave = undefined;
	});

	it('--yes --json sends the attached facts and prints the receipt', async () => {
		const commit = tagger.repo.commitOf();
		const run = await report([
			'tagger',
			'--reason',
			'data-theft',
			'--details',
			'Sends my API keys to a third party.',
			'--evidence',
			`${commit}:MANIFEST.toml:2`,
			'--evidence-url',
			'https://example.org/analysis',
			'--yes',
			'--json',
		]);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		const document = assertJsonOutput(run, 'report');
		assert.equal(service.requests.length, 1);
		const sent = service.requests[0]?.report;
		assert.ok(sent, String(service.requests[0]?.problems));
		const record = (await world.state()).plugins[TAGGER.uuid];
		assert.deepEqual(sent.plugin, {
			id: 'tagger',
			uuid: TAGGER.uuid,
			url: tagger.url,
			ref: 'main',
			commit,
			treeDigest: record?.treeDigest,
			trust: 'trusted',
		});
		assert.equal(sent.kind, 'data_theft');
		assert.deepEqual(sent.host, { profile: world.profile.name, version: 'vouch 0.1.0' });
		assert.deepEqual(sent.evidence, [
			{ commit, path: 'MANIFEST.toml', line: 2 },
			{ url: 'https://example.org/analysis' },
		]);
		assert.deepEqual(document.report, sent);
		const receipt = document.receipt as { token: string; reportId: number };
		assert.equal(service.tokens.get(receipt.token), receipt.reportId);

		const status = await world.vouch(
			['report', 'status', receipt.token, '--service', service.url, '--json'],
			{ fetch: globalThis.fetch },
		);
		assert.equal(status.code, 0, status.stderr);
		const statusDocument = assertJsonOutput(status, 'report status');
		assert.equal((statusDocument.status as { reportId: number }).reportId, receipt.reportId);
		assert.equal(service.requests[1]?.authorization, `Bearer ${receipt.token}`);
	});

	it('prints the report id, the incident, the token once and how to follow it', async () => {
		const run = await report(['tagger', '--reason', 'broken', '--yes']);
		assert.equal(run.code, 0, run.stderr);
		const token = [...service.tokens.keys()].at(-1) as string;
		assert.match(run.stdout, /Report \d+ sent; it belongs to incident \d+\./);
		assert.match(run.stdout, /shown only this once/);
		// The command it prints works as it stands: the service given here is named in it.
		const follow = run.stdout.split('\n').find((line) => line.includes('vouch report status'));
		assert.ok(follow?.includes(token), run.stdout);
		const status = await world.vouch((follow ?? '').trim().split(/\s+/).slice(1), {
			fetch: globalThis.fetch,
		});
		assert.equal(status.code, 0, status.stderr);
		assert.match(status.stdout, /Incident \d+: investigating/);
		// `-` reads the token from standard input, out of the process list.
		const piped = await world.vouch(['report', 'status', '-', '--service', service.url], {
			fetch: globalThis.fetch,
			stdin: `${token}\n`,
		});
		assert.equal(piped.code, 0, piped.stderr);
		assert.equal(service.requests.at(-1)?.authorization, `Bearer ${token}`);
		const unknown = await world.vouch(
			['report', 'status', 'c'.repeat(43), '--service', service.url, '--json'],
			{ fetch: globalThis.fetch },
		);
		assert.equal(unknown.code, 1);
		assert.equal(errorCode(unknown), 'REPORT_TOKEN_UNKNOWN');
	});

	it('reports a registered plugin that is not installed, with the registry’s facts only', async () => {
		const run = await report(['cover-art', '--reason', 'impersonation', '--yes', '--json']);
		assert.equal(run.code, 0, run.stderr);
		assertJsonOutput(run, 'report');
		assert.deepEqual(Object.keys(service.requests[0]?.report?.plugin ?? {}).sort(), [
			'id',
			'trust',
			'url',
			'uuid',
		]);
	});

	it('asks, default no: a no or an empty answer sends nothing and exits 130', async () => {
		for (const answer of ['n\n', '\n', 'yes please\n']) {
			const run = await report(['tagger', '--reason', 'malware'], { stdin: answer });
			assert.equal(run.code, 130, `${JSON.stringify(answer)}: ${run.stderr}`);
			assert.match(run.stderr, /Send this report\? \[y\/N\]/);
			assert.match(run.stderr, /Nothing was sent/);
		}
		assert.equal(service.requests.length, 0);
		const yes = await report(['tagger', '--reason', 'malware'], { stdin: 'y\n' });
		assert.equal(yes.code, 0, yes.stderr);
		assert.equal(service.requests.length, 1);
	});

	it('without a terminal and without --yes, refuses and sends nothing', async () => {
		const run = await report(['tagger', '--reason', 'malware']);
		assert.equal(run.code, 1);
		assert.match(run.stderr, /--yes/);
		const asJson = await report(['tagger', '--reason', 'malware', '--json']);
		assert.equal(asJson.code, 2);
		assertJsonOutput(asJson, 'error');
		assert.equal(errorCode(asJson), 'USAGE');
		assert.equal(service.requests.length, 0);
	});

	it('refuses bad input before contacting anyone (exit 2)', async () => {
		const commit = tagger.repo.commitOf();
		const cases: Array<[string[], RegExp]> = [
			[['--reason', 'malwre'], /Did you mean "malware"/],
			[['--reason', 'spam'], /Kinds: malware, data-theft/],
			[['--reason', 'malware', '--evidence', 'abc123:x.py'], /full commit hash/],
			[['--reason', 'malware', '--evidence', `${commit}:../x.py`], /path inside the plugin/],
			[['--reason', 'malware', '--evidence', `${commit}:x.py:0`], /line number/],
			[['--reason', 'malware', '--evidence', 'no-colon'], /no commit/],
			[['--reason', 'malware', '--evidence-url', 'http://example.org/'], /https/],
			[['--reason', 'malware', '--details', 'a\u001b[2Jb'], /control character/],
			[['--reason', 'malware', '--details', 'x'.repeat(4001)], /details/],
			[['--reason', 'malware', '--details', 'x', '--details-file', 'f'], /cannot be used with/],
			[[], /--reason/],
		];
		for (const [args, expected] of cases) {
			const run = await report(['tagger', ...args, '--yes']);
			assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
			assert.match(run.stderr, expected, args.join(' '));
		}
		const many = Array.from({ length: 11 }, () => [
			'--evidence-url',
			'https://example.org/',
		]).flat();
		assert.equal((await report(['tagger', '--reason', 'malware', ...many, '--yes'])).code, 2);
		assert.equal(service.requests.length, 0);
	});

	it('reads details from a file, bounded', async () => {
		const file = join(world.root, 'details.txt');
		writeFileSync(file, 'Line one.\r\nLine two.\n');
		const run = await report([
			'tagger',
			'--reason',
			'policy',
			'--details-file',
			file,
			'--yes',
			'--json',
		]);
		assert.equal(run.code, 0, run.stderr);
		assert.equal(service.requests[0]?.report?.details, 'Line one.\nLine two.');
		const big = join(world.root, 'big.txt');
		writeFileSync(big, 'x'.repeat(100_000));
		const tooBig = await report(['tagger', '--reason', 'policy', '--details-file', big, '--yes']);
		assert.equal(tooBig.code, 2, tooBig.stderr);
		assert.equal(service.requests.length, 1);
	});

	it('a plugin neither installed nor registered is an error with a suggestion', async () => {
		const run = await report(['tager', '--reason', 'malware', '--yes', '--json']);
		assert.equal(run.code, 1);
		assertJsonOutput(run, 'error');
		assert.equal(errorCode(run), 'PLUGIN_NOT_FOUND');
		assert.match(run.stdout, /tagger/);
		assert.equal(service.requests.length, 0);
	});

	it('refuses plain http to another machine, and has no default service', async () => {
		const insecure = await report(['tagger', '--reason', 'malware', '--yes', '--json'], {
			service: 'http://example.com/',
		});
		assert.equal(insecure.code, 2);
		assert.equal(errorCode(insecure), 'REPORT_SERVICE_URL_INVALID');
		const none = await world.vouch(
			[
				'report',
				'tagger',
				'--reason',
				'malware',
				'--registry',
				world.registryFile,
				'--yes',
				'--json',
			],
			{ fetch: globalThis.fetch },
		);
		assert.equal(none.code, 2);
		assert.equal(errorCode(none), 'REPORT_NO_SERVICE');
		const stored = await world.vouch(['config', 'set', 'service', 'http://example.com/']);
		assert.equal(stored.code, 2);
		assert.match(stored.stderr, /not an address reports may go to/);
	});

	it('uses the stored service setting', async () => {
		const set = await world.vouch(['config', 'set', 'service', service.url, '--json']);
		assert.equal(set.code, 0, set.stderr);
		try {
			const got = await world.vouch(['config', 'get', 'service', '--json']);
			assert.equal(parseJson(got).value, service.url);
			const run = await world.vouch(
				['report', 'tagger', '--reason', 'other', '--registry', world.registryFile, '--yes'],
				{ fetch: globalThis.fetch },
			);
			assert.equal(run.code, 0, run.stderr);
			assert.equal(service.requests.length, 1);
		} finally {
			await world.vouch(['config', 'unset', 'service']);
		}
		const list = await world.vouch(['config', 'list']);
		assert.match(list.stdout, /service = \(not set\)/);
	});

	it('shows a hostile service’s refusal without its markup or escapes', async () => {
		service.misbehave = (_request, response) => {
			json(response, 400, {
				error: {
					code: 'BAD',
					message: '<img src=x onerror=alert(1)>\u001b]0;owned\u0007Refused\u001b[31m',
				},
			});
			return true;
		};
		const run = await report(['tagger', '--reason', 'malware', '--yes']);
		assert.equal(run.code, 1);
		assert.match(run.stderr, /refused the report \(HTTP 400\): Refused/);
		// biome-ignore lint/suspicious/noControlCharactersInRegex: what must not reach the terminal.
		assert.doesNotMatch(run.stderr, /\u001b|\u0007|<img/);
	});
});

describe('vouch report in a terminal', () => {
	before(async () => {
		world = await createWorld();
		service = await startReportService();
		tagger = world.serve(TAGGER);
		world.writeRegistry([registryEntry(tagger, TAGGER)]);
		const install = await world.vouch([
			'install',
			'tagger',
			'--registry',
			world.registryFile,
			'--yes',
		]);
		assert.equal(install.code, 0, install.stderr);
	});
	after(async () => {
		await service?.close();
		await world?.close();
	});

	it('shows the attached facts, then what the user wrote, then asks; no sends nothing', async () => {
		const commit = tagger.repo.commitOf();
		const run = await runVouchInPty(
			[
				'report',
				'tagger',
				'--reason',
				'malware',
				'--details',
				'Runs a miner.',
				'--evidence',
				`${commit}:MANIFEST.toml:3`,
				'--registry',
				world.registryFile,
				'--service',
				service.url,
			],
			{ env: world.env, answers: ['n'] },
		);
		assert.equal(run.code, 130, run.screen);
		assert.equal(service.requests.length, 0, 'a declined report is never sent');
		const lines = renderScreen(run.screen);
		const at = (pattern: RegExp) => {
			const index = lines.findIndex((line) => pattern.test(line));
			assert.notEqual(index, -1, `${pattern} not on screen:\n${lines.join('\n')}`);
			return index;
		};
		const attached = at(/^Attached by Vouch/);
		const uuid = at(new RegExp(`UUID: +${TAGGER.uuid}`));
		at(new RegExp(`Commit: +${commit}`));
		at(/Tree digest: +sha256:[0-9a-f]{64}/);
		at(/Trust: +community/);
		at(/Host: +\S+ \(vouch 0\.1\.0\)/);
		const fromYou = at(/^From you/);
		const reason = at(/Reason: +malware/);
		at(/Runs a miner\./);
		const evidence = at(new RegExp(`Evidence: +${commit}:MANIFEST\\.toml:3`));
		const question = at(/Send this report\? \[y\/N\]/);
		assert.ok(attached < uuid && uuid < fromYou && fromYou < reason && reason < evidence);
		assert.ok(evidence < question, 'everything is shown before the question');
		at(/Nothing was sent/);
	});

	it('a yes sends exactly what was shown', async () => {
		const run = await runVouchInPty(
			[
				'report',
				'tagger',
				'--reason',
				'broken',
				'--registry',
				world.registryFile,
				'--service',
				service.url,
			],
			{ env: world.env, answers: ['y'] },
		);
		assert.equal(run.code, 0, run.screen);
		assert.equal(service.requests.length, 1);
		assert.match(renderScreen(run.screen).join('\n'), /Reporter token: [A-Za-z0-9_-]{43}/);
	});
});
