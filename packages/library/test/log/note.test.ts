/**
 * C2SP signed notes and their Ed25519 keys: key texts and ids, signing, and every way to tamper
 * with a note (its text, a signature, the name, the key id) refused with a closed code.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { openNote, signNote } from '../../src/log/note.ts';
import {
	generateNoteKey,
	keyHash,
	parseSignerKey,
	parseVerifierKey,
	verifierKeyText,
} from '../../src/log/note-keys.ts';
import { assertLogError } from './helpers.ts';

const KEY = generateNoteKey('example.org/log');
const SIGNER = parseSignerKey(KEY.signerKey);
const VERIFIER = parseVerifierKey(KEY.verifierKey);
const OTHER = generateNoteKey('witness.example/w1');
/** name, id and key of a verifier key text; the base64 key may itself contain `+`. */
function keyParts(text: string): [string, string, string] {
	const [name, id, ...key] = text.split('+');
	return [name as string, id as string, key.join('+')];
}

const TEXT = 'example.org/log\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n';

describe('note keys', () => {
	it('derive the key id from SHA-256(name, newline, 0x01, key) and round-trip the texts', () => {
		const raw = Buffer.from(keyParts(KEY.verifierKey)[2], 'base64');
		assert.equal(raw[0], 1);
		const digest = createHash('sha256').update('example.org/log\n').update(raw).digest();
		assert.equal(keyHash('example.org/log', raw.subarray(1)), digest.readUInt32BE(0));
		assert.equal(keyParts(KEY.verifierKey)[1], digest.subarray(0, 4).toString('hex'));
		assert.equal(SIGNER.verifierKey, KEY.verifierKey);
		assert.equal(verifierKeyText('example.org/log', raw.subarray(1)), KEY.verifierKey);
		assert.ok(KEY.signerKey.startsWith('PRIVATE+KEY+example.org/log+'));
		assert.equal(VERIFIER.keyHash, SIGNER.keyHash);
	});

	it('refuse malformed key texts', () => {
		const [name, id, key] = keyParts(KEY.verifierKey);
		const wrongId = (Number.parseInt(id, 16) ^ 1).toString(16).padStart(8, '0');
		const twoAlg = Buffer.from(key, 'base64');
		twoAlg[0] = 2;
		for (const bad of [
			'',
			name,
			`${name}+${id}`,
			`${name}+${wrongId}+${key}`,
			`${name}+${id.toUpperCase()}+${key}`,
			`${name}+${id.slice(1)}+${key}`,
			`+${id}+${key}`,
			`a b+${id}+${key}`,
			`${name}+${id}+${key}x`,
			`${name}+${id}+${key.slice(0, -4)}`,
			`${name}+${id}+${twoAlg.toString('base64')}`,
			`${name}+${id}+ ${key}`,
			`${name}\u001b+${id}+${key}`,
		]) {
			assertLogError(() => parseVerifierKey(bad), 'LOG_BAD_KEY');
		}
		assertLogError(() => parseSignerKey(KEY.verifierKey), 'LOG_BAD_KEY');
		assertLogError(
			() => parseSignerKey(`PRIVATE+KEY+other.name+${KEY.signerKey.split('+').slice(3).join('+')}`),
			'LOG_BAD_KEY',
		);
		assertLogError(() => generateNoteKey('has space'), 'LOG_BAD_KEY');
		assertLogError(() => generateNoteKey('a+b'), 'LOG_BAD_KEY');
	});
});

