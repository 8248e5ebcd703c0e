/**
 * `vouch registry hunt` end to end: a Picard-format registry file listing local repositories
 * (by paths relative to the file, as an offline mirror does), the table and the JSON document,
 * usage errors caught before any search, and `--open-incident` posting one incident to a real
 * service on 127.0.0.1 whose received body is checked field by field.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { reportEvidenceSchema } from '@vouch/library/internal/report/report-schema';
import {
	createPluginRepo,
	manifestToml,
	testGitEnv,
} from '../../library/test/helpers/git-repos.ts';
import { makeTempDir } from '../../library/test/helpers/temp.ts';
import { runVouch } from './helpers/cli.ts';
import { assertJsonError, assertJsonOutput } from './json/schema-check.ts';

const MARKER = 'exfil.example.net';
const TOKEN = 'maintainer-token-0123456789';

interface Received {
	method: string;
	url: string;
	authorization: string | undefined;
	body: Record<string, unknown>;
}

/** The incident endpoint as the service answers it: `{id}` for an authorised POST. */
function startService(answer: (res: ServerResponse) => void): Promise<{
	server: Server;
	url: string;
	received: Received[];
}> {
	const received: Received[] = [];
	const server = createServer((req: IncomingMessage, res: ServerResponse) => {
		let text = '';
		req.on('data', (chunk: Buffer) => {
			text += chunk.toString('utf8');
		});
		req.on('end', () => {
			received.push({
				method: req.method ?? '',
				url: req.url ?? '',
				authorization: req.headers.authorization,
				body: JSON.parse(text) as Record<string, unknown>,
			});
			answer(res);
		});
	});
	return new Promise((resolve) => {
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as AddressInfo;
			resolve({ server, url: `http://127.0.0.1:${port}`, received });
		});
	});
}

function entry(id: string, uuid: string, gitUrl: string): string {
	return [
		'[[plugins]]',
		`id = "${id}"`,
		`uuid = "${uuid}"`,
		`name = "${id}"`,
		'description = "Does one thing"',
		`git_url = "${gitUrl}"`,
		'categories = ["metadata"]',
		'trust_level = "community"',
		'authors = ["Someone"]',
		'added_at = "2026-01-01T00:00:00Z"',
		'updated_at = "2026-01-01T00:00:00Z"',
		'versioning_scheme = "semver"',
	].join('\n');
}

/**
 * alpha and beta live under one owner (`repos/`), gamma under another. alpha's v1.1.0 holds the
 * marker in twelve files (more than the ten evidence items an incident carries); beta holds it
 * at v2.0.0 only; gamma never does.
 */
function setup(): string {
	const root = makeTempDir('vouch-cli-hunt-');
	mkdirSync(join(root, 'repos'));
	mkdirSync(join(root, 'other'));
	const alpha = createPluginRepo({
		dir: join(root, 'repos', 'alpha'),
		manifest: manifestToml({ uuid: '1f0c6a52-3b8e-4d7a-9c21-5e4f8a7b6c01' }),
	});
	alpha.tag('v1.0.0');
	const many: Record<string, string> = {};
	for (let i = 0; i < 12; i++) many[`m/file${String(i).padStart(2, '0')}.py`] = `X = "${MARKER}"\n`;
	alpha.commit(many);
	alpha.tag('v1.1.0');
	const beta = createPluginRepo({
		dir: join(root, 'repos', 'beta'),
		manifest: manifestToml({ uuid: '2a7d9e13-6c4b-4f8a-b1d2-7e3c9f5a8b02' }),
		files: { 'net.py': `HOST = "${MARKER}"\n` },
	});
	beta.tag('v2.0.0');
	beta.commit({ 'net.py': 'HOST = None\n' });
	beta.tag('v2.1.0');
	const gamma = createPluginRepo({
		dir: join(root, 'other', 'gamma'),
		manifest: manifestToml({ uuid: '3b8e0f24-7d5c-4a9b-82e3-8f4d0a6b9c03' }),
	});
	gamma.tag('v0.1.0');
	const file = join(root, 'plugins.toml');
	writeFileSync(
		file,
		[
			'api_version = "3.0"',
			entry('alpha', '1f0c6a52-3b8e-4d7a-9c21-5e4f8a7b6c01', 'repos/alpha'),
			entry('beta', '2a7d9e13-6c4b-4f8a-b1d2-7e3c9f5a8b02', 'repos/beta'),
			entry('gamma', '3b8e0f24-7d5c-4a9b-82e3-8f4d0a6b9c03', 'other/gamma'),
		].join('\n\n'),
	);
	return file;
}

