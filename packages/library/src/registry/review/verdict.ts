/**
 * The review verdict: one per plugin, and the combined one CI acts on. Plain data, so the CLI
 * prints it as JSON as it is and `markdown.ts` renders it for a bot comment.
 */
import type { TrustLevel } from '../model.ts';
import { type ReviewFinding, type ReviewLevel, worstLevel } from './findings.ts';

/** What one ref's code and manifest looked like. Strings are sanitised. */
export interface RefReview {
	ref: string;
	/** Absent when the ref could not be fetched. */
	commit?: string;
	manifest: 'valid' | 'invalid' | 'missing' | 'not-fetched';
	scan?: {
		high: number;
		medium: number;
		low: number;
		info: number;
		/** `declared`, `undeclared` (no [capabilities] table) or `no-manifest`. */
		declaration: string;
		declared: string[];
		inferred: string[];
		undeclared: string[];
	};
	/** Where the stored scan report is, relative to the registry file's directory. */
	report?: string;
}

export interface PluginReview {
	/** Sanitised. */
	id: string;
	name: string;
	description: string;
	gitUrl: string;
	uuid: string;
	/** The trust level the review held the plugin to. */
	trust: TrustLevel;
	/** `entry`: an id in the registry; `candidate`: a URL not in it yet; else what --changed saw. */
	subject: 'entry' | 'candidate' | 'added' | 'changed';
	refs: RefReview[];
	findings: ReviewFinding[];
	level: ReviewLevel;
}

export interface ReviewVerdict {
	level: ReviewLevel;
	plugins: PluginReview[];
	/** Findings about the registry file as a whole (a malformed entry no plugin review sees). */
	registryFindings: ReviewFinding[];
}

export function combineVerdict(
	plugins: PluginReview[],
	registryFindings: ReviewFinding[] = [],
): ReviewVerdict {
	const levels = plugins.map((plugin) => plugin.level);
	if (registryFindings.some((finding) => finding.severity === 'error')) levels.push('reject');
	else if (registryFindings.some((finding) => finding.severity === 'warning'))
		levels.push('needs-attention');
	return { level: worstLevel(levels), plugins, registryFindings };
}
