/**
 * Ed25519 keys of C2SP signed notes. A key is named; its 32-bit id is the first 4 bytes of
 * SHA-256(name || "\n" || 0x01 || public key), so a signature line says which key made it and a
 * verifier looks it up by (name, id) without trying every key. Text forms:
 *   verifier  <name>+<hex8 id>+<base64(0x01 || public key)>
 *   signer    PRIVATE+KEY+<name>+<hex8 id>+<base64(0x01 || seed)>
 * node:crypto does the signing; raw keys are wrapped in their fixed DER headers to import them.
 */
import {
	createHash,
	createPrivateKey,
	createPublicKey,
	generateKeyPairSync,
	type KeyObject,
	sign,
	verify,
} from 'node:crypto';
import { decodeBase64Strict, encodeBase64 } from './base64.ts';
import { logError } from './errors.ts';

/** The algorithm byte C2SP signed-note gives Ed25519. */
const ALG_ED25519 = 0x01;
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SIGNER_PREFIX = 'PRIVATE+KEY+';

/** Go's unicode.IsSpace set, so that names valid here are valid for every note verifier. */
const SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

/** Text that cannot be encoded as UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Key names: non-empty, no spaces, no `+` (the key text's separator), nothing unprintable. */
export function isValidKeyName(name: string): boolean {
	return (
		name.length > 0 &&
		name.length <= 256 &&
		!name.includes('+') &&
		!SPACE.test(name) &&
		!CONTROL.test(name) &&
		!LONE_SURROGATE.test(name)
	);
}

export function keyHash(name: string, publicKey: Uint8Array): number {
	const digest = createHash('sha256')
		.update(name, 'utf8')
		.update(Buffer.from([0x0a, ALG_ED25519]))
		.update(publicKey)
		.digest();
	return digest.readUInt32BE(0);
}

function hex8(value: number): string {
	return value.toString(16).padStart(8, '0');
}

export interface NoteVerifier {
	name: string;
	keyHash: number;
	verify(message: Uint8Array, signature: Uint8Array): boolean;
}

export interface NoteSigner {
	name: string;
	keyHash: number;
	sign(message: Uint8Array): Uint8Array;
	/** The matching verifier key text, to publish. */
	verifierKey: string;
}

function badKey(message: string): Error {
	return logError('LOG_BAD_KEY', message, {
		hint: 'A verifier key reads <name>+<8 hex digits>+<base64 key>.',
	});
}

/** Splits `<name>+<hex8>+<base64>`, checking the id against the key it names. */
function parseKeyParts(text: string): { name: string; hash: number; key: Uint8Array } {
	const first = text.indexOf('+');
	const second = first === -1 ? -1 : text.indexOf('+', first + 1);
	if (second === -1) throw badKey('The key text has no name+id+key form.');
	const name = text.slice(0, first);
	const hashText = text.slice(first + 1, second);
	const encoded = decodeBase64Strict(text.slice(second + 1));
	if (!isValidKeyName(name)) throw badKey('The key name is empty or has spaces, + or controls.');
	if (!/^[0-9a-f]{8}$/.test(hashText)) throw badKey('The key id is not 8 lowercase hex digits.');
	if (encoded === undefined || encoded.length !== 33 || encoded[0] !== ALG_ED25519) {
		throw badKey('The key is not a base64 Ed25519 key.');
	}
	return { name, hash: Number.parseInt(hashText, 16), key: encoded.subarray(1) };
}

function publicKeyObject(raw: Uint8Array): KeyObject {
	return createPublicKey({
		key: Buffer.concat([SPKI_ED25519_PREFIX, raw]),
		format: 'der',
		type: 'spki',
	});
}

export function verifierKeyText(name: string, publicKey: Uint8Array): string {
	if (!isValidKeyName(name)) throw badKey('The key name is empty or has spaces, + or controls.');
	const body = encodeBase64(Uint8Array.from([ALG_ED25519, ...publicKey]));
	return `${name}+${hex8(keyHash(name, publicKey))}+${body}`;
}

export function parseVerifierKey(text: string): NoteVerifier {
	if (typeof text !== 'string' || text.length > 1024) throw badKey('The key text is too long.');
	const { name, hash, key } = parseKeyParts(text);
	if (hash !== keyHash(name, key)) throw badKey('The key id does not match the key.');
	const publicKey = publicKeyObject(key);
	return {
		name,
		keyHash: hash,
		verify: (message, signature) =>
			signature.length === 64 && verify(null, message, publicKey, signature),
	};
}

export function parseSignerKey(text: string): NoteSigner {
	if (typeof text !== 'string' || !text.startsWith(SIGNER_PREFIX) || text.length > 1024) {
		throw badKey('A signer key starts with PRIVATE+KEY+.');
	}
	const { name, hash, key: seed } = parseKeyParts(text.slice(SIGNER_PREFIX.length));
	const privateKey = createPrivateKey({
		key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
		format: 'der',
		type: 'pkcs8',
	});
	const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
	const publicKey = new Uint8Array(spki.subarray(spki.length - 32));
	if (hash !== keyHash(name, publicKey)) throw badKey('The key id does not match the key.');
	return {
		name,
		keyHash: hash,
		sign: (message) => new Uint8Array(sign(null, message, privateKey)),
		verifierKey: verifierKeyText(name, publicKey),
	};
}

/** A new key pair; the signer text is secret (write it with mode 0600, never print it). */
export function generateNoteKey(name: string): { signerKey: string; verifierKey: string } {
	if (!isValidKeyName(name)) throw badKey('The key name is empty or has spaces, + or controls.');
	const { publicKey, privateKey } = generateKeyPairSync('ed25519');
	const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
	const spki = publicKey.export({ format: 'der', type: 'spki' });
	const seed = pkcs8.subarray(pkcs8.length - 32);
	const pub = new Uint8Array(spki.subarray(spki.length - 32));
	const hash = hex8(keyHash(name, pub));
	return {
		signerKey: `${SIGNER_PREFIX}${name}+${hash}+${encodeBase64(Uint8Array.from([ALG_ED25519, ...seed]))}`,
		verifierKey: verifierKeyText(name, pub),
	};
}
