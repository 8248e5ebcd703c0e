/**
 * The author keys an entry lists (D19b author signatures), checked as install would check
 * them: a key install would refuse is refused here first, and since only a signed tag can
 * satisfy them, a reviewed ref that is a branch or a commit is pointed out.
 */
import { sanitizeText } from '../../core/sanitize.ts';
import type { RegistryPlugin } from '../../registry/model.ts';
import type { FindingSink } from '../../registry/review/findings.ts';
import type { RemoteListing } from '../ports.ts';
import { parseSignerKey } from '../signer-keys.ts';

export function reviewSigners(
	entry: RegistryPlugin,
	refs: readonly string[],
	listing: RemoteListing,
	sink: FindingSink,
): void {
	entry.signers.forEach((line, i) => {
		const parsed = parseSignerKey(line);
		if (!parsed.ok) {
			sink.add(
				'SIGNER_KEY_INVALID',
				'error',
				`signers[${i + 1}] is not usable: ${parsed.problem}.`,
			);
		}
	});
	if (entry.signers.length === 0) return;
	for (const ref of refs) {
		if (listing.tags.has(ref)) continue;
		sink.add(
			'SIGNED_REF_NOT_TAG',
			'warning',
			`The entry lists signers, but ${sanitizeText(ref, { maxLength: 100 })} is not a tag: installs of it will be refused, since only a signed tag carries a signature.`,
			ref,
		);
	}
}