const env = () => ({ ...testGitEnv(), HOME: '/nonexistent-home' });

describe('vouch registry hunt', () => {
	let file: string;
	before(() => {
		file = setup();
	});

	it('prints a table of the versions that hold the indicator', async () => {
		const run = await runVouch(['registry', 'hunt', MARKER, '--registry', file], { env: env() });
		assert.equal(run.code, 0, run.stderr);
		// main and v1.1.0 are one commit, searched once; the twelve files are one blob.
		assert.match(run.stdout, /! alpha: 1 of 2 version\(s\) hit, 3 file\(s\) searched/);
		assert.match(run.stdout, /main, v1\.1\.0 [0-9a-f]{12}/);
		assert.match(run.stdout, /m\/file00\.py:1 {2}X = "exfil\.example\.net"/);
		assert.match(run.stdout, /! beta: 1 of 2 version\(s\) hit/);
		assert.match(run.stdout, /✓ gamma: 0 of 1 version\(s\) hit/);
		assert.match(run.stdout, /2 plugin\(s\), 2 version\(s\), 13 hit\(s\)/);
		assert.match(run.stderr, /searched gamma/);
	});

	it('--json prints the published document', async () => {
		const run = await runVouch(
			['registry', 'hunt', MARKER, '--registry', file, '--plugin', 'beta', '--json'],
			{ env: env() },
		);
		assert.equal(run.code, 0, run.stderr);
		const document = assertJsonOutput(run, 'registry hunt');
		const plugins = document.plugins as {
			id: string;
			versions: { names: string[]; hits: { path: string }[] }[];
		}[];
		assert.deepEqual(
			plugins.map((p) => p.id),
			['beta'],
		);
		const hit = plugins[0]?.versions.filter((v) => v.hits.length > 0);
		assert.deepEqual(
			hit?.map((v) => [v.names, v.hits.map((h) => h.path)]),
			[[['v2.0.0'], ['net.py']]],
		);
	});

	it('refuses mistakes before searching: a pattern RE2 refuses, a clear-text service', async () => {
		assertJsonError(
			await runVouch(['registry', 'hunt', 're:(x+)+\\1', '--registry', file, '--json'], {
				env: env(),
			}),
			2,
			'HUNT_INDICATOR_INVALID',
		);
		for (const service of ['http://registry.example.org', 'ftp://127.0.0.1/']) {
			assertJsonError(
				await runVouch(
					[
						'registry',
						'hunt',
						MARKER,
						'--registry',
						file,
						'--open-incident',
						'--service',
						service,
						'--token-stdin',
						'--reason',
						'r',
						'--json',
					],
					{ env: env(), stdin: `${TOKEN}\n` },
				),
				2,
				'USAGE',
			);
		}
		assertJsonError(
			await runVouch(
				['registry', 'hunt', MARKER, '--registry', file, '--open-incident', '--json'],
				{ env: env() },
			),
			2,
			'USAGE',
		);
		// A mistyped id would otherwise read as "nothing found".
		assertJsonError(
			await runVouch(
				['registry', 'hunt', MARKER, '--registry', file, '--plugin', 'alhpa', '--json'],
				{ env: env() },
			),
			2,
			'USAGE',
		);
	});

	describe('--open-incident', () => {
		let service: Awaited<ReturnType<typeof startService>>;
		before(async () => {
			service = await startService((res) => {
				res.writeHead(201, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ id: 42 }));
			});
		});
		after(() => service.server.close());

		const hunt = (extra: string[]) =>
			runVouch(
				[
					'registry',
					'hunt',
					MARKER,
					'--registry',
					file,
					'--open-incident',
					'--service',
					service.url,
					'--token-stdin',
					'--reason',
					'Credential exfiltration reported upstream',
					...extra,
				],
				{ env: env(), stdin: `${TOKEN}\n`, fetch: globalThis.fetch },
			);

		it('posts one incident for one plugin, with bounded evidence and the rest counted', async () => {
			const before = service.received.length;
			const run = await hunt(['--plugin', 'alpha', '--json']);
			assert.equal(run.code, 0, run.stderr);
			const document = assertJsonOutput(run, 'registry hunt');
			assert.deepEqual(document.incident, { id: 42, url: `${service.url}/incidents/42` });
			assert.equal(service.received.length, before + 1);
			const request = service.received.at(-1) as Received;
			assert.equal(request.method, 'POST');
			assert.equal(request.url, '/api/v1/admin/incidents');
			assert.equal(request.authorization, `Bearer ${TOKEN}`);
			const body = request.body;
			assert.deepEqual(Object.keys(body).sort(), [
				'evidence',
				'grouping',
				'pluginIds',
				'reason',
				'title',
			]);
			assert.equal(body.grouping, 'plugin');
			assert.deepEqual(body.pluginIds, ['alpha']);
			const evidence = body.evidence as Record<string, unknown>[];
			assert.equal(evidence.length, 10);
			for (const item of evidence) {
				assert.ok(reportEvidenceSchema.safeParse(item).success, JSON.stringify(item));
				assert.match(String(item.commit), /^[0-9a-f]{40}$/);
				assert.match(String(item.path), /^m\/file\d\d\.py$/);
				assert.equal(item.line, 1);
			}
			assert.match(String(body.reason), /^Credential exfiltration reported upstream\n/);
			assert.match(String(body.reason), /2 more hit\(s\) are not listed as evidence/);
			assert.match(String(body.title), /exfil\.example\.net/);
		});

		it('groups by author when every plugin found has one owner, and prints the id', async () => {
			const run = await hunt([]);
			assert.equal(run.code, 0, run.stderr);
			assert.match(run.stdout, /Incident 42 opened: http:\/\/127\.0\.0\.1:\d+\/incidents\/42/);
			const body = (service.received.at(-1) as Received).body;
			assert.equal(body.grouping, 'author');
			assert.deepEqual(body.pluginIds, ['alpha', 'beta']);
			assert.match(String(body.ownerUrl), /\/repos$/);
		});

		it('opens nothing when nothing is found', async () => {
			const before = service.received.length;
			const run = await hunt(['--plugin', 'gamma', '--json']);
			assert.equal(run.code, 0, run.stderr);
			assert.equal(assertJsonOutput(run, 'registry hunt').incident, undefined);
			assert.equal(service.received.length, before);
		});
	});

	it('says so when the service refuses, or answers with too much', async () => {
		for (const answer of [
			(res: ServerResponse) => {
				res.writeHead(403, { 'content-type': 'application/json' });
				res.end('{"error":"forbidden"}');
			},
			(res: ServerResponse) => {
				res.writeHead(201, { 'content-type': 'application/json' });
				res.end(`{"id":1,"pad":"${'x'.repeat(200 * 1024)}"}`);
			},
		]) {
			const refusing = await startService(answer);
			try {
				const run = await runVouch(
					[
						'registry',
						'hunt',
						MARKER,
						'--registry',
						file,
						'--plugin',
						'beta',
						'--open-incident',
						'--service',
						refusing.url,
						'--token-stdin',
						'--reason',
						'r',
						'--json',
					],
					{ env: env(), stdin: `${TOKEN}\n`, fetch: globalThis.fetch },
				);
				assertJsonError(run, 1, 'INCIDENT_NOT_OPENED');
				// Without --json the results are printed before the failure is reported.
				const text = await runVouch(
					[
						'registry',
						'hunt',
						MARKER,
						'--registry',
						file,
						'--plugin',
						'beta',
						'--open-incident',
						'--service',
						refusing.url,
						'--token-stdin',
						'--reason',
						'r',
					],
					{ env: env(), stdin: `${TOKEN}\n`, fetch: globalThis.fetch },
				);
				assert.equal(text.code, 1);
				assert.match(text.stdout, /net\.py:1/);
				assert.doesNotMatch(text.stdout, /Incident \d+ opened/);
			} finally {
				refusing.server.close();
			}
		}
	});
});
