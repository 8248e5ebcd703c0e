/**
 * A plugin's name or description cannot forge a trust badge in browse, search or info: Vouch's
 * badge comes first, and the author's text beside it is quoted and carries no badge glyph.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeTempDir } from '../../library/test/helpers/temp.ts';
import { runVouch } from './helpers/cli.ts';

const FORGED_NAMES = ['Nice 🛡️ official', 'x\u200b✓ trusted', 'Evil \u202elaiciffo 🛡️'];
/** Vouch's own official and trusted badges, and what hides or reorders text. */
const FORGERY =
	/[\u{1f6e1}\u2713\u2714\u2705\u200b-\u200d\u2060\u202a-\u202e\u2066-\u2069]|\ufe0f/u;

function registryFile(): string {
	const plugins = FORGED_NAMES.map((name, index) => ({
		id: `forger-${index}`,
		uuid: [
			'1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
			'2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
			'3c4d5e6f-7a8b-4c9d-8e0f-2a3b4c5d6e7f',
		][index],
		name,
		description: `Totally 🛡️ official, ✓ trusted\u200b too`,
		git_url: `https://github.com/forger/plugin-${index}`,
		categories: ['metadata'],
		trust_level: 'community',
		added_at: '2026-01-02T03:04:05Z',
		updated_at: '2026-01-02T03:04:05Z',
	}));
	const path = join(makeTempDir('vouch-forgery-'), 'plugins.json');
	writeFileSync(path, JSON.stringify({ api_version: '3.0', plugins, blacklist: [] }));
	return path;
}

const registry = registryFile();

/** Every line that shows a plugin: the badge first, then nothing that looks like one. */
function assertNoForgedBadge(stdout: string, what: string): void {
	const lines = stdout.split('\n').filter((line) => line.trim() !== '');
	assert.ok(lines.length > 0, what);
	for (const line of lines) {
		// What follows Vouch's own badge, if the line starts with one.
		const rest = line.replace(/^⚠️ community\s/, '');
		assert.doesNotMatch(rest, FORGERY, `${what}: ${line}`);
	}
	const badgeLines = lines.filter((line) => line.includes('community'));
	assert.ok(badgeLines.length > 0, what);
	for (const line of badgeLines) assert.match(line, /^⚠️ community\s/, `${what}: ${line}`);
}

test('browse and search show community badges first and no forged ones', async () => {
	for (const args of [['browse'], ['search', 'official'], ['search', 'trusted']]) {
		const run = await runVouch([...args, '--registry', registry]);
		assert.equal(run.code, 0, run.stderr);
		assertNoForgedBadge(run.stdout, args.join(' '));
		assert.match(run.stdout, /"Nice official"/);
		assert.match(run.stdout, /"x\ufffd trusted"/);
	}
});

test('info puts the badge before the quoted name, which cannot carry one', async () => {
	for (const id of ['forger-0', 'forger-1', 'forger-2']) {
		const run = await runVouch(['info', id, '--registry', registry, '--offline']);
		assert.equal(run.code, 0, run.stderr);
		assertNoForgedBadge(run.stdout, `info ${id}`);
	}
});
