/**
 * The wire contract of a community report (D22): what `vouch report`, a host application and
 * the plugin page's form send to `POST /api/v1/reports`, and what the service answers. Client
 * and service parse with these same schemas, so a report one side builds is one the other
 * accepts, and every field is bounded before anything stores or shows it.
 */
import * as z from 'zod';

/** The kinds of report, in their wire spelling (`data_theft`; people may type `data-theft`). */
export const REPORT_KINDS = [
	'malware',
	'data_theft',
	'impersonation',
	'broken',
	'policy',
	'other',
] as const;
/** One of {@link REPORT_KINDS}. */
export type ReportKind = (typeof REPORT_KINDS)[number];

/** The largest report body the service reads; the fields below fit well inside it. */
export const MAX_REPORT_BYTES = 32 * 1024;
export const MAX_REPORT_DETAILS_CHARS = 4000;
export const MAX_EVIDENCE_ITEMS = 10;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
/** One line of text: no control characters at all. */
const line = (max: number) =>
	z
		.string()
		.min(1)
		.max(max)
		// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses.
		.refine((text) => !/[\u0000-\u001f\u007f-\u009f]/.test(text), 'has a control character');
/** Free text: newlines and tabs allowed, other control characters (ANSI escapes) not. */
const prose = (max: number) =>
	z
		.string()
		.max(max)
		.refine((text) => !CONTROL.test(text), 'has a control character');

const commitSha = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, 'is not a full commit hash');
const httpsUrl = z
	.string()
	.max(2048)
	.regex(/^https:\/\/[^\s]+$/, 'is not an https link');

/** A file and line of one commit, or a link: what the reporter points at. */
export const reportEvidenceSchema = z
	.strictObject({
		commit: commitSha.optional(),
		/** Relative to the plugin's root, `/`-separated, never leaving it. */
		path: line(512)
			.refine((path) => !path.startsWith('/') && !path.split('/').includes('..'), {
				message: 'must be a path inside the plugin',
			})
			.optional(),
		line: z.number().int().min(1).max(10_000_000).optional(),
		url: httpsUrl.optional(),
		note: prose(500).optional(),
	})
	.refine((item) => item.path !== undefined || item.url !== undefined, {
		message: 'needs a path or a url',
	})
	.refine((item) => item.line === undefined || item.path !== undefined, {
		message: 'a line needs a path',
	});
/** One item of evidence: a file (and line) of one commit, or an https link. */
export type ReportEvidence = z.infer<typeof reportEvidenceSchema>;

/** What the reporting host knows about the plugin; attached automatically and shown first. */
export const reportedPluginSchema = z.strictObject({
	/** The registry id, when the plugin is registered. */
	id: line(200).optional(),
	uuid: z
		.string()
		.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
		.optional(),
	/** The source URL the host installed from. */
	url: line(2048).optional(),
	ref: line(256).optional(),
	commit: commitSha.optional(),
	/** `sha256:` and 64 hex digits (`vouch-tree-v1`). */
	treeDigest: z
		.string()
		.regex(/^sha256:[0-9a-f]{64}$/)
		.optional(),
	trust: z.enum(['official', 'trusted', 'community', 'unregistered']).optional(),
	version: line(100).optional(),
});
/** The facts about the plugin that the reporting host attaches. */
export type ReportedPlugin = z.infer<typeof reportedPluginSchema>;

/** A whole report, as `POST /api/v1/reports` reads it; the client checks it before sending. */
export const reportRequestSchema = z.strictObject({
	plugin: reportedPluginSchema.refine(
		(plugin) => plugin.id !== undefined || plugin.uuid !== undefined || plugin.url !== undefined,
		{ message: 'needs an id, a uuid or a url' },
	),
	/** The host application: its profile name and its own version. */
	host: z
		.strictObject({
			profile: line(100),
			version: line(100),
		})
		.optional(),
	kind: z.enum(REPORT_KINDS),
	details: prose(MAX_REPORT_DETAILS_CHARS),
	evidence: z.array(reportEvidenceSchema).max(MAX_EVIDENCE_ITEMS).default([]),
});
/** A report as a caller writes it (`evidence` may be left out). */
export type ReportRequest = z.input<typeof reportRequestSchema>;
/** A report as parsed: every field checked, `evidence` present. */
export type ParsedReportRequest = z.output<typeof reportRequestSchema>;

/** The service's answer: the reporter token is shown once and is how the outcome is followed. */
export const reportReceiptSchema = z.strictObject({
	reportId: z.number().int().min(1),
	incidentId: z.number().int().min(1),
	/** 43 url-safe base64 characters: 256 random bits. */
	token: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
	/** `GET` it with the token to learn the outcome. */
	statusUrl: z.string().max(2048),
});
/** The receipt of a sent report: its id, its incident and the reporter token (shown once). */
export type ReportReceipt = z.infer<typeof reportReceiptSchema>;

/** What a reporter learns through the token (`GET /api/v1/reports/status` with the token). */
export const reportStatusSchema = z.strictObject({
	reportId: z.number().int().min(1),
	kind: z.enum(REPORT_KINDS),
	receivedAt: z.string().max(64),
	incident: z.strictObject({
		id: z.number().int().min(1),
		state: z.enum(['received', 'investigating', 'confirmed', 'dismissed', 'appealed', 'resolved']),
		/** The public incident page. */
		url: z.string().max(2048),
		/** The reason recorded with the latest decision, when there is one. */
		outcome: z.string().max(2000).optional(),
	}),
});
/** What the reporter token tells about a report: its incident's state and latest outcome. */
export type ReportStatus = z.infer<typeof reportStatusSchema>;
