/**
 * The transparency log through the CLI (D28): `vouch refresh` accepts a good log and refuses a
 * tampered, forked or truncated one while the last verified registry stays in use; the
 * maintainer's publish logs every change with its reason; `registry log verify | show | prove`
 * read a published log; `registry log monitor` writes a well-formed Atom feed of blacklist and
 * trust changes, and refuses an inconsistent log.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { openCheckpoint, signCheckpoint } from '@vouch/library/internal/log/checkpoint';
import {
	generateNoteKey,
	parseSignerKey,
	parseVerifierKey,
} from '@vouch/library/internal/log/note-keys';
import { encodeRegistryLogEntry } from '@vouch/library/internal/log/registry-entry';
import { appendEntries } from '@vouch/library/internal/log/tile-writer';
import { appendJournal, journalPathFor } from '@vouch/library/internal/registry/edit/journal';
import { makeTempDir } from '../../library/test/helpers/temp.ts';
import {
	copyFixture,
	makeFixture,
	type RepositoryServer,
	registryToml,
	serveDirectory,
	type TufFixture,
} from '../../library/test/tuf/helpers.ts';
import { parseJson, runVouch } from './helpers/cli.ts';
import { childrenNamed, childText, parseXml } from './helpers/xml.ts';
import { assertJsonError, assertJsonOutput } from './json/schema-check.ts';

const ONE = 'https://github.com/evil/one';
const TWO = 'https://github.com/evil/two';
const THREE = 'https://github.com/evil/three';

const loopbackFetch: typeof fetch = (input, init) => {
	const url = new URL(input instanceof Request ? input.url : String(input));
	if (url.hostname !== '127.0.0.1') throw new Error(`tests must not reach ${url.host}`);
	return fetch(input, init);
};

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('vouch refresh and the transparency log', () => {
	let template: TufFixture;
	let templateHost: string;
	let fixture: TufFixture;
	let profile: string;

	/** A host directory whose profile reads `fixture`'s registry (cache and data beside it). */
	function writeProfile(dir: string, served: TufFixture): string {
		const path = join(dir, 'profile.toml');
		writeFileSync(
			path,
			[
				'name = "loghost"',
				'api_versions = ["3.0"]',
				`registry_urls = ["${served.server.base}"]`,
				`trusted_root = "${join(served.dir, 'shipped-root.json')}"`,
				'allow_unsigned = false',
				'cache_dir = "cache"',
				'data_dir = "data"',
				'config_dir = "config"',
				'',
			].join('\n'),
		);
		return path;
	}

	// Built once: the keys, the repository and its log, and a client that has seen two states.
	before(async () => {
		template = await makeFixture();
		templateHost = makeTempDir('vouch-log-host-');
		fixture = template;
		profile = writeProfile(templateHost, template);
		// The client has seen two states; the second blacklists TWO.
		assert.equal((await vouch(['refresh'])).code, 0);
		await template.publish(registryToml([ONE, TWO]));
		const second = await vouch(['refresh']);
		assert.equal(second.code, 0, second.stdout + second.stderr);
	});
	after(async () => {
		await template.close();
	});
	// Each test changes the repository and the client's cache: it gets copies of both, the
	// copy of the repository on a server of its own, which the copied profile now names.
	beforeEach(async () => {
		fixture = await copyFixture(template);
		const dir = makeTempDir('vouch-log-host-');
		cpSync(templateHost, dir, { recursive: true, preserveTimestamps: true });
		profile = writeProfile(dir, fixture);
	});
	afterEach(async () => {
		await fixture.close();
	});

	function vouch(argv: string[]) {
		return runVouch([...argv, '--profile', profile], {
			fetch: loopbackFetch,
			now: () => new Date(),
		});
	}

	function signer() {
		return parseSignerKey(readFileSync(join(fixture.keysDir, 'log.key'), 'utf8').trim());
	}

	function replaceLog(dir: string): void {
		rmSync(join(fixture.repoDir, 'log'), { recursive: true });
		cpSync(dir, join(fixture.repoDir, 'log'), { recursive: true });
	}

	/** The refresh is refused with `code`, and the client still blocks TWO but not THREE. */
	async function assertRefusedKeepingState(code: string): Promise<void> {
		assertJsonError(await vouch(['refresh', '--json']), 1, code);
		const human = await vouch(['refresh']);
		assert.equal(human.code, 1);
		assert.match(human.stderr, /kept|last verified/i);
		assert.equal(
			(await vouch(['check-blacklist', TWO])).code,
			3,
			'the verified blacklist still blocks',
		);
		assert.equal(
			(await vouch(['check-blacklist', THREE])).code,
			0,
			'the refused blacklist is not used',
		);
	}

	it('accepts a good log', async () => {
		await fixture.publish(registryToml([ONE, TWO, THREE]));
		const run = await vouch(['refresh', '--json']);
		assert.equal(run.code, 0, run.stdout + run.stderr);
		assert.equal(parseJson(run).blacklistCount, 3);
		assert.equal((await vouch(['check-blacklist', THREE])).code, 3);
	});

	it('refuses a tampered entry', async () => {
		await fixture.publish(registryToml([ONE, TWO, THREE]));
		const size = Number(fixture.file('log/checkpoint').toString('utf8').split('\n')[1]);
		const bundle = join(fixture.repoDir, 'log', 'tile', 'entries', '000.p', String(size));
		const text = readFileSync(bundle, 'latin1').replace(
			'Changed by the test.',
			'Changed by a thief.',
		);
		writeFileSync(bundle, Buffer.from(text, 'latin1'));
		await assertRefusedKeepingState('LOG_BAD_TILE');
	});

	it('refuses a forked log: the same size, another root, signed by the log key', async () => {
		const size = Number(fixture.file('log/checkpoint').toString('utf8').split('\n')[1]);
		const fork = join(fixture.dir, 'fork');
		const entries = Array.from({ length: size }, (_, i) =>
			encodeRegistryLogEntry({
				sequence: i,
				time: '2026-01-01T00:00:00Z',
				actor: 'a'.repeat(64),
				action: 'publish',
				subject: `targets.json@sha256:${'b'.repeat(64)}`,
				reason: 'Another history.',
				registry_before: 'c'.repeat(64),
				registry_after: 'c'.repeat(64),
				targets_version: i + 1,
			}),
		);
		await appendEntries(fork, entries, { signer: signer() });
		await fixture.publish(registryToml([ONE, TWO, THREE]));
		replaceLog(fork);
		await assertRefusedKeepingState('LOG_INCONSISTENT');
	});

	it('refuses a truncated log: a smaller tree than the one stored', async () => {
		const before = join(fixture.dir, 'log-before');
		cpSync(join(fixture.repoDir, 'log'), before, { recursive: true });
		await fixture.publish(registryToml([ONE, TWO]).replace('Malware', 'Malicious'));
		const accepted = await vouch(['refresh']);
		assert.equal(accepted.code, 0, accepted.stderr);
		// The older log, genuinely signed, comes back; the newest targets are then unlogged too.
		await fixture.publish(registryToml([ONE, TWO, THREE]));
		replaceLog(before);
		await assertRefusedKeepingState('LOG_INCONSISTENT');
	});

	it('refuses a checkpoint signed by another key', async () => {
		await fixture.publish(registryToml([ONE, TWO, THREE]));
		const note = fixture.file('log/checkpoint').toString('utf8');
		const real = openCheckpoint(note, parseVerifierKey(signer().verifierKey));
		const other = parseSignerKey(generateNoteKey(real.origin).signerKey);
		writeFileSync(join(fixture.repoDir, 'log', 'checkpoint'), signCheckpoint(real, [other]));
		await assertRefusedKeepingState('LOG_BAD_SIGNATURE');
	});

	it('refuses targets missing from the log', async () => {
		const before = join(fixture.dir, 'log-before');
		cpSync(join(fixture.repoDir, 'log'), before, { recursive: true });
		await fixture.publish(registryToml([ONE, TWO, THREE]));
		replaceLog(before);
		await assertRefusedKeepingState('LOG_NOT_INCLUDED');
	});
});

