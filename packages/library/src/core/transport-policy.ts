/**
 * The transport rule (D11), in one place: which ways of reaching a repository or a registry
 * Vouch accepts, for every kind of address it is given. git, the registry reader, the TUF
 * client, the profile loader and the lifecycle all ask here; none keeps its own list, because
 * a rule written twice drifts, and in a security tool the drift is a bypass.
 *
 * - Registry git URLs: https; plain http only to this machine's loopback (nobody sits on that
 *   path). A registry read from a local file (an offline mirror) may also list local paths and
 *   `file://`; a remote registry may not, or it could point installs at the user's own files.
 * - Registry sources and TUF mirrors: https, http to loopback, `file://` or a local path.
 * - Unregistered installs: https, ssh or a local path; `http://` and `git://` only with
 *   `--allow-insecure-transport` (or to loopback).
 * - The registry service a report goes to: https; plain http only to loopback. A report names
 *   the plugins a user runs and returns a secret token, so it never crosses a network unencrypted.
 * - Always refused: remote helpers (`ext::` runs a command, `fd::`...) and every other scheme.
 * - An HTTP redirect lands on the rule of the address it left, and must stay on http(s).
 *
 * Decisions are returned, not thrown, so each module raises them under its own error codes.
 */

/** How git would reach an address: its scheme, `ssh` for scp-like, `file` for a path. */
export type GitTransport = 'https' | 'ssh' | 'file' | 'http' | 'git' | 'remote-helper' | 'other';

export type TransportUse =
	/** A `git_url` listed by a registry; `registryIsLocal` when that registry is a local file. */
	| { kind: 'registry-git'; registryIsLocal: boolean }
	/** Where a registry document or a TUF repository is read from. */
	| { kind: 'registry-source' }
	/** A plugin address the user gave that no registry lists. */
	| { kind: 'unregistered'; allowInsecureTransport: boolean }
	/** The registry service's API (community reports, D22): no local files, no plain http. */
	| { kind: 'service' };

/**
 * The git URLs of a registry as it will be published (remote): what `registry lint` and
 * `publish` hold entries and their `redirect_from` addresses to.
 */
export const PUBLISHED_REGISTRY_GIT: TransportUse = {
	kind: 'registry-git',
	registryIsLocal: false,
};

export type TransportRefusal =
	/** `<helper>::<address>`: git would run `git-remote-<helper>`. */
	| 'remote-helper'
	/** A scheme outside every list. */
	| 'unsupported'
	/** http or git:// to a non-loopback host, without the user's explicit consent. */
	| 'insecure'
	/** A registry entry that is not https (or http to loopback). */
	| 'registry-needs-https'
	/** A local path or `file://` listed by a registry that is not itself local. */
	| 'local-from-remote-registry'
	/** An HTTP redirect to something other than http(s). */
	| 'redirect-leaves-http';

export type TransportDecision =
	| { allowed: true; transport: GitTransport; loopback: boolean }
	| { allowed: false; transport: GitTransport; loopback: boolean; refusal: TransportRefusal };

/** Encrypted or local: git may always use these (`GIT_ALLOW_PROTOCOL`). */
export const SECURE_GIT_PROTOCOLS: readonly string[] = ['https', 'ssh', 'file'];
/** Unencrypted: allowed to git only with consent, or for one loopback address. */
export const INSECURE_GIT_PROTOCOLS: readonly string[] = ['http', 'git'];

/** Loopback hosts as WHATWG URL parsing spells them. */
const LOOPBACK_HOSTNAMES: ReadonlySet<string> = new Set([
	'localhost',
	'localhost.',
	'127.0.0.1',
	'[::1]',
	'[::ffff:7f00:1]',
]);
const URL_SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
const REMOTE_HELPER_SYNTAX = /^[A-Za-z0-9][A-Za-z0-9+.-]*::/;
const WINDOWS_DRIVE = /^[A-Za-z]:[\\/]/;
/** git spells ssh three ways; all three are the ssh transport. */
const SSH_ALIASES: Readonly<Record<string, GitTransport>> = {
	ssh: 'ssh',
	'git+ssh': 'ssh',
	'ssh+git': 'ssh',
};
const KNOWN: Readonly<Record<string, GitTransport>> = {
	https: 'https',
	http: 'http',
	git: 'git',
	file: 'file',
};

/** The transport git would use for `url` (raw or canonical). */
export function gitTransportOf(url: string): GitTransport {
	const text = url.trim();
	if (REMOTE_HELPER_SYNTAX.test(text)) return 'remote-helper';
	const scheme = URL_SCHEME.exec(text)?.[1]?.toLowerCase();
	if (scheme !== undefined) return SSH_ALIASES[scheme] ?? KNOWN[scheme] ?? 'other';
	if (WINDOWS_DRIVE.test(text)) return 'file';
	// git's rule: a colon before any slash makes `host:path` an ssh address.
	const colon = text.indexOf(':');
	const slash = text.indexOf('/');
	if (colon > 0 && (slash === -1 || colon < slash)) return 'ssh';
	return 'file';
}

