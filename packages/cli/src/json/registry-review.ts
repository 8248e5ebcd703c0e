/** `vouch registry review --json`: the verdict CI posts on a registry pull request. */
import * as z from 'zod';
import { trustLevel } from './common.ts';

const level = z
	.enum(['pass', 'needs-attention', 'reject'])
	.describe('pass exits 0, reject 1; needs-attention exits 0 (1 with --strict).');

export const reviewFinding = z.object({
	code: z.string().describe('A stable code: the review’s own or a `registry lint` code.'),
	severity: z
		.enum(['error', 'warning', 'info'])
		.describe('error rejects; warning needs attention.'),
	message: z.string().describe('Sanitised, one line.'),
	ref: z.string().optional().describe('The ref the finding is about, when it is about one.'),
});

const capabilities = z.array(z.string());

export const reviewedRef = z.object({
	ref: z.string(),
	commit: z.string().optional().describe('Absent when the ref could not be fetched.'),
	manifest: z.enum(['valid', 'invalid', 'missing', 'not-fetched']),
	scan: z
		.object({
			high: z.int().min(0),
			medium: z.int().min(0),
			low: z.int().min(0),
			info: z.int().min(0),
			declaration: z
				.string()
				.describe('declared, undeclared (no [capabilities] table) or no-manifest.'),
			declared: capabilities,
			inferred: capabilities,
			undeclared: capabilities,
		})
		.optional()
		.describe('Absent when the code could not be scanned.'),
	report: z
		.string()
		.optional()
		.describe(
			'The stored scan report, relative to the reports directory (scan-reports/<id>/<commit>.json).',
		),
});

export const pluginReview = z.object({
	id: z.string(),
	name: z.string(),
	description: z.string(),
	gitUrl: z.string(),
	uuid: z.string(),
	trust: trustLevel.describe('The trust level the plugin was reviewed for.'),
	subject: z.enum(['entry', 'candidate', 'added', 'changed']),
	refs: z.array(reviewedRef),
	findings: z.array(reviewFinding),
	level,
});

export const registryReviewDocument = z
	.object({
		ok: z.boolean().describe('False when the verdict is reject.'),
		level,
		registry: z
			.string()
			.describe('The registry file reviewed against (the new one with --changed).'),
		plugins: z.array(pluginReview),
		registryFindings: z.array(reviewFinding).describe('Findings about the file as a whole.'),
		markdown: z.string().describe('The same verdict as Markdown, safe to post as a comment.'),
	})
	.meta({ title: 'vouch registry review --json' });

export type RegistryReviewJson = z.infer<typeof registryReviewDocument>;