describe('the maintainer commands', () => {
	let dir: string;
	let server: RepositoryServer | undefined;
	const registryFile = () => join(dir, 'plugins.toml');
	const maintainer = (argv: string[]) =>
		runVouch(argv, { cwd: dir, fetch: loopbackFetch, now: () => new Date() });

	before(async () => {
		dir = makeTempDir('vouch-log-maintainer-');
		const keys = await maintainer([
			'registry',
			'keys',
			'init',
			'--dir',
			'keys',
			'--log-origin',
			'example.org/registry-log',
			'--json',
		]);
		assertJsonOutput(keys, 'registry keys init');
		assert.equal((parseJson(keys).log as { origin: string }).origin, 'example.org/registry-log');
		writeFileSync(registryFile(), registryToml([ONE]));
		const first = await maintainer([
			'registry',
			'publish',
			'plugins.toml',
			'--keys',
			'keys',
			'--out',
			'repo',
			'--json',
		]);
		const published = assertJsonOutput(first, 'registry publish');
		assert.equal((published.log as { size: number }).size, 2);
	});
	after(async () => {
		await server?.close();
	});

	it('refuses to publish a change without a recorded reason, and writes nothing', async () => {
		writeFileSync(registryFile(), registryToml([ONE, TWO]));
		const timestamp = readFileSync(join(dir, 'repo', 'metadata', 'timestamp.json'));
		const checkpoint = readFileSync(join(dir, 'repo', 'log', 'checkpoint'));
		const run = await maintainer([
			'registry',
			'publish',
			'plugins.toml',
			'--keys',
			'keys',
			'--out',
			'repo',
			'--json',
		]);
		assertJsonError(run, 1, 'TUF_LOG_REASON_REQUIRED');
		assert.deepEqual(readFileSync(join(dir, 'repo', 'metadata', 'timestamp.json')), timestamp);
		assert.deepEqual(readFileSync(join(dir, 'repo', 'log', 'checkpoint')), checkpoint);
		const human = await maintainer([
			'registry',
			'publish',
			'plugins.toml',
			'--keys',
			'keys',
			'--out',
			'repo',
		]);
		assert.match(human.stderr, /--reason/);
		const withReason = await maintainer([
			'registry',
			'publish',
			'plugins.toml',
			'--keys',
			'keys',
			'--out',
			'repo',
			'--reason',
			'Blacklisted evil/two after review.',
			'--json',
		]);
		const published = assertJsonOutput(withReason, 'registry publish');
		assert.equal((published.log as { entriesAdded: number }).entriesAdded, 2);
	});

	it('logs the change journal, with untrusted text kept as data, and empties it', async () => {
		const before = readFileSync(registryFile(), 'utf8');
		const after = registryToml([ONE, TWO, THREE]);
		writeFileSync(registryFile(), after);
		await appendJournal(journalPathFor(registryFile()), {
			action: 'blacklist_add',
			subject: `${THREE} <script>alert(1)</script>`,
			reason: 'Steals "tokens" & <b>cookies</b>',
			report: 'https://reports.example.org/r/42?a=1&b=2',
			registrySha256Before: sha256(before),
			registrySha256After: sha256(after),
		});
		const run = await maintainer([
			'registry',
			'publish',
			'plugins.toml',
			'--keys',
			'keys',
			'--out',
			'repo',
			'--json',
		]);
		assert.equal(run.code, 0, run.stdout + run.stderr);
		assert.equal(readFileSync(journalPathFor(registryFile()), 'utf8'), '');

		const verify = await maintainer(['registry', 'log', 'verify', 'repo', '--json']);
		const audit = assertJsonOutput(verify, 'registry log verify');
		assert.equal(audit.size, 6);
		assert.deepEqual(audit.actions, { blacklist_add: 1, edit: 2, publish: 3 });
		assert.equal(audit.registrySha256, sha256(after));

		const show = await maintainer(['registry', 'log', 'show', 'repo', '--from', '4', '--json']);
		const shown = assertJsonOutput(show, 'registry log show');
		const entries = shown.entries as { action: string; subject: string }[];
		assert.deepEqual(
			entries.map((entry) => entry.action),
			['blacklist_add', 'publish'],
		);
		const human = await maintainer(['registry', 'log', 'show', 'repo']);
		assert.match(human.stdout, /blacklist_add https:\/\/github\.com\/evil\/three <script>/);

		const inclusion = await maintainer(['registry', 'log', 'prove', 'repo', '4', '--json']);
		const proof = assertJsonOutput(inclusion, 'registry log prove');
		assert.equal(proof.kind, 'inclusion');
		assert.equal((proof.proof as string[]).length, 2);
		const older = await maintainer([
			'registry',
			'log',
			'prove',
			'repo',
			'1',
			'--size',
			'2',
			'--json',
		]);
		assert.equal((assertJsonOutput(older, 'registry log prove').proof as string[]).length, 1);
		const consistency = await maintainer([
			'registry',
			'log',
			'prove',
			'repo',
			'--consistency',
			'2',
			'6',
			'--json',
		]);
		const linked = assertJsonOutput(consistency, 'registry log prove');
		assert.equal(linked.kind, 'consistency');
		assert.equal(linked.first, 2);
		const wrong = await maintainer(['registry', 'log', 'prove', 'repo', '--consistency', '5', '3']);
		assert.equal(wrong.code, 2);
	});

	it('monitors the log into an Atom feed of blacklist and trust changes, and refuses a rewritten one', async () => {
		server = await serveDirectory(join(dir, 'repo'));
		const monitor = () =>
			maintainer([
				'registry',
				'log',
				'monitor',
				server?.base as string,
				'--key',
				'keys/log-key.txt',
				'--feed',
				'feed.xml',
				'--json',
			]);
		const first = await monitor();
		const result = assertJsonOutput(first, 'registry log monitor');
		assert.equal(result.previousSize, 0);
		const feed = parseXml(readFileSync(join(dir, 'feed.xml'), 'utf8'));
		assert.equal(feed.name, 'feed');
		assert.equal(feed.attributes.xmlns, 'http://www.w3.org/2005/Atom');
		const items = childrenNamed(feed, 'entry');
		assert.equal(items.length, 1, 'only the blacklist change, not publishes or edits');
		const item = items[0] as NonNullable<(typeof items)[0]>;
		assert.equal(childText(item, 'title'), `blacklist add: ${THREE} <script>alert(1)</script>`);
		assert.match(childText(item, 'summary') as string, /Steals "tokens" & <b>cookies<\/b>/);
		assert.equal(
			childrenNamed(item, 'link')[0]?.attributes.href,
			'https://reports.example.org/r/42?a=1&b=2',
		);

		// A later trust change is added; the feed keeps the earlier item.
		const before = readFileSync(registryFile(), 'utf8');
		const after = before.replace('trust_level = "community"', 'trust_level = "trusted"');
		writeFileSync(registryFile(), after);
		await appendJournal(journalPathFor(registryFile()), {
			action: 'trust_change',
			subject: 'alpha',
			reason: 'Reviewed.',
			registrySha256Before: sha256(before),
			registrySha256After: sha256(after),
		});
		assert.equal(
			(await maintainer(['registry', 'publish', 'plugins.toml', '--keys', 'keys', '--out', 'repo']))
				.code,
			0,
		);
		const second = assertJsonOutput(await monitor(), 'registry log monitor');
		assert.equal(second.previousSize, 6);
		assert.equal((second.added as unknown[]).length, 1);
		assert.equal(
			childrenNamed(parseXml(readFileSync(join(dir, 'feed.xml'), 'utf8')), 'entry').length,
			2,
		);

		// A rewritten history: the same key signs a log that does not extend the one seen.
		const state = readFileSync(join(dir, 'feed.xml.state.json'), 'utf8');
		// The state is the watcher's own (its location may carry credentials); the feed is public.
		if (process.platform !== 'win32') {
			assert.equal(statSync(join(dir, 'feed.xml.state.json')).mode & 0o077, 0);
		}
		rmSync(join(dir, 'repo', 'log'), { recursive: true });
		const forged = encodeRegistryLogEntry({
			sequence: 0,
			time: '2026-01-01T00:00:00Z',
			actor: 'a'.repeat(64),
			action: 'publish',
			subject: `targets.json@sha256:${'b'.repeat(64)}`,
			reason: 'Another history.',
			registry_before: 'c'.repeat(64),
			registry_after: 'c'.repeat(64),
			targets_version: 1,
		});
		const logSigner = parseSignerKey(readFileSync(join(dir, 'keys', 'log.key'), 'utf8').trim());
		await appendEntries(join(dir, 'repo', 'log'), Array(12).fill(forged), { signer: logSigner });
		const refused = await monitor();
		assertJsonError(refused, 1, 'LOG_INCONSISTENT');
		const alerted = childrenNamed(parseXml(readFileSync(join(dir, 'feed.xml'), 'utf8')), 'entry');
		assert.equal(alerted.length, 3);
		assert.match(childText(alerted[0] as never, 'title') as string, /refused: LOG_INCONSISTENT/);
		const kept = JSON.parse(readFileSync(join(dir, 'feed.xml.state.json'), 'utf8'));
		assert.equal(kept.checkpoint, JSON.parse(state).checkpoint);
	});

	it('verify finds a tampered old entry that a refresh never reads', async () => {
		writeFileSync(registryFile(), registryToml([ONE]));
		const fresh = join(dir, 'fresh');
		assert.equal(
			(
				await maintainer([
					'registry',
					'publish',
					'plugins.toml',
					'--keys',
					'keys',
					'--out',
					'fresh',
				])
			).code,
			0,
		);
		assert.equal((await maintainer(['registry', 'log', 'verify', 'fresh'])).code, 0);
		const bundle = join(fresh, 'log', 'tile', 'entries', '000.p', '2');
		const bytes = readFileSync(bundle);
		bytes[10] = (bytes[10] as number) ^ 1;
		writeFileSync(bundle, bytes);
		assertJsonError(
			await maintainer(['registry', 'log', 'verify', 'fresh', '--json']),
			1,
			'LOG_BAD_TILE',
		);
	});

	it('creates and rotates the log key', async () => {
		const rotated = await maintainer([
			'registry',
			'keys',
			'log-key',
			'--dir',
			'keys',
			'--rotate',
			'--json',
		]);
		const key = assertJsonOutput(rotated, 'registry keys log-key');
		assert.equal(key.rotated, true);
		assert.equal(key.origin, 'example.org/registry-log');
		const again = await maintainer(['registry', 'keys', 'log-key', '--dir', 'keys', '--json']);
		assertJsonError(again, 1, 'TUF_KEYS_EXIST');
	});
});
