/** `vouch report --yes --json` and `vouch report status --json`: a sent report and its outcome. */
import * as z from 'zod';
import { ok, trustLevel } from './common.ts';

const kind = z
	.enum(['malware', 'data_theft', 'impersonation', 'broken', 'policy', 'other'])
	.describe('The kind of report, in its wire spelling (data_theft, not data-theft).');

const evidence = z.object({
	commit: z.string().optional().describe('A full commit hash of the plugin.'),
	path: z.string().optional().describe('A file of that commit, relative to the plugin root.'),
	line: z.number().int().optional(),
	url: z.string().optional().describe('An https link.'),
	note: z.string().optional(),
});

const sentReport = z
	.object({
		plugin: z
			.object({
				id: z.string().optional(),
				uuid: z.string().optional(),
				url: z.string().optional(),
				ref: z.string().optional(),
				commit: z.string().optional(),
				treeDigest: z.string().optional(),
				trust: trustLevel.optional(),
				version: z.string().optional(),
			})
			.describe('What Vouch attached about the plugin: shown before sending.'),
		host: z.object({ profile: z.string(), version: z.string() }).optional(),
		kind,
		details: z.string(),
		evidence: z.array(evidence),
	})
	.describe('The report exactly as sent (the body of POST /api/v1/reports).');

export const reportDocument = z
	.object({
		ok,
		service: z.string().describe('The registry service the report went to.'),
		report: sentReport,
		receipt: z.object({
			reportId: z.number().int(),
			incidentId: z.number().int(),
			token: z
				.string()
				.describe('The reporter token: shown once, the only way to follow the outcome.'),
			statusUrl: z.string(),
		}),
	})
	.meta({ title: 'vouch report --json' });

export const reportStatusDocument = z
	.object({
		ok,
		service: z.string(),
		status: z.object({
			reportId: z.number().int(),
			kind,
			receivedAt: z.string(),
			incident: z.object({
				id: z.number().int(),
				state: z.enum([
					'received',
					'investigating',
					'confirmed',
					'dismissed',
					'appealed',
					'resolved',
				]),
				url: z.string().describe('The public incident page.'),
				outcome: z
					.string()
					.optional()
					.describe('The reason recorded with the latest decision, as data (not sanitised).'),
			}),
		}),
	})
	.meta({ title: 'vouch report status --json' });

export type ReportJson = z.infer<typeof reportDocument>;
export type ReportStatusJson = z.infer<typeof reportStatusDocument>;
