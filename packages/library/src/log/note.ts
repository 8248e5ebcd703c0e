/**
 * C2SP signed notes: a UTF-8 text ending in a newline, a blank line, then one line per
 * signature, `— <name> <base64(4-byte key id || signature)>`. The text is what is signed.
 * Opening a note is strict about form and bounded in size and signature count; signatures by
 * keys the caller does not know are ignored (a log may be cosigned by witnesses), but at least
 * one known key must have signed, and a known key whose signature fails rejects the note:
 * it is forged or damaged, and neither is a note to trust.
 */
import { decodeBase64Strict, encodeBase64 } from './base64.ts';
import { logError } from './errors.ts';
import { MAX_NOTE_BYTES, MAX_NOTE_SIGNATURES } from './limits.ts';
import { isValidKeyName, type NoteSigner, type NoteVerifier } from './note-keys.ts';

const SIGNATURE_PREFIX = '\u2014 ';

export interface NoteSignature {
	name: string;
	keyHash: number;
}

export interface OpenedNote {
	text: string;
	/** The known keys whose signatures verified. Never empty. */
	signatures: NoteSignature[];
	/** Signature lines by keys the caller did not name (kept for display, never trusted). */
	unverified: NoteSignature[];
}

function badNote(message: string): Error {
	return logError('LOG_BAD_NOTE', message);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds.
const FORBIDDEN_CONTROL = /[\u0000-\u0009\u000b-\u001f]/;

/** The text rules: non-empty, ends with a newline, no control character other than newline. */
export function assertNoteText(text: string): void {
	if (text.length === 0 || !text.endsWith('\n'))
		throw badNote('Note text must end with a newline.');
	if (FORBIDDEN_CONTROL.test(text)) throw badNote('Note text has a control character.');
}

export function signNote(text: string, signers: readonly NoteSigner[]): string {
	assertNoteText(text);
	if (signers.length === 0) throw logError('LOG_INVALID_ARGUMENT', 'A note needs a signer.');
	const message = new TextEncoder().encode(text);
	const lines = signers.map((signer) => {
		const id = Buffer.alloc(4);
		id.writeUInt32BE(signer.keyHash);
		const blob = Uint8Array.from([...id, ...signer.sign(message)]);
		return `${SIGNATURE_PREFIX}${signer.name} ${encodeBase64(blob)}\n`;
	});
	const note = `${text}\n${lines.join('')}`;
	if (Buffer.byteLength(note) > MAX_NOTE_BYTES) throw badNote('The signed note is too large.');
	return note;
}

function decodeUtf8(bytes: Uint8Array): string {
	try {
		return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
	} catch {
		throw badNote('The note is not UTF-8.');
	}
}

/** Verifies a note against the keys the caller trusts, and returns its text. */
export function openNote(
	note: Uint8Array | string,
	verifiers: readonly NoteVerifier[],
): OpenedNote {
	const bytes = typeof note === 'string' ? new TextEncoder().encode(note) : note;
	if (bytes.length > MAX_NOTE_BYTES)
		throw badNote(`The note is larger than ${MAX_NOTE_BYTES} bytes.`);
	const message = decodeUtf8(bytes);
	if (FORBIDDEN_CONTROL.test(message)) throw badNote('The note has a control character.');
	const split = message.lastIndexOf('\n\n');
	if (split === -1) throw badNote('The note has no signature block.');
	const text = message.slice(0, split + 1);
	const block = message.slice(split + 2);
	if (block.length === 0 || !block.endsWith('\n'))
		throw badNote('The signature block is malformed.');
	const lines = block.slice(0, -1).split('\n');
	if (lines.length > MAX_NOTE_SIGNATURES) throw badNote('The note has too many signatures.');
	const signedBytes = new TextEncoder().encode(text);
	const signatures: NoteSignature[] = [];
	const unverified: NoteSignature[] = [];
	const seen = new Set<string>();
	for (const line of lines) {
		const { name, keyHash, signature } = parseSignatureLine(line);
		const verifier = verifiers.find((v) => v.name === name && v.keyHash === keyHash);
		if (verifier === undefined) {
			unverified.push({ name, keyHash });
			continue;
		}
		const id = `${keyHash}:${name}`;
		if (seen.has(id)) throw badNote('A key signed the note twice.');
		seen.add(id);
		if (!verifier.verify(signedBytes, signature)) {
			throw logError('LOG_BAD_SIGNATURE', 'A signature by a known key does not verify.', {
				hint: 'The note was altered or signed by another key with the same name.',
			});
		}
		signatures.push({ name, keyHash });
	}
	if (signatures.length === 0) {
		throw logError('LOG_BAD_SIGNATURE', 'No signature by a known key.', {
			hint: 'Check that the log verifier key is the one the log publishes.',
		});
	}
	return { text, signatures, unverified };
}

function parseSignatureLine(line: string): {
	name: string;
	keyHash: number;
	signature: Uint8Array;
} {
	if (!line.startsWith(SIGNATURE_PREFIX)) throw badNote('A signature line lacks the em dash.');
	const rest = line.slice(SIGNATURE_PREFIX.length);
	const space = rest.indexOf(' ');
	if (space === -1) throw badNote('A signature line has no signature.');
	const name = rest.slice(0, space);
	const blob = decodeBase64Strict(rest.slice(space + 1));
	if (!isValidKeyName(name) || blob === undefined || blob.length < 5) {
		throw badNote('A signature line is malformed.');
	}
	return {
		name,
		keyHash: Buffer.from(blob.buffer, blob.byteOffset, 4).readUInt32BE(0),
		signature: blob.subarray(4),
	};
}