/**
 * Whether a URL host is this machine's loopback interface: `localhost` (any case, one trailing
 * dot), 127.0.0.1 in any spelling an IPv4 parser accepts (`127.1`, `0x7f000001`), `[::1]` and
 * its IPv4-mapped form. The rest of 127.0.0.0/8 is left out on purpose: only the addresses
 * every system binds are trusted to be this machine. A name that merely starts with them
 * (`127.0.0.1.nip.io`, `localhost.evil.com`) resolves elsewhere and is not loopback.
 */
export function isLoopbackHost(host: string): boolean {
	// WHATWG parsing gives one spelling per address: hex, octal and short IPv4 forms become
	// dotted quads, IPv6 is compressed and lowercased.
	let hostname: string;
	try {
		hostname = new URL(`http://${host}/`).hostname;
	} catch {
		return false;
	}
	return LOOPBACK_HOSTNAMES.has(hostname);
}

/** Whether `url` (http, https or git://) points at loopback. Anything unclear is not. */
export function isLoopbackUrl(url: string): boolean {
	const text = url.trim();
	// curl and WHATWG disagree about backslashes and whitespace in an authority; an address
	// that depends on who parses it is never trusted to be local.
	if (/[\\\s]/.test(text)) return false;
	const scheme = URL_SCHEME.exec(text)?.[1]?.toLowerCase();
	if (scheme === undefined || !['http', 'https', 'git'].includes(scheme)) return false;
	let parsed: URL;
	try {
		// Parsed as http, so git:// hosts get the same IPv4 normalisation as http ones.
		parsed = new URL(`http${text.slice(scheme.length)}`);
	} catch {
		return false;
	}
	return isLoopbackHost(parsed.host.replace(/:\d*$/, ''));
}

/** The transport rule (D11) for one address used in one way. */
export function checkTransport(url: string, use: TransportUse): TransportDecision {
	const transport = gitTransportOf(url);
	const loopback = (transport === 'http' || transport === 'git') && isLoopbackUrl(url);
	const allow = (): TransportDecision => ({ allowed: true, transport, loopback });
	const refuse = (refusal: TransportRefusal): TransportDecision => ({
		allowed: false,
		transport,
		loopback,
		refusal,
	});
	if (transport === 'remote-helper') return refuse('remote-helper');
	if (transport === 'other') return refuse('unsupported');
	switch (use.kind) {
		case 'registry-git':
			if (transport === 'https' || (transport === 'http' && loopback)) return allow();
			if (transport === 'file') {
				return use.registryIsLocal ? allow() : refuse('local-from-remote-registry');
			}
			return refuse('registry-needs-https');
		case 'registry-source':
			if (transport === 'https' || transport === 'file' || (transport === 'http' && loopback)) {
				return allow();
			}
			return refuse(transport === 'http' ? 'insecure' : 'unsupported');
		case 'unregistered':
			if (transport === 'https' || transport === 'ssh' || transport === 'file') return allow();
			return loopback || use.allowInsecureTransport ? allow() : refuse('insecure');
		case 'service':
			if (transport === 'https' || (transport === 'http' && loopback)) return allow();
			return refuse(transport === 'http' ? 'insecure' : 'unsupported');
	}
}

/**
 * The rule for the target of an HTTP redirect (D27): it must stay on http(s), since a server
 * must never send a client to a local file or a helper, and it must pass the rule of the
 * address it redirected from.
 */
export function checkRedirectTarget(target: string, use: TransportUse): TransportDecision {
	const decision = checkTransport(target, use);
	if (!decision.allowed) return decision;
	if (decision.transport === 'https' || decision.transport === 'http') return decision;
	return { ...decision, allowed: false, refusal: 'redirect-leaves-http' };
}

export interface GitProtocolOptions {
	/** The user's `--allow-insecure-transport`. */
	allowInsecureTransport: boolean;
	/** The address one git process is about to use: its plain transport is let through when loopback. */
	url?: string;
}

/**
 * `GIT_ALLOW_PROTOCOL`: what git itself may use, whatever a URL, config or redirect asks for.
 * ext::, fd:: and anything unknown are never in it. http/git are added for one loopback
 * address only when git is also told not to follow redirects, so it cannot leave that host.
 */
export function gitAllowProtocol(options: GitProtocolOptions): string {
	const protocols = [...SECURE_GIT_PROTOCOLS];
	if (options.allowInsecureTransport) protocols.push(...INSECURE_GIT_PROTOCOLS);
	else if (options.url !== undefined && isLoopbackUrl(options.url)) {
		const transport = gitTransportOf(options.url);
		if (INSECURE_GIT_PROTOCOLS.includes(transport)) protocols.push(transport);
	}
	return protocols.join(':');
}
