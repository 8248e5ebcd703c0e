/**
 * The registry's own scan of the commit being installed (D12: the consent screen shows the scan
 * summary; D21: the registry attaches a scan report), for a plugin a signed registry lists. It
 * informs and never decides: no published report shows nothing, and a report that cannot be
 * fetched or fails verification is said loudly, but the local scan and its gate still rule.
 */
import { isVouchError } from '../core/errors.ts';
import { sanitizeText } from '../core/sanitize.ts';
import type { TrustResult } from '../registry/trust.ts';
import { registryScanLine } from '../tuf/client/scan-summary.ts';
import type { ScanLine } from './scan-gate.ts';
import type { RegistrySnapshot } from './snapshot.ts';

export async function registryScanNotice(
	snapshot: Pick<RegistrySnapshot, 'registryScan'>,
	trust: Pick<TrustResult, 'plugin'>,
	commit: string,
): Promise<ScanLine | undefined> {
	// Only the entry that grants trust names the reports; a fork's commit has none to show.
	if (trust.plugin === undefined || snapshot.registryScan === undefined || commit === '') {
		return undefined;
	}
	try {
		const summary = await snapshot.registryScan(trust.plugin.id, commit);
		return summary === undefined ? undefined : registryScanLine(summary);
	} catch (error) {
		if (!isVouchError(error)) throw error;
		return {
			text: `The registry's scan report of this commit could not be verified: ${sanitizeText(error.message, { maxLength: 300 })}`,
			warn: true,
		};
	}
}
