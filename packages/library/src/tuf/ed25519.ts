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
 * Every key a root lists must be an Ed25519 key listed under its own id, `keyIdOf` its public
 * key, as the TUF specification has clients check. tuf-js counts a role's threshold by key id
 * and checks neither: a root listing one key under two ids would let one key's signature count
 * twice towards a threshold of two.
 */
export function assertRootKeyIds(root: Root): void {
	for (const [id, key] of Object.entries(root.keys)) {
		const publicHex = key.keyVal.public;
		const shown = sanitizeText(id, { maxLength: 80 });
		if (
			key.keyType !== ED25519 ||
			key.scheme !== ED25519 ||
			typeof publicHex !== 'string' ||
			!/^[0-9a-f]{64}$/.test(publicHex)
		) {
			throw tufError('TUF_KEY_ID_MISMATCH', `Root key id ${shown} does not name an Ed25519 key.`, {
				hint: 'Vouch repositories sign with Ed25519 keys only; tell the registry maintainers.',
			});
		}
		if (key.keyID !== id || keyIdOf(publicHex) !== id) {
			throw tufError(
				'TUF_KEY_ID_MISMATCH',
				`Root key id ${shown} is not the digest of the key listed under it.`,
				{
					hint: 'A key listed under another id could count twice towards a threshold; tell the registry maintainers.',
				},
			);
		}
	}
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
