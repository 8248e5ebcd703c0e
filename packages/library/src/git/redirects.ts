/**
 * Where git will really fetch from (D27). git runs with `http.followRedirects=false`, so it
 * never follows a redirect by itself: a clean address that answers "302, go to <blacklisted>"
 * would otherwise install the blacklisted repository under the clean name. Instead, once git
 * has stopped at a redirect (`runFollowingRedirects` in `exec.ts`; a push and a snapshot ask
 * before git runs), this probe asks the first thing git would ask
 * (`<url>/info/refs?service=git-upload-pack`), follows redirects by hand, checks every target
 * against the transport rule and the caller's guard (the lifecycle puts the blacklist there:
 * git must not know about it), and hands git the address they lead to.
 *
 * The probe is bounded: a few hops, one time limit over all of them, and no body is read. A
 * probe that cannot reach the server returns the address it got to: git, which cannot follow
 * redirects, then reports the failure itself or fetches from exactly that address.
 */
import { redactUrlCredentials, sanitizeText } from '../core/sanitize.ts';
import { checkRedirectTarget, gitTransportOf } from '../core/transport-policy.ts';
import { gitError } from './errors.ts';

/** Most redirects followed before giving up; real moves take one or two. */
export const MAX_REDIRECT_HOPS = 5;
/** Time limit over the whole probe, every hop included. */
export const DEFAULT_REDIRECT_PROBE_TIMEOUT_MS = 20_000;

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
const SERVICE_QUERY = 'service=git-upload-pack';
/** Longest `Location` accepted; no real repository address comes near it. */
const MAX_LOCATION_LENGTH = 4096;

export interface RedirectHop {
	/** The repository address that redirected (as git would use it). */
	from: string;
	/** The repository address it redirects to. */
	to: string;
}

/**
 * Decides whether a redirect may be followed; throws to refuse. Called for every hop after
 * the transport rule has passed it, before anything is requested from the target.
 */
export type RedirectGuard = (hop: RedirectHop) => void | Promise<void>;

export interface RedirectProbeSettings {
	fetch: typeof fetch;
	timeoutMs: number;
	maxHops: number;
	allowInsecureTransport: boolean;
}

export interface RedirectOutcome {
	/** The address git must be given. */
	url: string;
	/** The redirects followed to get there, in order (empty when there were none). */
	hops: RedirectHop[];
}

/** The URL git requests first for `base`, following git's own way of building it. */
export function infoRefsUrl(base: string): string {
	const withSlash = base.endsWith('/') ? base : `${base}/`;
	return `${withSlash}info/refs${withSlash.includes('?') ? '&' : '?'}${SERVICE_QUERY}`;
}

/**
 * The repository address a redirected info/refs request leads to, as git derives it: the
 * target minus the same `info/refs?service=...` tail. git cannot use a target without it.
 */
export function repositoryFromInfoRefs(target: string): string | undefined {
	for (const tail of [`/info/refs?${SERVICE_QUERY}`, `/info/refs&${SERVICE_QUERY}`]) {
		if (target.endsWith(tail)) return target.slice(0, -tail.length);
	}
	return undefined;
}

/** Follows and checks the redirects of an http(s) repository address; others are returned as is. */
export async function followRedirects(
	url: string,
	settings: RedirectProbeSettings,
	guard: RedirectGuard | undefined,
	signal?: AbortSignal,
): Promise<RedirectOutcome> {
	const transport = gitTransportOf(url);
	if (transport !== 'http' && transport !== 'https') return { url, hops: [] };
	const hops: RedirectHop[] = [];
	const timeout = AbortSignal.timeout(settings.timeoutMs);
	const stop = signal === undefined ? timeout : AbortSignal.any([timeout, signal]);
	let current = url;
	for (;;) {
		const target = await redirectTarget(current, settings.fetch, stop);
		if (target === undefined) return { url: current, hops };
		const hop = { from: current, to: target };
		if (hops.length >= settings.maxHops) {
			throw redirectRefused(hop, `more than ${settings.maxHops} redirects`);
		}
		const decision = checkRedirectTarget(target, {
			kind: 'unregistered',
			allowInsecureTransport: settings.allowInsecureTransport,
		});
		if (!decision.allowed) {
			throw redirectRefused(
				hop,
				decision.refusal === 'insecure'
					? 'the new address is not encrypted'
					: 'git may not be sent to that kind of address',
			);
		}
		// Without a guard nobody has checked the target against the blacklist: refuse.
		if (guard === undefined) throw redirectRefused(hop, 'nothing here may check the new address');
		await guard(hop);
		hops.push(hop);
		current = target;
	}
}

/** The repository address `base` redirects to, or undefined when it answers anything else. */
async function redirectTarget(
	base: string,
	fetchImpl: typeof fetch,
	signal: AbortSignal,
): Promise<string | undefined> {
	let request: URL;
	try {
		request = new URL(infoRefsUrl(base));
	} catch {
		return undefined; // git will say what is wrong with the address
	}
	// fetch() refuses URLs with credentials; a redirect decision does not depend on them.
	request.username = '';
	request.password = '';
	request.hash = '';
	let response: Response;
	try {
		response = await fetchImpl(request, {
			redirect: 'manual',
			signal,
			headers: { 'user-agent': 'git/vouch-redirect-probe', accept: '*/*' },
		});
	} catch (error) {
		if (signal.aborted && !isTimeout(signal)) throw error;
		return undefined;
	}
	await response.body?.cancel().catch(() => undefined);
	if (!REDIRECT_STATUSES.has(response.status)) return undefined;
	const location = response.headers.get('location');
	const from = base;
	if (location === null || location.length === 0 || location.length > MAX_LOCATION_LENGTH) {
		throw redirectRefused({ from, to: '(no usable address)' }, 'the redirect names no address');
	}
	let resolved: string;
	try {
		resolved = new URL(location, request).href;
	} catch {
		throw redirectRefused({ from, to: location }, 'the new address is not a URL');
	}
	const repository = repositoryFromInfoRefs(resolved);
	if (repository === undefined) {
		throw redirectRefused(
			{ from, to: resolved },
			'the new address is not a repository git could use',
		);
	}
	return repository;
}

function isTimeout(signal: AbortSignal): boolean {
	return (signal.reason as { name?: string } | undefined)?.name === 'TimeoutError';
}

function redirectRefused(hop: RedirectHop, why: string) {
	const from = sanitizeText(hop.from, { maxLength: 200 });
	const to = sanitizeText(hop.to, { maxLength: 200 });
	return gitError(
		'GIT_REDIRECT_REFUSED',
		`The repository at ${from} redirects to ${to}; Vouch did not follow it (${why}).`,
		{
			hint: `If the repository has moved and you trust the new address, use ${to} instead.`,
			details: { from: redactUrlCredentials(hop.from), to: redactUrlCredentials(hop.to) },
		},
	);
}
