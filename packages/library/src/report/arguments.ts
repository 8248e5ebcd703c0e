/**
 * Turning what a person types into report fields: a kind in either spelling (`data-theft`,
 * `data_theft`) and evidence as `<commit>:<path>[:<line>]` or an https link. Pure, so the CLI
 * and hosts read the same syntax, and every mistake is a usage error that says what to type.
 */
import { ExitCode } from '../core/errors.ts';
import { sanitizeText } from '../core/sanitize.ts';
import { closestNames } from '../core/suggest.ts';
import { reportError } from './errors.ts';
import {
	MAX_EVIDENCE_ITEMS,
	REPORT_KINDS,
	type ReportEvidence,
	type ReportKind,
	reportEvidenceSchema,
} from './report-schema.ts';

/** The kinds as a person types them. */
export const REPORT_KIND_WORDS: readonly string[] = REPORT_KINDS.map((kind) =>
	kind.replaceAll('_', '-'),
);

/** `data-theft`, `data_theft` or `Data-Theft` → `data_theft`; anything else is `REPORT_INVALID`. */
export function parseReportKind(text: string): ReportKind {
	const wanted = text.trim().toLowerCase().replaceAll('-', '_');
	const kind = REPORT_KINDS.find((candidate) => candidate === wanted);
	if (kind !== undefined) return kind;
	const similar = closestNames(text.trim().toLowerCase().replaceAll('_', '-'), REPORT_KIND_WORDS);
	const suggestion = similar.length > 0 ? `Did you mean "${similar[0]}"? ` : '';
	throw reportError(
		'REPORT_INVALID',
		`"${sanitizeText(text, { maxLength: 64 })}" is not a kind of report.`,
		{
			hint: `${suggestion}Kinds: ${REPORT_KIND_WORDS.join(', ')}.`,
			exitCode: ExitCode.usage,
			details: { similar },
		},
	);
}

const FULL_COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
const HEX = /^[0-9a-f]+$/;

/** `<commit>:<path>[:<line>]`: a file (and line) of one commit of the plugin. */
export function parseEvidenceArgument(text: string): ReportEvidence {
	const value = text.trim();
	const colon = value.indexOf(':');
	const usage = (problem: string, hint?: string) =>
		reportError(
			'REPORT_INVALID',
			`The evidence "${sanitizeText(value, { maxLength: 120 })}" ${problem}.`,
			{
				hint:
					hint ??
					'Write evidence as <commit>:<path>[:<line>], e.g. 0123…cdef:plugin/__init__.py:42.',
				exitCode: ExitCode.usage,
			},
		);
	if (colon === -1) throw usage('has no commit');
	const commit = value.slice(0, colon).toLowerCase();
	let path = value.slice(colon + 1);
	if (!FULL_COMMIT.test(commit)) {
		throw HEX.test(commit) && commit.length < 40
			? usage(
					'names a short commit',
					'Give the full commit hash (git rev-parse <short>): a short one can name another commit later.',
				)
			: usage('does not start with a full commit hash');
	}
	let line: number | undefined;
	const lastColon = path.lastIndexOf(':');
	if (lastColon !== -1 && /^\d+$/.test(path.slice(lastColon + 1))) {
		line = Number(path.slice(lastColon + 1));
		path = path.slice(0, lastColon);
		if (!Number.isSafeInteger(line) || line < 1 || line > 10_000_000) {
			throw usage('has a line number out of range (1 to 10000000)');
		}
	}
	if (path.length === 0) throw usage('has no path');
	return checkedEvidence({ commit, path, ...(line === undefined ? {} : { line }) }, usage);
}

/** `--evidence-url`: a link (an issue, a paste, an analysis); https only. */
export function parseEvidenceUrl(text: string): ReportEvidence {
	const url = text.trim();
	return checkedEvidence({ url }, (problem) =>
		reportError(
			'REPORT_INVALID',
			`The evidence link "${sanitizeText(url, { maxLength: 120 })}" ${problem}.`,
			{ hint: 'Give an https:// link.', exitCode: ExitCode.usage },
		),
	);
}

/** At most MAX_EVIDENCE_ITEMS items: the service refuses more. */
export function checkEvidenceCount(items: readonly ReportEvidence[]): void {
	if (items.length <= MAX_EVIDENCE_ITEMS) return;
	throw reportError(
		'REPORT_INVALID',
		`A report carries at most ${MAX_EVIDENCE_ITEMS} evidence items; ${items.length} were given.`,
		{ hint: 'Keep the items that show the problem best.', exitCode: ExitCode.usage },
	);
}

function checkedEvidence(item: ReportEvidence, usage: (problem: string) => Error): ReportEvidence {
	const parsed = reportEvidenceSchema.safeParse(item);
	if (parsed.success) return parsed.data;
	const problem = parsed.error.issues[0]?.message ?? 'is not valid';
	const field = parsed.error.issues[0]?.path.join('.') ?? '';
	throw usage(field === '' ? problem : `has a ${field} that ${problem}`);
}
