/**
 * The transport rule (D11) as the lifecycle applies it to a plugin source, before git runs, so
 * a refused URL never reaches the network. The rule itself lives in `core/transport-policy.ts`;
 * this module only words its refusals under the lifecycle's codes. `src/git` applies the same
 * rule again (and `GIT_ALLOW_PROTOCOL`), in case anything reaches git another way.
 */

import { sanitizeText } from '../core/sanitize.ts';
import { checkTransport, gitTransportOf, type TransportUse } from '../core/transport-policy.ts';
import { lifecycleError } from './errors.ts';

export type TransportKind = 'https' | 'ssh' | 'local' | 'insecure' | 'refused';

export interface TransportPolicyInput {
	/** `canonicalUrl()` of the source. */
	canonical: string;
	/** The source comes from a registry entry, whose URLs must be https (D11). */
	registered: boolean;
	/** The registry is itself a local file (an offline mirror): it may list local paths. */
	registryIsLocal?: boolean;
	allowInsecureTransport: boolean;
}

export function transportKind(canonical: string): TransportKind {
	const transport = gitTransportOf(canonical);
	if (transport === 'https' || transport === 'ssh') return transport;
	if (transport === 'file') return 'local';
	if (transport === 'http' || transport === 'git') return 'insecure';
	return 'refused';
}

/** Which rule applies to a source: a registry entry's, or the user's own address. */
export function transportUse(input: Omit<TransportPolicyInput, 'canonical'>): TransportUse {
	return input.registered
		? { kind: 'registry-git', registryIsLocal: input.registryIsLocal === true }
		: { kind: 'unregistered', allowInsecureTransport: input.allowInsecureTransport };
}

/** Throws when the source may not be fetched; returns its kind otherwise. */
export function assertTransportAllowed(input: TransportPolicyInput): TransportKind {
	const decision = checkTransport(input.canonical, transportUse(input));
	const kind = transportKind(input.canonical);
	if (decision.allowed) return kind;
	const shown = sanitizeText(input.canonical, { maxLength: 200 });
	switch (decision.refusal) {
		case 'insecure':
			throw lifecycleError(
				'INSECURE_TRANSPORT',
				`${shown} is not encrypted: anyone on the network path could swap the plugin's code.`,
				{ hint: 'Use the https URL. Only if you accept that risk: --allow-insecure-transport.' },
			);
		case 'local-from-remote-registry':
			throw lifecycleError(
				'TRANSPORT_REFUSED',
				`The registry lists ${shown}, a path on this machine, but it was fetched over the network: only a registry kept as a local file may point at local repositories (D11).`,
				{
					hint: 'Tell the registry maintainers. For a mirror of your own, keep the registry as a local file: `vouch config set registry <file>`.',
				},
			);
		case 'registry-needs-https':
			throw lifecycleError(
				kind === 'insecure' ? 'INSECURE_TRANSPORT' : 'TRANSPORT_REFUSED',
				`The registry lists ${shown}, but registry plugins must be fetched over https.`,
				{ hint: 'Tell the registry maintainers; `vouch registry lint` reports this entry.' },
			);
		default:
			throw lifecycleError('TRANSPORT_REFUSED', `Vouch never fetches plugins over ${shown}.`, {
				hint: 'Use an https, ssh or local path source.',
			});
	}
}
