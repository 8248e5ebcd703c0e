/**
 * The client's log check on its own, against a log written to a temp directory: what it does
 * with a log key target in another spelling, and with a `publish` entry further back than it
 * searches (it refuses; it never takes "not found" for "fine").
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generateNoteKey, parseSignerKey } from '../../src/log/note-keys.ts';
import { encodeRegistryLogEntry, publishSubject } from '../../src/log/registry-entry.ts';
import { appendEntries, CHECKPOINT_PATH, directoryTileReader } from '../../src/log/tile-writer.ts';
import {
	checkRegistryLog,
	isLogKeyTarget,
	MAX_PUBLISH_SEARCH,
} from '../../src/tuf/client/registry-log-check.ts';
import { sha256Hex } from '../../src/tuf/metadata.ts';
import { makeTempDir } from '../helpers/temp.ts';
import { rejectsCode } from './helpers.ts';

const TARGETS_SHA256 = 'd'.repeat(64);

function entry(sequence: number, action: 'publish' | 'blacklist_add', version: number) {
	return encodeRegistryLogEntry({
		sequence,
		time: '2026-01-01T00:00:00Z',
		actor: 'a'.repeat(64),
		action,
		subject:
			action === 'publish' ? publishSubject(TARGETS_SHA256) : `https://github.com/evil/${sequence}`,
		reason: 'A test entry.',
		registry_before: 'c'.repeat(64),
		registry_after: 'c'.repeat(64),
		targets_version: version,
	});
}

/** A log whose `publish` entry of targets version 1 is followed by `after` other entries. */
async function logWithPublishThen(after: number) {
	const dir = makeTempDir('vouch-log-check-');
	const key = generateNoteKey('example.org/log');
	const entries = [entry(0, 'publish', 1)];
	for (let i = 1; i <= after; i++) entries.push(entry(i, 'blacklist_add', 1));
	await appendEntries(dir, entries, { signer: parseSignerKey(key.signerKey) });
	const reader = directoryTileReader(dir);
	return {
		key: key.verifierKey,
		source: {
			url: 'https://example.org/log/',
			readCheckpoint: async () => readFileSync(join(dir, CHECKPOINT_PATH)),
			readTile: reader,
		},
	};
}

describe('the log key target', () => {
	it('is accepted as the key text, with or without one final newline', async () => {
		const { key, source } = await logWithPublishThen(0);
		for (const text of [key, `${key}\n`]) {
			const check = await checkRegistryLog({
				source,
				verifierKey: text,
				targets: { version: 1, sha256: TARGETS_SHA256 },
			});
			assert.equal(check.state.verifierKey, key);
			assert.equal(check.publishIndex, 0);
			assert.ok(isLogKeyTarget(check.state.verifierKey, sha256Hex(Buffer.from(text))));
		}
	});

	it('is refused in any other spelling, which a stored cache could not be matched against', async () => {
		const { key, source } = await logWithPublishThen(0);
		for (const text of [` ${key}`, `${key}\r\n`, `${key}\n\n`, `${key} \n`, `\n${key}\n`]) {
			await rejectsCode(checkRegistryLog({ source, verifierKey: text }), 'LOG_BAD_KEY');
		}
	});

	it('binds a stored key only to the hash of that key', () => {
		const one = generateNoteKey('example.org/log').verifierKey;
		const two = generateNoteKey('example.org/log').verifierKey;
		assert.ok(isLogKeyTarget(one, sha256Hex(Buffer.from(`${one}\n`))));
		assert.ok(!isLogKeyTarget(two, sha256Hex(Buffer.from(`${one}\n`))));
		assert.ok(!isLogKeyTarget(one, undefined));
	});
});

describe('the publish entry search', () => {
	it('finds the entry at the edge of the window', async () => {
		const { key, source } = await logWithPublishThen(MAX_PUBLISH_SEARCH - 1);
		const check = await checkRegistryLog({
			source,
			verifierKey: key,
			targets: { version: 1, sha256: TARGETS_SHA256 },
		});
		assert.equal(check.publishIndex, 0);
	});

	it('refuses, rather than accepts, an entry just beyond the window', async () => {
		const { key, source } = await logWithPublishThen(MAX_PUBLISH_SEARCH);
		await rejectsCode(
			checkRegistryLog({
				source,
				verifierKey: key,
				targets: { version: 1, sha256: TARGETS_SHA256 },
			}),
			'LOG_NOT_INCLUDED',
		);
	});
});
