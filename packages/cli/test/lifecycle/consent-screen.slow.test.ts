/**
 * The consent screen as a person at a terminal sees it (D12, D20, D21): the real `vouch` in a
 * real pseudo-terminal, against plugins served over git smart HTTP on 127.0.0.1. The screen
 * shows trust, then the scan, then the capabilities, then asks; spinner lines are erased, never
 * run together; a possible impersonation needs its own yes, which `--yes` never gives; a plugin
 * without a `[capabilities]` table gets one line, not a list.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type CliRun, parseJson } from '../helpers/cli.ts';
import { renderScreen, runVouchInPty } from '../helpers/pty.ts';
import { createWorld, registryEntry, type ServedPlugin, type World } from './world.ts';

const TAGGER = { name: 'tagger', uuid: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d' };
const OFFICIAL = { name: 'cover-art', uuid: '8b9c0d1e-2f3a-4b4c-9d5e-6f7a8b9c0d1e' };
const FRAMES = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/u;
const ERASE_LINE = '\r\x1b[2K';

/** Three real Picard plugins whose manifests have no `[capabilities]` table. */
const PICARD_FIXTURES = fileURLToPath(
	new URL('../../../library/test/fixtures/scan/real-picard/', import.meta.url),
);
const REAL_PLUGINS = ['add-to-collection', 'replaygain2', 'additional-artists-variables'];

let world: World;
let tagger: ServedPlugin;
let fork: ServedPlugin;

function errorCode(run: CliRun): unknown {
	return (parseJson(run).error as { code?: string } | undefined)?.code;
}

function readTree(dir: string, prefix = ''): Record<string, string> {
	const files: Record<string, string> = {};
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) Object.assign(files, readTree(path, `${prefix}${entry.name}/`));
		else files[`${prefix}${entry.name}`] = readFileSync(path, 'utf8');
	}
	return files;
}

/** The index of the first rendered line matching `pattern`, or -1. */
function lineOf(lines: string[], pattern: RegExp): number {
	return lines.findIndex((line) => pattern.test(line));
}

/** Every spinner frame starts on an erased line, and no frame is left on the screen. */
function assertCleanSpinners(screen: string): void {
	let drawn = 0;
	for (let i = 0; i < screen.length; i++) {
		if (!FRAMES.test(screen[i] as string)) continue;
		drawn++;
		assert.equal(
			screen.slice(i - ERASE_LINE.length, i),
			ERASE_LINE,
			`a spinner frame was drawn without erasing the line first: ${JSON.stringify(screen.slice(Math.max(0, i - 60), i + 40))}`,
		);
	}
	assert.ok(drawn > 0, 'the spinner drew at a terminal');
	const left = renderScreen(screen).filter((line) => FRAMES.test(line));
	assert.deepEqual(left, [], 'no spinner line is left on the screen');
}

before(async () => {
	world = await createWorld();
	tagger = world.serve(TAGGER);
	const official = world.serve(OFFICIAL);
	// The official plugin's UUID, served from somewhere else: a possible impersonation.
	fork = world.serve(OFFICIAL, 'mallory/cover-art.git');
	const real = REAL_PLUGINS.map((id) => {
		const files = readTree(join(PICARD_FIXTURES, id));
		const uuid = /^uuid = "([^"]+)"/m.exec(files['MANIFEST.toml'] ?? '')?.[1] as string;
		const spec = { name: id, uuid, files };
		return registryEntry(world.serve(spec), spec, { id });
	});
	world.writeRegistry([
		registryEntry(tagger, TAGGER),
		registryEntry(official, OFFICIAL, { trust_level: 'official' }),
		...real,
	]);
});

after(() => world.close());

