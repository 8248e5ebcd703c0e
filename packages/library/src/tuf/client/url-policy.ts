/**
 * Where a TUF repository may be read from: https anywhere, plain http only on the loopback
 * (tests and local development), and `file://` (a mounted or synced copy). TUF makes the bytes
 * trustworthy whatever the transport, but plain http on a real network would still let anyone
 * on the path hold back updates, so it is refused like every other insecure registry URL.
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { redactUrlCredentials, sanitizeText } from '../../core/sanitize.ts';
import { checkRedirectTarget, checkTransport } from '../../core/transport-policy.ts';
import { tufError } from '../errors.ts';

export interface RepositoryUrls {
	/** The base, ending in `/`, credentials kept out of messages. */
	base: string;
	metadata: string;
	targets: string;
}

/** The repository's base URL (or an absolute path) to its metadata and targets URLs. */
export function repositoryUrls(location: string): RepositoryUrls {
	const text = location.trim();
	let url: URL;
	try {
		url = isAbsolute(text) ? pathToFileURL(text) : new URL(text);
	} catch (error) {
		throw tufError(
			'TUF_UNSUPPORTED_URL',
			`${sanitizeText(redactUrlCredentials(text))} is not a URL.`,
			{
				cause: error,
			},
		);
	}
	assertFetchable(url);
	url.hash = '';
	url.search = '';
	if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
	return {
		base: url.href,
		metadata: new URL('metadata/', url).href,
		targets: new URL('targets/', url).href,
	};
}

/** Every URL the fetcher is asked for, redirect targets included, passes here first (D11). */
export function assertFetchable(url: URL, options: { redirect?: boolean } = {}): void {
	// A redirect may never send the client from the network to a local file (D27).
	const decision = options.redirect
		? checkRedirectTarget(url.href, { kind: 'registry-source' })
		: checkTransport(url.href, { kind: 'registry-source' });
	if (decision.allowed) return;
	const shown = sanitizeText(redactUrlCredentials(url.href));
	if (url.protocol === 'http:') {
		throw tufError('TUF_INSECURE_URL', `Refusing to read TUF metadata over plain http: ${shown}.`, {
			hint: 'Use https://. Plain http is accepted only for this machine (127.0.0.1, localhost, [::1]).',
		});
	}
	throw tufError(
		'TUF_UNSUPPORTED_URL',
		`TUF repositories are read over https or file://, not ${shown}.`,
	);
}
