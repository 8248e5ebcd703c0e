/**
 * Which git transports a source may use (D11). Decided on the canonical URL before git runs,
 * so a refused URL never reaches the network; `src/git` enforces the same list again through
 * `GIT_ALLOW_PROTOCOL`, in case git itself would follow something else.
 *
 * Plain `http://` and `git://` can be rewritten by anyone on the path, so they need
 * `--allow-insecure-transport`, except to this machine's loopback address, where there is no
 * path to attack (the same rule the registry loader applies).
 */
import { urlScheme } from '../core/canonical-url.ts';
import { sanitizeText } from '../core/sanitize.ts';
import { lifecycleError } from './errors.ts';

export type TransportKind = 'https' | 'ssh' | 'local' | 'insecure' | 'refused';

export interface TransportPolicyInput {
	/** `canonicalUrl()` of the source. */
	canonical: string;
	/** The source comes from a registry entry, whose URLs must be https (D11). */
	registered: boolean;
	allowInsecureTransport: boolean;
}

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function transportKind(canonical: string): TransportKind {
	const scheme = urlScheme(canonical);
	if (scheme === 'https') return 'https';
	if (scheme === 'ssh') return 'ssh';
	if (scheme === 'file' || canonical.startsWith('/')) return 'local';
	if (scheme === 'http' || scheme === 'git') return 'insecure';
	return 'refused';
}

export function isLoopbackUrl(canonical: string): boolean {
	try {
		return LOOPBACK_HOSTS.has(new URL(canonical).hostname);
	} catch {
		return false;
	}
}

/** Throws when the source may not be fetched; returns its kind otherwise. */
export function assertTransportAllowed(input: TransportPolicyInput): TransportKind {
	const kind = transportKind(input.canonical);
	const shown = sanitizeText(input.canonical, { maxLength: 200 });
	if (kind === 'refused') {
		throw lifecycleError('TRANSPORT_REFUSED', `Vouch never fetches plugins over ${shown}.`, {
			hint: 'Use an https, ssh or local path source.',
		});
	}
	if (kind === 'insecure' && !isLoopbackUrl(input.canonical) && !input.allowInsecureTransport) {
		throw lifecycleError(
			'INSECURE_TRANSPORT',
			`${shown} is not encrypted: anyone on the network path could swap the plugin's code.`,
			{ hint: 'Use the https URL. Only if you accept that risk: --allow-insecure-transport.' },
		);
	}
	if (input.registered && (kind === 'ssh' || kind === 'local')) {
		throw lifecycleError(
			'TRANSPORT_REFUSED',
			`The registry lists ${shown}, but registry plugins must be fetched over https.`,
			{ hint: 'Tell the registry maintainers; `vouch registry lint` reports this entry.' },
		);
	}
	return kind;
}
