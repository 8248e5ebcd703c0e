/**
 * `vouch registry keys init`: a fresh key set for a registry's TUF repository. Root gets
 * several keys and a threshold, so no single stolen or lost root key decides what clients
 * trust; targets, snapshot and timestamp get one online key each.
 *
 * Private keys are written with mode 0600 inside a directory created 0700, with `wx` so an
 * existing key is never overwritten, and they are never returned as text or printed.
 */
import { constants } from 'node:fs';
import { type FileHandle, mkdir, open, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../../core/atomic-fs.ts';
import { coreError } from '../../core/errors.ts';
import { sanitizeText } from '../../core/sanitize.ts';
import { generateEd25519Key } from '../ed25519.ts';
import { tufError } from '../errors.ts';
import { type RoleName, TOP_LEVEL_ROLES } from '../metadata.ts';
import {
	encodeKeySet,
	KEYS_FILE,
	type KeySet,
	type KeySetKey,
	type KeySetRole,
	MAX_KEYS_PER_ROLE,
} from './keyset.ts';
import { copyLogKey, createLogKey, defaultLogOrigin } from './log-keys.ts';

export interface InitKeysOptions {
	dir: string;
	/** Root signatures needed to trust a root. Default 2. */
	rootThreshold?: number;
	/** Root keys made. Default 3. */
	rootKeys?: number;
	/** The transparency log's origin (its signing key's name). Default: a new unique name. */
	logOrigin?: string;
	/** Take the log key of this keys directory over instead (a new key set for the same log). */
	logKeyFrom?: string;
}

export interface InitKeysResult {
	dir: string;
	/** The public key set (`keys.json`): what a repository's root will list. */
	keysFile: string;
	roles: Record<RoleName, KeySetRole>;
	/** Public facts only: key id, role, public key, file name. */
	keys: KeySetKey[];
	/** The transparency log key (D28): its origin and public verifier key. */
	log: { origin: string; verifierKey: string; file: string };
}

export async function initKeys(options: InitKeysOptions): Promise<InitKeysResult> {
	const rootKeys = options.rootKeys ?? 3;
	const rootThreshold = options.rootThreshold ?? 2;
	if (!Number.isInteger(rootKeys) || rootKeys < 1 || rootKeys > MAX_KEYS_PER_ROLE) {
		throw tufError('TUF_INVALID_OPTION', `rootKeys must be 1 to ${MAX_KEYS_PER_ROLE}.`);
	}
	if (!Number.isInteger(rootThreshold) || rootThreshold < 1 || rootThreshold > rootKeys) {
		throw tufError(
			'TUF_INVALID_OPTION',
			`rootThreshold must be 1 to the number of root keys (${rootKeys}).`,
		);
	}
	const dir = resolve(options.dir);
	await mkdir(dir, { recursive: true, mode: 0o700 });
	const keysFile = join(dir, KEYS_FILE);
	if (await exists(keysFile)) {
		throw tufError('TUF_KEYS_EXIST', `${sanitizeText(keysFile)} already exists.`, {
			hint: 'Choose another directory: existing keys are never overwritten.',
		});
	}

	const planned: { role: RoleName; file: string }[] = [];
	for (let i = 1; i <= rootKeys; i++) planned.push({ role: 'root', file: `root-${i}.pem` });
	for (const role of TOP_LEVEL_ROLES) {
		if (role !== 'root') planned.push({ role, file: `${role}.pem` });
	}
	const keys: KeySetKey[] = [];
	for (const { role, file } of planned) {
		const key = generateEd25519Key();
		await writePrivateKey(join(dir, file), key.privatePem);
		keys.push({ keyId: key.keyId, role, publicHex: key.publicHex, file });
	}
	const roles = Object.fromEntries(
		TOP_LEVEL_ROLES.map((role) => [
			role,
			{
				threshold: role === 'root' ? rootThreshold : 1,
				keyIds: keys.filter((key) => key.role === role).map((key) => key.keyId),
			},
		]),
	) as Record<RoleName, KeySetRole>;
	const logKey =
		options.logKeyFrom === undefined
			? await createLogKey(dir, options.logOrigin ?? defaultLogOrigin())
			: await copyLogKey(resolve(options.logKeyFrom), dir);
	const keySet: KeySet = { roles, keys };
	// Written last: a crash part-way leaves no keys.json, so the directory is not mistaken for
	// a complete key set, and the `wx` key files block a retry from silently replacing them.
	await writeFileAtomic(keysFile, encodeKeySet(keySet), { mode: 0o644 });
	return {
		dir,
		keysFile,
		roles,
		keys,
		log: { origin: logKey.origin, verifierKey: logKey.verifierKey, file: logKey.signerFile },
	};
}

async function writePrivateKey(path: string, pem: string): Promise<void> {
	let handle: FileHandle | undefined;
	try {
		handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
		await handle.writeFile(pem);
		await handle.sync();
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EEXIST') {
			throw tufError('TUF_KEYS_EXIST', `${sanitizeText(path)} already exists.`, {
				hint: 'Choose another directory: existing keys are never overwritten.',
			});
		}
		throw coreError('IO_ERROR', `Cannot write ${sanitizeText(path)} (${code ?? 'error'}).`, {
			cause: error,
		});
	} finally {
		await handle?.close();
	}
}

async function exists(path: string): Promise<boolean> {
	try {
		await stat(path);
		return true;
	} catch {
		return false;
	}
}
