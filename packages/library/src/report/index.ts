export {
	checkEvidenceCount,
	parseEvidenceArgument,
	parseEvidenceUrl,
	parseReportKind,
	REPORT_KIND_WORDS,
} from './arguments.ts';
export { checkReportRequest, reportStatus, type SendReportDeps, sendReport } from './client.ts';
export { type ReportErrorCode, reportError } from './errors.ts';
export { MAX_ANSWER_BYTES, plainText, type ReportClientDeps } from './exchange.ts';
export {
	MAX_EVIDENCE_ITEMS,
	MAX_REPORT_BYTES,
	MAX_REPORT_DETAILS_CHARS,
	type ParsedReportRequest,
	REPORT_KINDS,
	type ReportEvidence,
	type ReportedPlugin,
	type ReportKind,
	type ReportReceipt,
	type ReportRequest,
	type ReportStatus,
	reportEvidenceSchema,
	reportedPluginSchema,
	reportReceiptSchema,
	reportRequestSchema,
	reportStatusSchema,
} from './report-schema.ts';
export {
	REPORT_STATUS_PATH,
	REPORTS_PATH,
	reportEndpoints,
	serviceBaseUrl,
} from './service-url.ts';