describe('signed notes', () => {
	it('sign and open, with the signature line in the C2SP form', () => {
		const note = signNote(TEXT, [SIGNER]);
		assert.ok(note.startsWith(`${TEXT}\n\u2014 example.org/log `));
		const blob = Buffer.from(note.slice(note.lastIndexOf(' ') + 1, -1), 'base64');
		assert.equal(blob.length, 68);
		assert.equal(blob.readUInt32BE(0), SIGNER.keyHash);
		const opened = openNote(note, [VERIFIER]);
		assert.equal(opened.text, TEXT);
		assert.deepEqual(opened.signatures, [{ name: 'example.org/log', keyHash: SIGNER.keyHash }]);
		assert.deepEqual(openNote(new TextEncoder().encode(note), [VERIFIER]).text, TEXT);
	});

	it('ignore unknown keys but need one known valid signature', () => {
		const cosigned = signNote(TEXT, [parseSignerKey(OTHER.signerKey), SIGNER]);
		const opened = openNote(cosigned, [VERIFIER]);
		assert.equal(opened.signatures.length, 1);
		assert.equal(opened.unverified[0]?.name, 'witness.example/w1');
		const onlyOther = signNote(TEXT, [parseSignerKey(OTHER.signerKey)]);
		assertLogError(() => openNote(onlyOther, [VERIFIER]), 'LOG_BAD_SIGNATURE');
		assertLogError(() => openNote(cosigned, []), 'LOG_BAD_SIGNATURE');
		// Both keys known: both verify.
		assert.equal(
			openNote(cosigned, [VERIFIER, parseVerifierKey(OTHER.verifierKey)]).signatures.length,
			2,
		);
	});

	it('refuse any change to the signed text', () => {
		const note = signNote(TEXT, [SIGNER]);
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: TEXT.length - 2 }),
				fc.constantFrom('0', 'A', 'z', '/', 'é'),
				(at, ch) => {
					fc.pre(TEXT[at] !== ch && TEXT[at] !== '\n');
					const tampered = `${note.slice(0, at)}${ch}${note.slice(at + 1)}`;
					assertLogError(() => openNote(tampered, [VERIFIER]), 'LOG_BAD_SIGNATURE');
				},
			),
			{ numRuns: 200 },
		);
	});

	it('refuse a flipped bit in the signature, and a signature moved to another name or key id', () => {
		const note = signNote(TEXT, [SIGNER]);
		const space = note.lastIndexOf(' ');
		const blob = Buffer.from(note.slice(space + 1, -1), 'base64');
		for (let bit = 32; bit < blob.length * 8; bit += 3) {
			const copy = Buffer.from(blob);
			copy[bit >> 3] = (copy[bit >> 3] as number) ^ (1 << (bit & 7));
			const tampered = `${note.slice(0, space + 1)}${copy.toString('base64')}\n`;
			assertLogError(() => openNote(tampered, [VERIFIER]), 'LOG_BAD_SIGNATURE');
		}
		// A different key id or name is an unknown key: nothing known signed.
		const otherId = Buffer.from(blob);
		otherId[0] = (otherId[0] as number) ^ 0x80;
		assertLogError(
			() => openNote(`${note.slice(0, space + 1)}${otherId.toString('base64')}\n`, [VERIFIER]),
			'LOG_BAD_SIGNATURE',
		);
		const renamed = note.replace('\u2014 example.org/log ', '\u2014 example.org/lag ');
		assertLogError(() => openNote(renamed, [VERIFIER]), 'LOG_BAD_SIGNATURE');
		// A key with the same name and id but another public key cannot verify it.
		const impostor = { ...VERIFIER, verify: parseVerifierKey(OTHER.verifierKey).verify };
		assertLogError(() => openNote(note, [impostor]), 'LOG_BAD_SIGNATURE');
	});

	it('refuse a malformed note before any signature is checked', () => {
		const note = signNote(TEXT, [SIGNER]);
		const line = note.slice(TEXT.length + 1);
		for (const bad of [
			TEXT,
			`${TEXT}\n`,
			note.slice(0, -1),
			`${TEXT}\n${line.replace('\u2014', '-')}`,
			`${TEXT}\n${line.replace('\u2014 ', '\u2014')}`,
			`${TEXT}\n${line.replace(/ [^ ]+\n$/, ' \n')}`,
			`${TEXT}\n${line.replace(/ [^ ]+\n$/, ' AAAA\n')}`,
			`${TEXT}\n${line.replace(/=?\n$/, '#\n')}`,
			`${TEXT}\n${line}${line}`,
			`ex\tample\n${note.slice(TEXT.indexOf('\n'))}`,
			`ex\rample\n${note.slice(TEXT.indexOf('\n'))}`,
			`${TEXT}\n${line}\u0000`,
		]) {
			assertLogError(() => openNote(bad, [VERIFIER]), 'LOG_BAD_NOTE');
		}
		assertLogError(
			() => openNote(new Uint8Array([0x66, 0xff, 0x0a, 0x0a]), [VERIFIER]),
			'LOG_BAD_NOTE',
		);
	});

	it('bound the note size and the number of signatures', () => {
		const big = `${'a'.repeat(70 * 1024)}\n`;
		assertLogError(() => signNote(big, [SIGNER]), 'LOG_BAD_NOTE');
		const note = signNote(TEXT, [SIGNER]);
		const other = signNote(TEXT, [parseSignerKey(OTHER.signerKey)]).slice(TEXT.length + 1);
		const many = `${note}${other.repeat(100)}`;
		assertLogError(() => openNote(many, [VERIFIER]), 'LOG_BAD_NOTE');
		assert.equal(openNote(`${note}${other.repeat(99)}`, [VERIFIER]).signatures.length, 1);
		assertLogError(
			() =>
				openNote(`${TEXT}${'x'.repeat(64 * 1024)}\n\n${note.slice(TEXT.length + 1)}`, [VERIFIER]),
			'LOG_BAD_NOTE',
		);
	});

	it('refuse to sign text that breaks the rules', () => {
		for (const bad of ['', 'no newline', 'tab\there\n', 'nul\u0000\n']) {
			assertLogError(() => signNote(bad, [SIGNER]), 'LOG_BAD_NOTE');
		}
		assertLogError(() => signNote(TEXT, []), 'LOG_INVALID_ARGUMENT');
	});
});
