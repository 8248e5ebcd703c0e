/** C2SP tlog-checkpoint bodies: the strict parse, and a signed checkpoint bound to its origin. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
	formatCheckpoint,
	openCheckpoint,
	parseCheckpoint,
	signCheckpoint,
} from '../../src/log/checkpoint.ts';
import { signNote } from '../../src/log/note.ts';
import { generateNoteKey, parseSignerKey, parseVerifierKey } from '../../src/log/note-keys.ts';
import { assertLogError } from './helpers.ts';

const ROOT = Buffer.alloc(32, 7).toString('base64');

describe('checkpoint bodies', () => {
	it('parse the three lines and the extension lines', () => {
		const parsed = parseCheckpoint(`example.org/log\n42\n${ROOT}\next one\next two\n`);
		assert.equal(parsed.origin, 'example.org/log');
		assert.equal(parsed.size, 42);
		assert.deepEqual(Buffer.from(parsed.root), Buffer.alloc(32, 7));
		assert.deepEqual(parsed.extensions, ['ext one', 'ext two']);
		assert.equal(formatCheckpoint(parsed), `example.org/log\n42\n${ROOT}\next one\next two\n`);
		assert.equal(parseCheckpoint(`o\n0\n${ROOT}\n`).size, 0);
		assert.equal(parseCheckpoint(`o\n9007199254740991\n${ROOT}\n`).size, Number.MAX_SAFE_INTEGER);
	});

	it('refuse every other spelling', () => {
		const short = Buffer.alloc(31).toString('base64');
		const long = Buffer.alloc(33).toString('base64');
		for (const bad of [
			`o\n42\n${ROOT}`,
			`o\n42\n`,
			`o\n42\n${ROOT}\n\n`,
			`o\n42\n${ROOT}\n\next\n`,
			`\n42\n${ROOT}\n`,
			`o\n042\n${ROOT}\n`,
			`o\n00\n${ROOT}\n`,
			`o\n+42\n${ROOT}\n`,
			`o\n-1\n${ROOT}\n`,
			`o\n4 2\n${ROOT}\n`,
			`o\n42 \n${ROOT}\n`,
			`o\n1e3\n${ROOT}\n`,
			`o\n0x10\n${ROOT}\n`,
			`o\n9007199254740992\n${ROOT}\n`,
			`o\n99999999999999999999\n${ROOT}\n`,
			`o\n42\n${short}\n`,
			`o\n42\n${long}\n`,
			`o\n42\n${ROOT.replace('=', '')}\n`,
			`o\n42\n${ROOT} \n`,
			`o\n42\n${Buffer.alloc(32, 7).toString('base64url')}\n`,
			`o\n42\n${Buffer.alloc(32, 0xfb).toString('base64').replace(/\+/g, '-')}\n`,
			`o\n42\n${ROOT}\n${'e\n'.repeat(65)}`,
		]) {
			assertLogError(() => parseCheckpoint(bad), 'LOG_BAD_CHECKPOINT');
		}
		// A base64 hash with non-zero padding bits is another spelling of the same bytes.
		const noncanonical = `${ROOT.slice(0, 42)}${String.fromCharCode(ROOT.charCodeAt(42) + 1)}=`;
		assertLogError(() => parseCheckpoint(`o\n42\n${noncanonical}\n`), 'LOG_BAD_CHECKPOINT');
	});
});

describe('signed checkpoints', () => {
	const key = generateNoteKey('example.org/log');
	const signer = parseSignerKey(key.signerKey);
	const verifier = parseVerifierKey(key.verifierKey);
	const body = { origin: 'example.org/log', size: 5, root: Buffer.alloc(32, 1), extensions: [] };

	it('open with the log key, and only for the expected origin', () => {
		const note = signCheckpoint(body, [signer]);
		const opened = openCheckpoint(note, verifier);
		assert.equal(opened.size, 5);
		assert.equal(opened.note, note);
		const elsewhere = signCheckpoint({ ...body, origin: 'other.example/log' }, [signer]);
		assertLogError(() => openCheckpoint(elsewhere, verifier), 'LOG_BAD_CHECKPOINT');
		assert.equal(
			openCheckpoint(elsewhere, verifier, 'other.example/log').origin,
			'other.example/log',
		);
	});

	it('refuse a changed size or root, and another key', () => {
		const note = signCheckpoint(body, [signer]);
		assertLogError(
			() => openCheckpoint(note.replace('\n5\n', '\n6\n'), verifier),
			'LOG_BAD_SIGNATURE',
		);
		const otherRoot = Buffer.alloc(32, 2).toString('base64');
		assertLogError(
			() =>
				openCheckpoint(note.replace(Buffer.alloc(32, 1).toString('base64'), otherRoot), verifier),
			'LOG_BAD_SIGNATURE',
		);
		const stranger = parseSignerKey(generateNoteKey('example.org/log').signerKey);
		assertLogError(
			() => openCheckpoint(signCheckpoint(body, [stranger]), verifier),
			'LOG_BAD_SIGNATURE',
		);
	});

	it('refuse a signed note whose body is not a checkpoint', () => {
		const note = signNote(`example.org/log\nfive\n${Buffer.alloc(32).toString('base64')}\n`, [
			signer,
		]);
		assertLogError(() => openCheckpoint(note, verifier), 'LOG_BAD_CHECKPOINT');
		assertLogError(() => formatCheckpoint({ ...body, size: 1.5 }), 'LOG_BAD_CHECKPOINT');
	});
});
