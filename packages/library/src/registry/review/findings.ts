/**
 * What `vouch registry review` reports: findings with a closed code and a severity, and the
 * verdict they add up to. Every check of the review (identity here in `registry/review/`, code
 * and manifests in `lifecycle/review/`) reports through these types, so the verdict, the JSON
 * and the Markdown comment are built in one place.
 */
import { sanitizeText } from '../../core/sanitize.ts';
import type { LintCode } from '../lint-issues.ts';

/** The review's own codes; `registry lint`'s codes are reused as they are (one home each). */
export type ReviewOwnCode =
	// The plugin's code and manifests, per ref (lifecycle/review).
	| 'REF_NOT_FOUND'
	| 'FETCH_FAILED'
	| 'MANIFEST_MISSING'
	| 'MANIFEST_INVALID'
	| 'MANIFEST_WARNING'
	| 'MANIFEST_UUID_MISMATCH'
	| 'MANIFEST_NAME_MISMATCH'
	| 'SCAN_HIGH'
	| 'SCAN_MEDIUM'
	| 'SCAN_FAILED'
	| 'CAPABILITY_UNDECLARED'
	| 'CAPABILITIES_NOT_DECLARED'
	| 'CAPABILITY_UNUSED'
	// Identity (registry/review).
	| 'ID_NOT_DERIVED'
	| 'NAME_INVALID'
	| 'NAME_TAKEN'
	| 'UUID_IMPERSONATION'
	| 'CONFUSABLE_ID'
	| 'CONFUSABLE_NAME'
	| 'CONFUSABLE_URL'
	| 'LOOKALIKE_ID'
	| 'LOOKALIKE_NAME'
	| 'LOOKALIKE_URL'
	| 'BLACKLISTED'
	// Trust asked for (release policy, author signatures).
	| 'PINS_REQUIRED'
	| 'PIN_MISMATCH'
	| 'SIGNER_KEY_INVALID'
	| 'SIGNED_REF_NOT_TAG'
	/** More findings than the bound; carries the worst severity of those left out. */
	| 'FINDINGS_TRUNCATED';

export type ReviewCode = ReviewOwnCode | LintCode;

/**
 * `error`: the pull request cannot be merged as it is (verdict `reject`). `warning`: a person
 * must look before merging (`needs-attention`). `info`: shown, changes nothing.
 */
export type ReviewSeverity = 'error' | 'warning' | 'info';

export interface ReviewFinding {
	code: ReviewCode;
	severity: ReviewSeverity;
	/** Sanitised for a terminal; the Markdown renderer escapes it again for a comment. */
	message: string;
	/** The ref the finding is about, when it is about one. */
	ref?: string;
}

export type ReviewLevel = 'pass' | 'needs-attention' | 'reject';

/** The worst level the findings call for. */
export function levelOf(findings: readonly Pick<ReviewFinding, 'severity'>[]): ReviewLevel {
	if (findings.some((finding) => finding.severity === 'error')) return 'reject';
	if (findings.some((finding) => finding.severity === 'warning')) return 'needs-attention';
	return 'pass';
}

/** The worst of several levels (a combined verdict over every plugin a change touches). */
export function worstLevel(levels: readonly ReviewLevel[]): ReviewLevel {
	if (levels.includes('reject')) return 'reject';
	if (levels.includes('needs-attention')) return 'needs-attention';
	return 'pass';
}

/** Most findings kept per plugin: a hostile plugin must not flood the comment or the log. */
export const MAX_FINDINGS_PER_PLUGIN = 200;

/** Collects findings, sanitising each message once, up to the bound. */
export class FindingSink {
	readonly #findings: ReviewFinding[] = [];
	readonly #dropped: ReviewFinding['severity'][] = [];

	add(code: ReviewCode, severity: ReviewSeverity, message: string, ref?: string): void {
		if (this.#findings.length >= MAX_FINDINGS_PER_PLUGIN) {
			this.#dropped.push(severity);
			return;
		}
		this.#findings.push({
			code,
			severity,
			message: sanitizeText(message, { maxLength: 500 }),
			...(ref === undefined ? {} : { ref: sanitizeText(ref, { maxLength: 100 }) }),
		});
	}

	/**
	 * The findings, most severe first. Those left out by the bound are counted in one more
	 * finding with the worst of their severities, so the bound never softens the verdict.
	 */
	list(): ReviewFinding[] {
		const listed = [...this.#findings].sort(bySeverity);
		if (this.#dropped.length > 0) {
			listed.push({
				code: 'FINDINGS_TRUNCATED',
				severity: levelSeverity(levelOf(this.#dropped.map((severity) => ({ severity })))),
				message: `${this.#dropped.length} more finding(s) not listed.`,
			});
		}
		return listed;
	}
}

function levelSeverity(level: ReviewLevel): ReviewSeverity {
	if (level === 'reject') return 'error';
	return level === 'needs-attention' ? 'warning' : 'info';
}

/** Severity order, most severe first, for listings. */
export function bySeverity(a: ReviewFinding, b: ReviewFinding): number {
	const rank = { error: 0, warning: 1, info: 2 } as const;
	return rank[a.severity] - rank[b.severity];
}
