/**
 * The seam where signature checking plugs in. Whatever the loader fetched, or found in its
 * cache, passes through a verifier before it is parsed, on every load (D25): the cache is a
 * convenience, never a source of trust. A TUF verifier (D19) implements the same interface.
 */
import type { HostProfile } from '../../core/profile.ts';
import { sanitizeText } from '../../core/sanitize.ts';
import type { RegistryFormat } from '../decode.ts';
import { sourcesError } from './errors.ts';

export interface RegistryVerifierInput {
	/** Where the text came from, credentials redacted: for messages. */
	source: string;
	text: string;
	format?: RegistryFormat;
}

export interface VerifiedRegistryText {
	text: string;
	format?: RegistryFormat;
	/** False for anything accepted without a signature; the user is told "unsigned". */
	signed: boolean;
	/** Signed sources: when the verified metadata stops vouching for the blacklist (D1). */
	expiresAt?: Date;
}

export interface RegistryVerifier {
	/** Given what was fetched (or cached), return the verified registry text, or throw. */
	verify(input: RegistryVerifierInput): Promise<VerifiedRegistryText>;
}

/**
 * Accepts registry text as it is, marked unsigned, but only for a profile that allows
 * unsigned registries (the built-in `picard` profile does, for Picard's own plugins.toml).
 * Any other profile gets a refusal rather than a silent downgrade to "trust whatever came".
 */
export function createUnsignedVerifier(
	profile: Pick<HostProfile, 'name' | 'allowUnsigned'>,
): RegistryVerifier {
	return {
		async verify(input) {
			if (!profile.allowUnsigned) {
				throw sourcesError(
					'UNSIGNED_REGISTRY_REFUSED',
					`The registry from ${sanitizeText(input.source)} is unsigned, and the host profile "${sanitizeText(profile.name)}" accepts only signed registries.`,
					{
						hint: 'Use a profile with allow_unsigned = true (such as the built-in "picard" profile) for unsigned registries.',
						details: { source: sanitizeText(input.source) },
					},
				);
			}
			return {
				text: input.text,
				...(input.format === undefined ? {} : { format: input.format }),
				signed: false,
			};
		},
	};
}
