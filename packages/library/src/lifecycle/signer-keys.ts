/**
 * The SSH public keys a registry entry lists as `signers` (D19b author signatures), checked
 * before any of them reaches ssh-keygen. Each line is `<keytype> <base64> [comment]`, as in an
 * `authorized_keys` or `.pub` file. Only plain signing keys are accepted: no options (they
 * would change what the key may do), no certificates (they delegate to a CA the registry did
 * not name), no DSA. The base64 must be canonical and decode to a key blob of the named type,
 * read field by field to its exact end, so a line cannot smuggle anything past the key.
 */

/** Key types an author may sign release tags with. */
export const SIGNER_KEY_TYPES: readonly string[] = [
	'ssh-ed25519',
	'sk-ssh-ed25519@openssh.com',
	'ecdsa-sha2-nistp256',
	'ecdsa-sha2-nistp384',
	'ecdsa-sha2-nistp521',
	'sk-ecdsa-sha2-nistp256@openssh.com',
	'ssh-rsa',
];

/** Smallest RSA modulus accepted, in bits. */
export const MIN_RSA_BITS = 2048;

export interface SignerKey {
	keyType: string;
	/** The key blob, base64 as written. */
	base64: string;
	/** The free text after the key (often an email address); untrusted, never in a file. */
	comment?: string;
}

export type SignerKeyParse = { ok: true; key: SignerKey } | { ok: false; problem: string };

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function parseSignerKey(line: string): SignerKeyParse {
	for (let i = 0; i < line.length; i++) {
		const c = line.charCodeAt(i);
		if ((c < 0x20 && c !== 0x09) || (c >= 0x7f && c <= 0x9f)) {
			return { ok: false, problem: 'it contains control characters or line breaks' };
		}
	}
	const fields = line.trim().split(/[ \t]+/);
	const [keyType = '', base64 = ''] = fields;
	if (!SIGNER_KEY_TYPES.includes(keyType)) {
		return { ok: false, problem: 'it does not start with a supported SSH key type' };
	}
	if (!BASE64.test(base64) || base64.length % 4 !== 0) {
		return { ok: false, problem: 'the key is not base64' };
	}
	const blob = Buffer.from(base64, 'base64');
	if (blob.toString('base64') !== base64) {
		return { ok: false, problem: 'the key is not canonical base64' };
	}
	const problem = blobProblem(keyType, blob);
	if (problem !== undefined) return { ok: false, problem };
	const comment = fields.slice(2).join(' ');
	return { ok: true, key: { keyType, base64, ...(comment === '' ? {} : { comment }) } };
}

/** Reads SSH wire-format strings (uint32 length, then bytes) from a key blob. */
class BlobReader {
	#offset = 0;
	constructor(readonly blob: Buffer) {}

	next(): Buffer | undefined {
		if (this.#offset + 4 > this.blob.length) return undefined;
		const length = this.blob.readUInt32BE(this.#offset);
		const start = this.#offset + 4;
		if (length > this.blob.length - start) return undefined;
		this.#offset = start + length;
		return this.blob.subarray(start, this.#offset);
	}

	get done(): boolean {
		return this.#offset === this.blob.length;
	}
}

const EC_POINT_BYTES: Readonly<Record<string, number>> = {
	nistp256: 65,
	nistp384: 97,
	nistp521: 133,
};

/** Why `blob` is not a public key of `keyType`, or undefined when it is one. */
function blobProblem(keyType: string, blob: Buffer): string | undefined {
	const reader = new BlobReader(blob);
	if (reader.next()?.toString('latin1') !== keyType) {
		return 'the key data is for another key type than the line names';
	}
	const fields: Buffer[] = [];
	for (let field = reader.next(); field !== undefined; field = reader.next()) fields.push(field);
	if (!reader.done) return 'the key data is truncated';
	const broken = 'the key data is not a well-formed key of its type';
	switch (keyType) {
		case 'ssh-ed25519':
			return fields.length === 1 && fields[0]?.length === 32 ? undefined : broken;
		case 'sk-ssh-ed25519@openssh.com':
			return fields.length === 2 && fields[0]?.length === 32 ? undefined : broken;
		case 'ssh-rsa': {
			if (fields.length !== 2) return broken;
			const bits = mpintBits(fields[1] as Buffer);
			return bits >= MIN_RSA_BITS ? undefined : `the RSA key has fewer than ${MIN_RSA_BITS} bits`;
		}
		default: {
			// ecdsa-sha2-<curve> and sk-ecdsa-sha2-<curve>@openssh.com
			const curve = keyType.replace(/^(?:sk-)?ecdsa-sha2-/, '').replace(/@openssh\.com$/, '');
			const expected = keyType.startsWith('sk-') ? 3 : 2;
			const [name, point] = fields;
			if (fields.length !== expected || name?.toString('latin1') !== curve) return broken;
			const sound = point !== undefined && point.length === EC_POINT_BYTES[curve] && point[0] === 4;
			return sound ? undefined : broken;
		}
	}
}

/** The bit length of an SSH mpint (big-endian, possibly with a leading zero byte). */
function mpintBits(value: Buffer): number {
	let start = 0;
	while (start < value.length && value[start] === 0) start++;
	if (start === value.length) return 0;
	const first = value[start] as number;
	return (value.length - start - 1) * 8 + (32 - Math.clz32(first));
}

/**
 * The principal a signer is listed under: its position in the registry entry, so a verified
 * signature names which of the listed keys made it. Never derived from registry text.
 */
export function signerPrincipal(index: number): string {
	return `signer-${index + 1}`;
}

/** The index `signerPrincipal` was made from, or undefined for any other text. */
export function signerIndexOf(principal: string | undefined): number | undefined {
	const match = /^signer-([1-9][0-9]{0,4})$/.exec(principal ?? '');
	return match?.[1] === undefined ? undefined : Number(match[1]) - 1;
}

/**
 * An ssh-keygen allowed-signers file (ssh-keygen(1), ALLOWED SIGNERS): one line per key,
 * `<principal> namespaces="git" <keytype> <base64>`. The namespace restriction means a key
 * only vouches for git signatures, not for files it signed for anything else. A key listed
 * twice is written once, under its first position, so ssh-keygen finds one principal for it.
 */
export function allowedSignersText(keys: readonly SignerKey[]): string {
	const seen = new Set<string>();
	let text = '';
	keys.forEach((key, index) => {
		const material = `${key.keyType} ${key.base64}`;
		if (seen.has(material)) return;
		seen.add(material);
		text += `${signerPrincipal(index)} namespaces="git" ${material}\n`;
	});
	return text;
}
