/** `vouch scan --json`: the scan report (D20, D21) with the target and the --fail-on policy. */
import { CAPABILITIES } from '@vouch/library/internal/manifest/capabilities';
import { CONFIDENCES, SEVERITIES } from '@vouch/library/internal/scan/severity';
import * as z from 'zod';
import { ok } from './common.ts';

const capability = z.enum(CAPABILITIES);
const severity = z.enum(SEVERITIES);
const count = z.int().min(0);

export const scanFinding = z.object({
	ruleId: z.string(),
	category: z.string(),
	severity,
	confidence: z.enum(CONFIDENCES),
	message: z.string(),
	why: z.string(),
	fix: z.string(),
	file: z
		.string()
		.optional()
		.describe('Relative to the plugin root; absent for plugin-wide findings.'),
	line: z.int().optional(),
	column: z.int().optional(),
	endLine: z.int().optional(),
	endColumn: z.int().optional(),
	snippet: z.string().optional(),
	capability: capability.optional(),
});

const evidence = z.object({ ruleId: z.string(), file: z.string(), line: z.int().optional() });

export const scanDocument = z
	.object({
		ok: ok.describe('False when a finding reached --fail-on (exit 3).'),
		target: z.object({
			kind: z.enum(['directory', 'installed', 'git']),
			label: z.string(),
		}),
		failOn: severity.nullable(),
		reportVersion: z.literal(1),
		scanner: z.object({ name: z.literal('vouch-scan'), version: z.string() }),
		root: z.string(),
		manifest: z.object({
			status: z.enum(['valid', 'invalid', 'missing']),
			file: z.string().optional(),
		}),
		findings: z.array(scanFinding),
		summary: z.object({ high: count, medium: count, low: count, info: count, total: count }),
		capabilities: z.object({
			status: z.enum(['declared', 'undeclared', 'no-manifest']),
			declared: z.array(capability),
			denied: z.array(capability),
			inferred: z.array(capability),
			undeclared: z.array(capability),
			unused: z.array(capability),
			evidence: z.partialRecord(capability, z.array(evidence)),
		}),
		files: z.object({
			scanned: count,
			other: count,
			bytes: count,
			lines: count,
			byLanguage: z.partialRecord(z.enum(['python', 'javascript', 'typescript', 'tsx']), count),
		}),
		skipped: z.array(
			z.object({
				file: z.string(),
				reason: z.enum([
					'file-limit',
					'too-large',
					'total-bytes',
					'too-deep',
					'timeout',
					'directory-depth',
					'symlink',
					'special-file',
					'unreadable',
					'encoding',
				]),
				detail: z.string(),
			}),
		),
		skippedNotListed: count,
		limits: z.object({
			maxFiles: count,
			maxFileBytes: count,
			maxTotalBytes: count,
			fileTimeoutMs: count,
			maxScanMs: count,
			maxNestingDepth: count,
			maxDirectoryDepth: count,
		}),
	})
	.meta({ title: 'vouch scan --json' });

export type ScanJson = z.infer<typeof scanDocument>;