describe('the consent screen at a terminal', () => {
	it('shows trust, then the scan, then the capabilities, then asks; spinners are erased', async () => {
		const run = await runVouchInPty(['install', 'tagger', '--registry', world.registryFile], {
			env: world.env,
			answers: ['y'],
		});
		assert.equal(run.code, 0, run.screen);
		const lines = renderScreen(run.screen);
		const trust = lineOf(lines, /community plugin "tagger"/);
		const scan = lineOf(lines, /^Scan: /);
		const capabilities = lineOf(lines, /^Capabilities: /);
		const question = lineOf(lines, /\[y\/N\]/);
		assert.ok(trust >= 0 && trust < scan, `trust before the scan:\n${lines.join('\n')}`);
		assert.ok(scan < capabilities, 'the scan before the capabilities');
		assert.ok(capabilities < question, 'the capabilities before the question');
		assert.ok(question - trust < 12, `a short screen:\n${lines.join('\n')}`);
		assert.equal(lines.filter((line) => /^Scan: /.test(line)).length, 1, 'no repeated scan');
		assert.ok(lineOf(lines, /Installed .*"tagger"/) > question);
		assertCleanSpinners(run.screen);
	});

	it('update prints its result on a clean line, not after a spinner frame', async () => {
		const run = await runVouchInPty(['update', 'tagger', '--registry', world.registryFile], {
			env: world.env,
		});
		assert.equal(run.code, 0, run.screen);
		const lines = renderScreen(run.screen);
		assert.ok(lineOf(lines, /^ {2}"tagger": up-to-date/) >= 0, lines.join('\n'));
		assertCleanSpinners(run.screen);
	});

	it('a failure leaves a clean line with the error', async () => {
		const run = await runVouchInPty(
			['install', `${world.server.url}/nowhere.git`, '--registry', world.registryFile],
			{ env: world.env },
		);
		assert.equal(run.code, 1, run.screen);
		const lines = renderScreen(run.screen);
		assert.match(lines.find((line) => line.startsWith('✗')) ?? '', /^✗ \S/);
		assert.deepEqual(
			lines.filter((line) => FRAMES.test(line)),
			[],
		);
	});

	it('--yes does not answer a possible impersonation: it asks on its own', async () => {
		const run = await runVouchInPty(
			['install', fork.url, '--registry', world.registryFile, '--yes'],
			{ env: world.env, answers: ['n'] },
		);
		assert.equal(run.code, 130, run.screen);
		const lines = renderScreen(run.screen);
		assert.ok(
			lineOf(lines, /POSSIBLE IMPERSONATION/) < lineOf(lines, /may impersonate .*\[y\/N\]/),
		);
		assert.equal((await world.state()).plugins[OFFICIAL.uuid], undefined);
	});

	it('a typed y at the impersonation question, after the trust question, installs', async () => {
		const run = await runVouchInPty(['install', fork.url, '--registry', world.registryFile], {
			env: world.env,
			answers: ['y', 'y'],
		});
		assert.equal(run.code, 0, run.screen);
		const lines = renderScreen(run.screen);
		const trustQuestion = lineOf(lines, /^Install .*unregistered plugin .*\[y\/N\]/);
		const second = lineOf(lines, /may impersonate "cover-art"\. Install it anyway\? \[y\/N\]/);
		assert.ok(trustQuestion >= 0 && trustQuestion < second, lines.join('\n'));
		const uninstalled = await world.vouch(['uninstall', OFFICIAL.uuid]);
		assert.equal(uninstalled.code, 0, uninstalled.stderr);
	});
});

describe('a possible impersonation without a terminal', () => {
	it('is refused with --yes alone, with a code of its own and nothing installed', async () => {
		const run = await world.vouch([
			'install',
			fork.url,
			'--registry',
			world.registryFile,
			'--yes',
			'--json',
		]);
		assert.equal(run.code, 1, run.stderr);
		assert.equal(errorCode(run), 'IMPERSONATION_NOT_ACCEPTED');
		assert.equal((await world.state()).plugins[OFFICIAL.uuid], undefined);
	});

	it('passes with --accept-impersonation', async () => {
		const run = await world.vouch([
			'install',
			fork.url,
			'--registry',
			world.registryFile,
			'--yes',
			'--accept-impersonation',
			'--json',
		]);
		assert.equal(run.code, 0, run.stderr);
		assert.match(run.stderr, /POSSIBLE IMPERSONATION/);
		const uninstalled = await world.vouch(['uninstall', OFFICIAL.uuid]);
		assert.equal(uninstalled.code, 0, uninstalled.stderr);
	});

	it('is refused at update when the registry later gives the UUID to another address', async () => {
		const spec = { name: 'drifter', uuid: '9c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f' };
		const mine = world.serve(spec);
		const theirs = world.serve(spec, 'registered/drifter.git');
		const installed = await world.vouch([
			'install',
			mine.url,
			'--registry',
			world.registryFile,
			'--yes',
			'--json',
		]);
		assert.equal(installed.code, 0, installed.stderr);
		const registry = JSON.parse(readFileSync(world.registryFile, 'utf8')) as {
			plugins: unknown[];
		};
		world.writeRegistry([...registry.plugins, registryEntry(theirs, spec)]);
		mine.repo.commit({ 'extra.py': 'VALUE = 2\n' });
		world.publish(mine);
		const update = (extra: string[]) =>
			world.vouch(['update', spec.name, '--registry', world.registryFile, '--json', ...extra]);
		const refused = await update(['--yes']);
		assert.equal(errorCode(refused), 'IMPERSONATION_NOT_ACCEPTED', refused.stdout);
		const accepted = await update(['--yes', '--accept-impersonation']);
		assert.equal(accepted.code, 0, accepted.stdout + accepted.stderr);
		const results = parseJson(accepted).results as { status: string }[];
		assert.equal(results[0]?.status, 'updated');
		world.writeRegistry(registry.plugins);
		await world.vouch(['uninstall', spec.name]);
	});
});

describe('plugins without a [capabilities] table', () => {
	it('print one honest line each, not an author-facing note or a list', async () => {
		for (const id of REAL_PLUGINS) {
			const run = await world.vouch([
				'install',
				id,
				'--registry',
				world.registryFile,
				'--yes',
				'--accept-findings',
			]);
			assert.equal(run.code, 0, run.stderr + run.stdout);
			const text = `${run.stdout}\n${run.stderr}`;
			const capabilityLines = text.split('\n').filter((line) => /capabilit/i.test(line));
			assert.deepEqual(
				capabilityLines,
				[
					'Capabilities: declares none, so Vouch cannot tell you what it will do; it can do anything you can.',
				],
				id,
			);
			assert.doesNotMatch(text, /^ {2}- /m, `${id}: no list of everything`);
			assert.doesNotMatch(text, /manifest:/, `${id}: no author-facing note`);
		}
	});
});
