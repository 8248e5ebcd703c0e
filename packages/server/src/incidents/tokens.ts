/**
 * The secrets of incident intake: reporter and appeal tokens (256 random bits, url-safe base64,
 * shown once, stored only as SHA-256) and client keys (an HMAC of the client's address group:
 * an IPv6 client's /64, an IPv4 address), which bound spam without storing any address.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { clientKey } from '../http/rate-limit.ts';

/** 43 url-safe base64 characters. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Never starting with `-`: a person pastes the token into `vouch report status <token>`, where a
 * leading dash would read as an option.
 */
export function newToken(): string {
	for (;;) {
		const token = randomBytes(32).toString('base64url');
		if (!token.startsWith('-')) return token;
	}
}

export function tokenHash(token: string): string {
	return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The keyed hash of a client's address group; the same group always gives the same key. */
export function clientKeyOf(secret: string, address: string): string {
	const group = clientKey(address.slice(0, 100));
	return createHmac('sha256', secret).update(group, 'utf8').digest('hex');
}
