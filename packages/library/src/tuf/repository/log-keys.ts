/**
 * The transparency log's signing key (D28), kept in the keys directory beside the TUF keys:
 *   log.key       the signed-note signer key (secret: mode 0600, never printed)
 *   log-key.txt   its verifier key, `<origin>+<id>+<key>`, published as the TUF target
 *                 `log-key.txt`, so clients learn it, and any later rotation of it, through TUF
 * The key's name is the log's origin: every checkpoint names it, and a client refuses a
 * checkpoint of another log even when it is signed by a key it knows.
 */
import { constants } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readFileBounded, writeFileAtomic } from '../../core/atomic-fs.ts';
import { isVouchError } from '../../core/errors.ts';
import { sanitizeText } from '../../core/sanitize.ts';
import {
	generateNoteKey,
	type NoteSigner,
	parseSignerKey,
	parseVerifierKey,
} from '../../log/note-keys.ts';
import { tufError } from '../errors.ts';

export const LOG_SIGNER_FILE = 'log.key';
export const LOG_VERIFIER_FILE = 'log-key.txt';
const MAX_KEY_FILE_BYTES = 4096;

export interface LogKeyFiles {
	origin: string;
	/** The verifier key text (public). */
	verifierKey: string;
	signerFile: string;
	verifierFile: string;
}

/** A default origin unique to this log: logs must not share one, or checkpoints would mix. */
export function defaultLogOrigin(): string {
	const random = process.getBuiltinModule('node:crypto').randomBytes(6).toString('hex');
	return `vouch-registry-log-${random}`;
}

/** Creates the log key; an existing one is never overwritten. */
export async function createLogKey(dir: string, origin: string): Promise<LogKeyFiles> {
	const { signerKey, verifierKey } = generateNoteKey(origin);
	await mkdir(dir, { recursive: true, mode: 0o700 });
	const signerFile = join(dir, LOG_SIGNER_FILE);
	const verifierFile = join(dir, LOG_VERIFIER_FILE);
	await writeNewSecret(signerFile, `${signerKey}\n`);
	await writeFileAtomic(verifierFile, `${verifierKey}\n`, { mode: 0o644 });
	return { origin, verifierKey, signerFile, verifierFile };
}

/**
 * Takes the log key of another keys directory over: a new TUF key set (a root rotation) goes
 * on signing the same log, whose key rotates on its own schedule (`rotateLogKey`).
 */
export async function copyLogKey(fromDir: string, dir: string): Promise<LogKeyFiles> {
	const signer = await readLogSigner(fromDir);
	if (signer === undefined) {
		throw tufError('TUF_KEY_MISSING', `${sanitizeText(fromDir)} holds no log key to take over.`);
	}
	const text = (await readFileBounded(join(fromDir, LOG_SIGNER_FILE), MAX_KEY_FILE_BYTES)).toString(
		'utf8',
	);
	const signerFile = join(dir, LOG_SIGNER_FILE);
	const verifierFile = join(dir, LOG_VERIFIER_FILE);
	await writeNewSecret(signerFile, `${text.trim()}\n`);
	await writeFileAtomic(verifierFile, `${signer.verifierKey}\n`, { mode: 0o644 });
	return { origin: signer.name, verifierKey: signer.verifierKey, signerFile, verifierFile };
}

/**
 * Replaces the log key by a new one with the same origin (the same log). The old signer is
 * kept beside it under its key id, not deleted: a rotation after a suspected leak is decided
 * by people, and the old key may still be needed to check what it signed.
 */
export async function rotateLogKey(dir: string): Promise<LogKeyFiles> {
	const current = await readLogSigner(dir);
	if (current === undefined) {
		throw tufError('TUF_KEY_MISSING', `${sanitizeText(dir)} holds no log key to rotate.`, {
			hint: 'Create one with `vouch registry keys init` in a new directory.',
		});
	}
	const id = current.keyHash.toString(16).padStart(8, '0');
	const retired = join(dir, `${LOG_SIGNER_FILE}.${id}.retired`);
	await rename(join(dir, LOG_SIGNER_FILE), retired);
	return createLogKey(dir, current.name);
}

/** The log signer of a keys directory, or undefined when it has none (an older key set). */
export async function readLogSigner(dir: string): Promise<NoteSigner | undefined> {
	const path = join(dir, LOG_SIGNER_FILE);
	let bytes: Buffer;
	try {
		const info = await stat(path);
		// As ssh does with private keys: one others can read is refused, not used.
		if ((info.mode & 0o077) !== 0) {
			throw tufError('TUF_KEY_FILE_INSECURE', `${sanitizeText(path)} is readable by other users.`, {
				hint: `Run \`chmod 600 ${sanitizeText(path)}\`, and consider the key leaked if others could read it.`,
			});
		}
		bytes = await readFileBounded(path, MAX_KEY_FILE_BYTES);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		if (isVouchError(error) && error.code === 'FILE_NOT_FOUND') return undefined;
		throw error;
	}
	try {
		return parseSignerKey(bytes.toString('utf8').trim());
	} catch (error) {
		throw tufError('TUF_KEY_FILE_INVALID', `${sanitizeText(path)} is not a log signing key.`, {
			cause: error,
		});
	}
}

/** The log signers a rotation retired, newest first is not promised: callers try each. */
export async function readRetiredLogSigners(dir: string): Promise<NoteSigner[]> {
	const names = await readdir(dir).catch(() => [] as string[]);
	const signers: NoteSigner[] = [];
	for (const name of names) {
		if (!/^log\.key\.[0-9a-f]{8}\.retired$/.test(name)) continue;
		const bytes = await readFileBounded(join(dir, name), MAX_KEY_FILE_BYTES);
		try {
			signers.push(parseSignerKey(bytes.toString('utf8').trim()));
		} catch {
			// A damaged retired key signs nothing; the publish then says which key it lacks.
		}
	}
	return signers;
}

/** Checks a verifier key text (from a TUF target or a file) and returns it trimmed. */
export function checkVerifierKey(text: string): string {
	const trimmed = text.trim();
	parseVerifierKey(trimmed);
	return trimmed;
}

async function writeNewSecret(path: string, content: string): Promise<void> {
	let handle: FileHandle | undefined;
	try {
		handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
		await handle.writeFile(content);
		await handle.sync();
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
			throw tufError('TUF_KEYS_EXIST', `${sanitizeText(path)} already exists.`, {
				hint: 'Existing keys are never overwritten.',
			});
		}
		throw error;
	} finally {
		await handle?.close();
	}
}
