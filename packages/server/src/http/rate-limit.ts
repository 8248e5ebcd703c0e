/**
 * Token buckets per client and per class of request (reads, writes, reports). A client is the
 * socket's remote address; `X-Forwarded-For` is believed only with `trustProxy` set, since
 * anyone can send it. Memory is bounded: past `maxClients` the least recently seen client is
 * forgotten (it starts again with a full bucket, which costs an attacker nothing it did not
 * already have with a new address).
 *
 * Two rules close the cheap ways around a bucket: a password guess (`POST /admin/sign-in`) has a
 * budget of its own, far smaller than other writes, so an account's password cannot be guessed
 * at a write's pace; and an IPv6 client is keyed on its /64, since one host is routinely given
 * a whole /64 and could otherwise take a fresh bucket for every request.
 */
import { isIP } from 'node:net';
import type { Context, MiddlewareHandler } from 'hono';
import { serverError } from '../errors.ts';

export type RequestClass = 'read' | 'write' | 'report' | 'sign-in';

export interface BucketBudget {
	/** Requests allowed in a burst. */
	burst: number;
	/** Requests regained per second. */
	perSecond: number;
}

export interface RateLimitOptions {
	read?: BucketBudget;
	write?: BucketBudget;
	report?: BucketBudget;
	/** Password guesses on the sign-in form. */
	signIn?: BucketBudget;
	/** Clients tracked at once. Default 10 000. */
	maxClients?: number;
	/** Take the client address from the last `X-Forwarded-For` entry (one trusted proxy in front). */
	trustProxy?: boolean;
	/** Milliseconds; injected for tests. */
	now?: () => number;
}

export const DEFAULT_BUDGETS: Readonly<Record<RequestClass, BucketBudget>> = {
	read: { burst: 600, perSecond: 100 },
	write: { burst: 30, perSecond: 1 },
	report: { burst: 5, perSecond: 0.05 },
	'sign-in': { burst: 10, perSecond: 1 / 60 },
};

const PUBLIC_FILING = /^\/(?:plugins\/[^/]+\/report|incidents\/[^/]+\/appeal)\/?$/;

/** The one form that checks a password. */
export const SIGN_IN_PATH = '/admin/sign-in';

interface Bucket {
	tokens: number;
	at: number;
}

export interface RateLimiter {
	/** Takes one token; returns 0 when allowed, else the seconds to wait. */
	take(client: string, kind: RequestClass): number;
	readonly size: number;
}

export function createRateLimiter(options: RateLimitOptions = {}): RateLimiter {
	const budgets: Record<RequestClass, BucketBudget> = {
		read: options.read ?? DEFAULT_BUDGETS.read,
		write: options.write ?? DEFAULT_BUDGETS.write,
		report: options.report ?? DEFAULT_BUDGETS.report,
		'sign-in': options.signIn ?? DEFAULT_BUDGETS['sign-in'],
	};
	const maxClients = Math.max(1, options.maxClients ?? 10_000);
	const now = options.now ?? (() => performance.now());
	// Insertion order is recency order: a touched key is re-inserted at the end.
	const buckets = new Map<string, Bucket>();

	return {
		take(client, kind) {
			const key = `${kind} ${client}`;
			const budget = budgets[kind];
			const at = now();
			const bucket = buckets.get(key) ?? { tokens: budget.burst, at };
			buckets.delete(key);
			const elapsed = Math.max(0, at - bucket.at) / 1000;
			bucket.tokens = Math.min(budget.burst, bucket.tokens + elapsed * budget.perSecond);
			bucket.at = at;
			let wait = 0;
			if (bucket.tokens >= 1) bucket.tokens -= 1;
			else wait = Math.max(1, Math.ceil((1 - bucket.tokens) / budget.perSecond));
			buckets.set(key, bucket);
			while (buckets.size > maxClients) {
				const oldest = buckets.keys().next().value;
				if (oldest === undefined) break;
				buckets.delete(oldest);
			}
			return wait;
		},
		get size() {
			return buckets.size;
		},
	};
}

/** The socket's address, as `@hono/node-server` passes it in `env.incoming`. */
export function clientAddress(c: Context, trustProxy: boolean): string {
	const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
	return clientOf(
		trustProxy ? c.req.header('x-forwarded-for') : undefined,
		env?.incoming?.socket?.remoteAddress,
	);
}

/**
 * The bucket key of a request: the last `X-Forwarded-For` entry when one is given (pass it only
 * with `trustProxy`), else the socket's address.
 */
export function clientOf(forwardedFor: string | undefined, remoteAddress: string | undefined) {
	const last = forwardedFor?.split(',').at(-1)?.trim();
	if (last !== undefined && last !== '') return clientKey(last.slice(0, 64));
	return clientKey(remoteAddress ?? 'unknown');
}

/**
 * The bucket key of an address: an IPv4 address as it is (also when written IPv4-mapped,
 * `::ffff:192.0.2.1`), an IPv6 address as its /64 prefix; anything else as it is.
 */
export function clientKey(address: string): string {
	const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
	if (isIP(bare) !== 6) return address;
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare)?.[1];
	if (mapped !== undefined && isIP(mapped) === 4) return mapped;
	return `${ipv6Groups(bare).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address, `::` expanded, an embedded IPv4 as two. */
function ipv6Groups(address: string): string[] {
	const [head = '', tail] = address.toLowerCase().split('::');
	const parts = (text: string): string[] =>
		text === ''
			? []
			: text.split(':').flatMap((part) => {
					if (!part.includes('.')) return [Number.parseInt(part, 16).toString(16)];
					const [a = 0, b = 0, c = 0, d = 0] = part.split('.').map(Number);
					return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
				});
	const front = parts(head);
	const back = tail === undefined ? [] : parts(tail);
	return [...front, ...Array(8 - front.length - back.length).fill('0'), ...back];
}

export function requestClass(method: string, path: string): RequestClass {
	if (path.startsWith('/api/v1/reports')) return 'report';
	// The pages' public forms that file something (a report, an appeal) share the report budget.
	if (method === 'POST' && PUBLIC_FILING.test(path)) return 'report';
	// An appeal is an anonymous write like a report: the same small budget.
	if (method === 'POST' && /^\/api\/v1\/incidents\/[^/]+\/appeals$/.test(path)) return 'report';
	if (method === 'POST' && path === SIGN_IN_PATH) return 'sign-in';
	if (method === 'GET' || method === 'HEAD') {
		return path.startsWith('/api/v1/admin') ? 'write' : 'read';
	}
	return 'write';
}

export function rateLimit(limiter: RateLimiter, trustProxy: boolean): MiddlewareHandler {
	return async (c, next) => {
		const wait = limiter.take(clientAddress(c, trustProxy), requestClass(c.req.method, c.req.path));
		if (wait > 0) {
			throw serverError('RATE_LIMITED', 'Too many requests from this address.', {
				hint: `Wait ${wait} second(s) and try again.`,
				details: { retryAfterSeconds: wait },
			});
		}
		await next();
	};
}
