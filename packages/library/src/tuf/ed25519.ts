/**
 * Ed25519 keys in the shapes TUF metadata uses: the raw 32-byte public key in hex, key ids as
 * the SHA-256 of the key's canonical JSON (TUF spec), and signers for `Metadata.sign`.
 * node:crypto does the cryptography; private keys stay `KeyObject`s and are never turned into
 * text except by `generateEd25519Key`, which hands the PEM to the caller that writes it.
 */
import {
	createPrivateKey,
	createPublicKey,
	generateKeyPairSync,
	type KeyObject,
	sign,
} from 'node:crypto';
import { Key, type Root, Signature } from '@tufjs/models';
// The function tuf-js itself turns a listed key into the key it verifies with.
import { getPublicKey } from '@tufjs/models/dist/utils/key.js';
import { sanitizeText } from '../core/sanitize.ts';
import { canonicalJson } from './canonical-json.ts';
import { tufError } from './errors.ts';
import { sha256Hex } from './metadata.ts';

export const ED25519 = 'ed25519';

export interface GeneratedKey {
	keyId: string;
	publicHex: string;
	/** PKCS#8 PEM: write it with mode 0600, never print it. */
	privatePem: string;
}

export function generateEd25519Key(): GeneratedKey {
	const { publicKey, privateKey } = generateKeyPairSync('ed25519');
	const publicHex = publicHexOf(publicKey);
	return {
		keyId: keyIdOf(publicHex),
		publicHex,
		privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
	};
}

/** The raw public key: the last 32 bytes of the SPKI DER form. */
export function publicHexOf(key: KeyObject): string {
	const publicKey = key.type === 'public' ? key : createPublicKey(key);
	const spki = publicKey.export({ format: 'der', type: 'spki' });
	return spki.subarray(spki.length - 32).toString('hex');
}

/** The public part of a TUF key, exactly as root metadata lists it. */
function keyDocument(publicHex: string) {
	return { keytype: ED25519, scheme: ED25519, keyval: { public: publicHex } };
}

export function keyIdOf(publicHex: string): string {
	return sha256Hex(Buffer.from(canonicalJson(keyDocument(publicHex)), 'utf8'));
}

/**
 * No key may be listed under two ids in a root. tuf-js counts a role's threshold by key id, so
 * one key listed twice would let its one signature count twice towards a threshold of two.
 * The ids themselves are left as the repository wrote them: other TUF tools compute them over
 * other fields (or treat them as names), and an id that is not this client's digest of the key
 * lets nothing count twice. Keys are compared as tuf-js reads them (`keyMaterial`).
 */
export function assertRootKeyIds(root: Root): void {
	const owners = new Map<string, string>();
	for (const [id, key] of Object.entries(root.keys)) {
		const shown = sanitizeText(id, { maxLength: 80 });
		const material = keyMaterial(key.keyType, key.scheme, key.keyVal);
		const first = owners.get(material);
		if (first !== undefined) {
			throw tufError(
				'TUF_KEY_ID_MISMATCH',
				`Root key ids ${sanitizeText(first, { maxLength: 80 })} and ${shown} name the same key.`,
				{
					hint: 'One key listed under two ids could count twice towards a threshold; tell the registry maintainers.',
				},
			);
		}
		owners.set(material, id);
	}
}

/**
 * The key as tuf-js will verify with it: its SPKI DER, from tuf-js's own reading of the listed
 * text. The text alone is not the key: tuf-js also takes a PEM for an Ed25519 key, reads hex
 * up to its last whole byte (a trailing half byte is dropped), and knows one ECDSA key under
 * three key type names, so two ids could name one key in spellings no text comparison joins.
 * A key tuf-js cannot read verifies nothing and so cannot count twice; its text stands in.
 */
function keyMaterial(keyType: string, scheme: string, keyVal: Record<string, unknown>): string {
	const listed = keyVal.public;
	if (typeof listed === 'string') {
		try {
			const { key } = getPublicKey({ keyType, scheme, keyVal: listed }) as { key: KeyObject };
			return `spki\u0000${key.export({ format: 'der', type: 'spki' }).toString('hex')}`;
		} catch {
			// Unreadable: compared as written below.
		}
	}
	return `text\u0000${keyType}\u0000${JSON.stringify(keyVal)}`;
}

export function tufKey(publicHex: string): Key {
	return new Key({
		keyID: keyIdOf(publicHex),
		keyType: ED25519,
		scheme: ED25519,
		keyVal: { public: publicHex },
	});
}

/** Parses a PKCS#8 PEM; throws a plain Error (never quoting the key) when it is not Ed25519. */
export function parsePrivateKey(pem: string | Buffer): KeyObject {
	let key: KeyObject;
	try {
		key = createPrivateKey(pem);
	} catch {
		throw new Error('not a PEM private key');
	}
	if (key.asymmetricKeyType !== ED25519) throw new Error('not an Ed25519 key');
	return key;
}

export interface TufSigner {
	keyId: string;
	sign(bytes: Buffer): Signature;
}

export function signerFor(privateKey: KeyObject): TufSigner {
	const keyId = keyIdOf(publicHexOf(privateKey));
	return {
		keyId,
		sign: (bytes) =>
			new Signature({ keyID: keyId, sig: sign(null, bytes, privateKey).toString('hex') }),
	};
}
