/**
 * A key set: `keys.json` in a keys directory lists, for each top-level role, its threshold and
 * public keys, and for each key the file of its private half (if this directory holds it).
 * Root key holders usually keep their private keys elsewhere: a key set without them still
 * describes the roles, and publishing needs only the online keys (targets, snapshot, timestamp).
 *
 * `keys.json` is plain data a person may edit, so it is validated on every read: key ids must
 * be the digest of their key, files must be plain names inside the directory.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { readFileBounded } from '../../core/atomic-fs.ts';
import { isVouchError } from '../../core/errors.ts';
import { sanitizeText } from '../../core/sanitize.ts';
import { keyIdOf, parsePrivateKey, signerFor, type TufSigner } from '../ed25519.ts';
import { tufError } from '../errors.ts';
import { type RoleName, TOP_LEVEL_ROLES } from '../metadata.ts';

export const KEYS_FILE = 'keys.json';
export const KEYS_FORMAT = 'vouch-tuf-keys/1';
const MAX_KEYS_FILE_BYTES = 256 * 1024;
const MAX_KEY_FILE_BYTES = 16 * 1024;
/** At most this many keys per role: a threshold scheme, not a key store. */
export const MAX_KEYS_PER_ROLE = 16;

export interface KeySetRole {
	threshold: number;
	keyIds: string[];
}

export interface KeySetKey {
	keyId: string;
	role: RoleName;
	/** Raw Ed25519 public key, hex. */
	publicHex: string;
	/** Private key file name inside the keys directory. */
	file: string;
}

export interface KeySet {
	roles: Record<RoleName, KeySetRole>;
	keys: KeySetKey[];
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const roleSchema = z.strictObject({
	threshold: z.number().int().min(1).max(MAX_KEYS_PER_ROLE),
	keyids: z.array(hex64).min(1).max(MAX_KEYS_PER_ROLE),
});
const keysFileSchema = z.strictObject({
	format: z.literal(KEYS_FORMAT),
	roles: z.strictObject({
		root: roleSchema,
		targets: roleSchema,
		snapshot: roleSchema,
		timestamp: roleSchema,
	}),
	keys: z
		.array(
			z.strictObject({
				keyid: hex64,
				role: z.enum(['root', 'targets', 'snapshot', 'timestamp']),
				keytype: z.literal('ed25519'),
				scheme: z.literal('ed25519'),
				public: hex64,
				// A plain name: keys.json cannot point at files outside its directory.
				file: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.pem$/),
			}),
		)
		.max(4 * MAX_KEYS_PER_ROLE),
});

export function encodeKeySet(keySet: KeySet): string {
	const roles = Object.fromEntries(
		TOP_LEVEL_ROLES.map((role) => [
			role,
			{ threshold: keySet.roles[role].threshold, keyids: keySet.roles[role].keyIds },
		]),
	);
	const keys = keySet.keys.map((key) => ({
		keyid: key.keyId,
		role: key.role,
		keytype: 'ed25519',
		scheme: 'ed25519',
		public: key.publicHex,
		file: key.file,
	}));
	return `${JSON.stringify({ format: KEYS_FORMAT, roles, keys }, null, 2)}\n`;
}

export async function readKeySet(keysDir: string): Promise<KeySet> {
	const path = join(keysDir, KEYS_FILE);
	let raw: unknown;
	try {
		raw = JSON.parse((await readFileBounded(path, MAX_KEYS_FILE_BYTES)).toString('utf8'));
	} catch (error) {
		throw invalidKeySet(path, isVouchError(error) ? error.message : 'not JSON', error);
	}
	const parsed = keysFileSchema.safeParse(raw);
	if (!parsed.success) throw invalidKeySet(path, 'it does not have the key set shape');
	const keys: KeySetKey[] = parsed.data.keys.map((key) => ({
		keyId: key.keyid,
		role: key.role,
		publicHex: key.public,
		file: key.file,
	}));
	for (const key of keys) {
		if (keyIdOf(key.publicHex) !== key.keyId) {
			throw invalidKeySet(path, `key id ${key.keyId} is not the digest of its public key`);
		}
	}
	const roles = {} as Record<RoleName, KeySetRole>;
	for (const role of TOP_LEVEL_ROLES) {
		const { threshold, keyids } = parsed.data.roles[role];
		if (new Set(keyids).size !== keyids.length || threshold > keyids.length) {
			throw invalidKeySet(path, `the ${role} role lists fewer distinct keys than its threshold`);
		}
		for (const keyId of keyids) {
			if (!keys.some((key) => key.keyId === keyId && key.role === role)) {
				throw invalidKeySet(path, `the ${role} role names key ${keyId}, which is not listed`);
			}
		}
		roles[role] = { threshold, keyIds: [...keyids] };
	}
	return { roles, keys };
}

/**
 * The signer for one key of the set, or undefined when its private file is not in the
 * directory (a root key kept offline by its holder).
 */
export async function loadKeySetSigner(
	keysDir: string,
	key: KeySetKey,
): Promise<TufSigner | undefined> {
	const path = join(keysDir, key.file);
	try {
		await stat(path);
	} catch {
		return undefined;
	}
	const signer = await loadPrivateKeyFile(path);
	if (signer.keyId !== key.keyId) {
		throw tufError(
			'TUF_KEY_FILE_INVALID',
			`${sanitizeText(path)} does not hold the private half of key ${key.keyId}.`,
			{ hint: `Restore the right file, or fix ${KEYS_FILE}.` },
		);
	}
	return signer;
}

/**
 * Reads an Ed25519 PKCS#8 PEM. A key file other users can read is refused, as ssh does:
 * a leaked signing key lets anyone sign a registry, and nothing would show it.
 */
export async function loadPrivateKeyFile(path: string): Promise<TufSigner> {
	let bytes: Buffer;
	try {
		if (process.platform !== 'win32' && ((await stat(path)).mode & 0o077) !== 0) {
			throw tufError(
				'TUF_KEY_FILE_INSECURE',
				`${sanitizeText(path)} can be read by other users; refusing to use it.`,
				{ hint: `Run: chmod 600 ${sanitizeText(path)}` },
			);
		}
		bytes = await readFileBounded(path, MAX_KEY_FILE_BYTES);
	} catch (error) {
		if (isVouchError(error) && error.code === 'TUF_KEY_FILE_INSECURE') throw error;
		throw tufError('TUF_KEY_FILE_INVALID', `Cannot read the key file ${sanitizeText(path)}.`, {
			cause: error,
		});
	}
	try {
		return signerFor(parsePrivateKey(bytes));
	} catch (error) {
		// The message never quotes the file: it is a private key.
		const problem = error instanceof Error ? error.message : 'unreadable';
		throw tufError('TUF_KEY_FILE_INVALID', `${sanitizeText(path)} is ${problem}.`, {
			hint: 'Pass an Ed25519 private key in PKCS#8 PEM form, as `initKeys` writes them.',
		});
	}
}

function invalidKeySet(path: string, problem: string, cause?: unknown) {
	return tufError(
		'TUF_KEYS_INVALID',
		// The problem is often another error's sentence, with its own full stop.
		`The key set ${sanitizeText(path)} cannot be used: ${sanitizeText(problem, { maxLength: 200 }).replace(/\.+$/, '')}.`,
		{
			hint: 'Create a key set with `vouch registry keys init --dir <keys>`.',
			...(cause === undefined ? {} : { cause }),
		},
	);
}
