/**
 * C2SP tlog-checkpoint: the body of a signed note that commits to one state of the log.
 *   <origin>\n<tree size, decimal>\n<root hash, base64>\n[<extension line>\n]...
 * Parsed strictly, so one state has exactly one spelling: a size without leading zeros, a
 * canonical base64 hash of 32 bytes, no empty line.
 */
import { decodeBase64Strict, encodeBase64 } from './base64.ts';
import { logError } from './errors.ts';
import { MAX_CHECKPOINT_EXTENSIONS, MAX_TREE_SIZE } from './limits.ts';
import { isHash } from './merkle.ts';
import { type OpenedNote, openNote, signNote } from './note.ts';
import type { NoteSigner, NoteVerifier } from './note-keys.ts';

export interface Checkpoint {
	origin: string;
	size: number;
	root: Uint8Array;
	extensions: string[];
}

export interface SignedCheckpoint extends Checkpoint {
	/** The whole signed note, as it should be stored to compare with the next one. */
	note: string;
	signatures: OpenedNote['signatures'];
}

function badCheckpoint(message: string): Error {
	return logError('LOG_BAD_CHECKPOINT', message);
}

export function formatCheckpoint(checkpoint: Checkpoint): string {
	if (!isHash(checkpoint.root)) throw badCheckpoint('The root is not 32 bytes.');
	const lines = [
		checkpoint.origin,
		String(checkpoint.size),
		encodeBase64(checkpoint.root),
		...checkpoint.extensions,
	];
	const text = `${lines.join('\n')}\n`;
	// What we write must read back the same: no check is one-sided.
	parseCheckpoint(text);
	return text;
}

export function parseCheckpoint(text: string): Checkpoint {
	if (typeof text !== 'string' || !text.endsWith('\n')) {
		throw badCheckpoint('A checkpoint ends with a newline.');
	}
	const lines = text.slice(0, -1).split('\n');
	if (lines.length < 3) throw badCheckpoint('A checkpoint has an origin, a size and a root.');
	if (lines.length - 3 > MAX_CHECKPOINT_EXTENSIONS)
		throw badCheckpoint('Too many extension lines.');
	const [origin, sizeText, rootText, ...extensions] = lines as [
		string,
		string,
		string,
		...string[],
	];
	if (origin.length === 0) throw badCheckpoint('The origin line is empty.');
	if (!/^(0|[1-9][0-9]{0,15})$/.test(sizeText) || Number(sizeText) > MAX_TREE_SIZE) {
		throw badCheckpoint('The tree size is not a plain decimal number in range.');
	}
	const root = decodeBase64Strict(rootText);
	if (root === undefined || !isHash(root))
		throw badCheckpoint('The root is not base64 of 32 bytes.');
	if (extensions.some((line) => line.length === 0))
		throw badCheckpoint('An extension line is empty.');
	return { origin, size: Number(sizeText), root, extensions };
}

export function signCheckpoint(checkpoint: Checkpoint, signers: readonly NoteSigner[]): string {
	return signNote(formatCheckpoint(checkpoint), signers);
}

/**
 * Verifies the note's signature by the log's key, then parses its body. The origin must be the
 * one expected (default: the key's name), so a checkpoint of another log signed with a shared
 * key is not taken for this one.
 */
export function openCheckpoint(
	note: string | Uint8Array,
	verifier: NoteVerifier,
	expectedOrigin: string = verifier.name,
): SignedCheckpoint {
	const opened = openNote(note, [verifier]);
	const checkpoint = parseCheckpoint(opened.text);
	if (checkpoint.origin !== expectedOrigin) {
		throw badCheckpoint('The checkpoint is for another log (its origin differs).');
	}
	const text = typeof note === 'string' ? note : new TextDecoder().decode(note);
	return { ...checkpoint, note: text, signatures: opened.signatures };
}
