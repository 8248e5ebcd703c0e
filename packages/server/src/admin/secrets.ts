/**
 * Secrets the service hands out (API tokens, session cookies, form tokens) are random, shown or
 * sent once, and stored only as their SHA-256: a copy of the database gives no one a way in.
 * Passwords are stored as scrypt hashes with a per-account salt.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (
	password: string,
	salt: Buffer,
	keylen: number,
	options: object,
) => Promise<Buffer>;
const SCRYPT = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
/** A password longer than this is refused before hashing: scrypt's cost must not be the caller's to set. */
export const MAX_PASSWORD_CHARS = 1024;

export function newSecret(prefix: string): string {
	return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function secretHash(secret: string): string {
	return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export async function hashPassword(password: string): Promise<string> {
	const salt = randomBytes(16);
	const key = await scryptAsync(password.slice(0, MAX_PASSWORD_CHARS), salt, 32, SCRYPT);
	return `scrypt$${SCRYPT.N}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
	if (password.length > MAX_PASSWORD_CHARS) return false;
	const [scheme, n, salt, key] = stored.split('$');
	if (scheme !== 'scrypt' || n !== String(SCRYPT.N) || salt === undefined || key === undefined)
		return false;
	const expected = Buffer.from(key, 'base64url');
	const actual = await scryptAsync(
		password,
		Buffer.from(salt, 'base64url'),
		expected.length,
		SCRYPT,
	);
	return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Compares two secrets in constant time (form tokens against the session's). */
export function sameSecret(a: string, b: string): boolean {
	const left = Buffer.from(secretHash(a), 'hex');
	const right = Buffer.from(secretHash(b), 'hex');
	return timingSafeEqual(left, right);
}
