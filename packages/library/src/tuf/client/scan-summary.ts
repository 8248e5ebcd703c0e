/**
 * What the consent screen shows of the registry's scan report of a commit (D21). Apart from
 * `scan-report.ts`, which fetches and verifies the report, so that an install that only shows
 * the line does not load the TUF client's metadata models with it.
 */

/**
 * The registry's own scan of one commit, as a signed registry publishes it (a TUF target beside
 * the registry): counts by severity and the capabilities used undeclared. Shown before install.
 */
export interface RegistryScanSummary {
	/** The commit the report was made of. */
	commit: string;
	/** The scanner that produced the report, e.g. `0.2.0`; sanitised. */
	scannerVersion: string;
	/** Findings of high severity. */
	high: number;
	/** Findings of medium severity. */
	medium: number;
	/** Findings of low severity. */
	low: number;
	/** Informational findings. */
	info: number;
	/** Capabilities the code uses without declaring them. */
	undeclared: string[];
}

/** The consent screen's line about the registry's own scan of the commit being installed. */
export function registryScanLine(summary: RegistryScanSummary): { text: string; warn: boolean } {
	const undeclared =
		summary.undeclared.length === 0
			? ''
			: `; uses without declaring: ${summary.undeclared.join(', ')}`;
	return {
		text: `Registry scan of this commit (vouch-scan ${summary.scannerVersion}): ${summary.high} high, ${summary.medium} medium, ${summary.low} low${undeclared}.`,
		warn: summary.high > 0 || summary.undeclared.length > 0,
	};
}
