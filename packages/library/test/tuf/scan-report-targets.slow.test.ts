/**
 * Scan reports published as TUF targets: only real reports of listed plugins are signed (never
 * a link, a stray file or a report of an unknown id), and a real tuf-js client fetches one
 * verified under its `scan-reports/<id>/<commit>.json` name.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Updater } from 'tuf-js';
import { isVouchError } from '../../src/core/errors.ts';
import { TufFetcher } from '../../src/tuf/client/fetcher.ts';
import { registryScanLine } from '../../src/tuf/client/scan-summary.ts';
import { createTufVerifier } from '../../src/tuf/client/verifier.ts';
import { initKeys } from '../../src/tuf/repository/init-keys.ts';
import { type PublishResult, publishRepository } from '../../src/tuf/repository/publish.ts';
import { makeTempDir } from '../helpers/temp.ts';
import { type RepositoryServer, registryToml, serveDirectory } from './helpers.ts';

// tuf-js judges expiry by the system clock, so the metadata is signed as of now (as the
// other client tests do).
const NOW = new Date();
const COMMIT = 'c'.repeat(40);
const REPORT = `${JSON.stringify({ reportVersion: 1, summary: { high: 0, medium: 1, low: 0, info: 0, total: 1 } })}\n`;

let work: string;
let outDir: string;
let result: PublishResult;
let server: RepositoryServer;

before(async () => {
	work = makeTempDir('vouch-tuf-reports-');
	const keysDir = join(work, 'keys');
	outDir = join(work, 'repo');
	await initKeys({ dir: keysDir });
	const reports = join(work, 'registry', 'scan-reports');
	mkdirSync(join(reports, 'alpha'), { recursive: true });
	mkdirSync(join(reports, 'unlisted'), { recursive: true });
	writeFileSync(join(reports, 'alpha', `${COMMIT}.json`), REPORT);
	// A secret elsewhere on the machine, reached by a link: never signed.
	const secret = join(work, 'secret.json');
	writeFileSync(secret, REPORT);
	symlinkSync(secret, join(reports, 'alpha', `${'d'.repeat(40)}.json`));
	writeFileSync(join(reports, 'alpha', 'notes.json'), REPORT);
	writeFileSync(join(reports, 'alpha', `${'e'.repeat(40)}.json`), '{"not": "a report"}');
	writeFileSync(join(reports, 'unlisted', `${COMMIT}.json`), REPORT);
	result = await publishRepository({
		registryText: registryToml(),
		keysDir,
		outDir,
		scanReportsDir: join(work, 'registry'),
		now: NOW,
	});
	server = await serveDirectory(outDir);
});
after(() => server.close());

describe('scan reports as TUF targets', () => {
	it('publishes exactly the real reports of listed plugins, and says what it left out', () => {
		assert.deepEqual(
			result.scanReports.map((target) => target.name),
			[`scan-reports/alpha/${COMMIT}.json`],
		);
		assert.equal(result.warnings.filter((warning) => /not published/.test(warning)).length, 4);
		const stored = result.scanReports[0]?.file as string;
		assert.match(
			stored,
			new RegExp(`^targets/scan-reports/alpha/[0-9a-f]{64}\\.${COMMIT}\\.json$`),
		);
		assert.equal(readFileSync(join(outDir, stored), 'utf8'), REPORT);
	});

	it('a tuf-js client downloads the report verified by its signed hash', async () => {
		const metadataDir = makeTempDir('vouch-tuf-client-');
		const targetDir = makeTempDir('vouch-tuf-targets-');
		writeFileSync(
			join(metadataDir, 'root.json'),
			readFileSync(join(outDir, 'metadata', '1.root.json')),
		);
		const updater = new Updater({
			metadataDir,
			metadataBaseUrl: `${server.base}metadata`,
			targetDir,
			targetBaseUrl: `${server.base}targets`,
			fetcher: new TufFetcher({ fetch, timeoutMs: 60_000 }),
			config: { prefixTargetsWithHash: true },
		});
		await updater.refresh();
		const info = await updater.getTargetInfo(`scan-reports/alpha/${COMMIT}.json`);
		assert.ok(info !== undefined);
		const path = await updater.downloadTarget(info, join(targetDir, 'report.json'));
		assert.equal(readFileSync(path, 'utf8'), REPORT);
		assert.equal(await updater.getTargetInfo(`scan-reports/unlisted/${COMMIT}.json`), undefined);
	});

	it('without a reports directory, nothing but the registry is published', async () => {
		const keysDir = join(work, 'keys');
		const plain = await publishRepository({
			registryText: registryToml(),
			keysDir,
			outDir: join(work, 'plain'),
			now: NOW,
		});
		assert.deepEqual(plain.scanReports, []);
	});

	it('the client reads the summary of a published report, verified, and only that', async () => {
		const verifier = createTufVerifier({
			trustedRootPath: join(outDir, 'metadata', '1.root.json'),
			metadataDir: makeTempDir('vouch-tuf-meta-'),
			targetsDir: makeTempDir('vouch-tuf-cache-'),
			repositoryUrl: server.base,
		});
		await verifier.refresh();
		const summary = await verifier.scanSummary('alpha', COMMIT);
		assert.deepEqual(summary, {
			commit: COMMIT,
			scannerVersion: 'unknown',
			high: 0,
			medium: 1,
			low: 0,
			info: 0,
			undeclared: [],
		});
		assert.deepEqual(registryScanLine(summary), {
			text: 'Registry scan of this commit (vouch-scan unknown): 0 high, 1 medium, 0 low.',
			warn: false,
		});
		// Another commit, an unlisted plugin, a name that is no name: nothing published.
		assert.equal(await verifier.scanSummary('alpha', 'f'.repeat(40)), undefined);
		assert.equal(await verifier.scanSummary('unlisted', COMMIT), undefined);
		assert.equal(await verifier.scanSummary('../alpha', COMMIT), undefined);
		// A report altered on the server is refused, not shown.
		const file = `/${result.scanReports[0]?.file}`;
		const forged = REPORT.replace('"medium":1', '"medium":0');
		server.override(file, { body: forged });
		try {
			await assert.rejects(verifier.scanSummary('alpha', COMMIT), (error: unknown) => {
				assert.ok(isVouchError(error));
				assert.equal(error.code, 'TUF_TARGET_HASH_MISMATCH');
				return true;
			});
		} finally {
			server.clear(file);
		}
	});
});
