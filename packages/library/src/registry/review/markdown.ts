/**
 * The verdict as Markdown, for the comment a CI bot posts on the pull request. A hostile plugin
 * controls its name, description, URL, ref names, file paths and finding messages, and a
 * comment renders links, images, @mentions, HTML and autolinked URLs. So every untrusted
 * string goes out as an inline code span, where GitHub-flavoured Markdown renders none of
 * those: sanitised first (D24), on one line, bounded, with a delimiter longer than any run of
 * backticks inside it, and `|` escaped because a table cell ends there even inside code.
 * Everything outside code spans is text written here.
 */
import { sanitizeText } from '../../core/sanitize.ts';
import type { ReviewFinding, ReviewLevel } from './findings.ts';
import type { PluginReview, RefReview, ReviewVerdict } from './verdict.ts';

/** Untrusted text as an inline code span that renders literally. */
export function untrusted(text: string, maxLength = 200): string {
	const clean = sanitizeText(text, { maxLength }).replace(/\|/g, '\\|');
	if (clean.trim() === '') return '*(empty)*';
	let longest = 0;
	for (const run of clean.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
	const fence = '`'.repeat(longest + 1);
	// A space on each side keeps a leading or trailing backtick out of the delimiter.
	return `${fence} ${clean} ${fence}`;
}

const LEVEL_HEADINGS: Readonly<Record<ReviewLevel, string>> = {
	pass: '✅ pass',
	'needs-attention': '⚠️ needs attention',
	reject: '❌ reject',
};

const SEVERITY_LABELS = { error: '❌ error', warning: '⚠️ warning', info: 'ℹ️ info' } as const;

export function renderVerdictMarkdown(verdict: ReviewVerdict): string {
	const lines: string[] = [`## Vouch registry review: ${LEVEL_HEADINGS[verdict.level]}`, ''];
	if (verdict.plugins.length === 0) lines.push('No plugin was added or changed.', '');
	if (verdict.registryFindings.length > 0) {
		lines.push('### The registry file', '', ...findingTable(verdict.registryFindings), '');
	}
	for (const plugin of verdict.plugins) lines.push(...pluginSection(plugin), '');
	lines.push(
		'<sub>Findings inform the maintainers; they never stand in for review. Scan reports are stored beside the registry.</sub>',
	);
	return `${lines.join('\n')}\n`;
}

function pluginSection(plugin: PluginReview): string[] {
	const lines = [
		`### ${LEVEL_HEADINGS[plugin.level]}: ${untrusted(plugin.id, 100)}`,
		'',
		`- Name: ${untrusted(plugin.name, 120)}`,
		`- Description: ${untrusted(plugin.description, 300)}`,
		`- Repository: ${untrusted(plugin.gitUrl, 300)}`,
		`- UUID: ${untrusted(plugin.uuid, 60)}`,
		`- Trust level reviewed for: ${plugin.trust}`,
		`- Reviewed as: ${plugin.subject}`,
		'',
	];
	if (plugin.refs.length > 0) {
		lines.push(
			'| Ref | Commit | Manifest | Scan (high/medium/low) | Capabilities used | Undeclared |',
			'| --- | --- | --- | --- | --- | --- |',
		);
		for (const ref of plugin.refs) lines.push(refRow(ref));
		lines.push('');
	}
	if (plugin.findings.length === 0) lines.push('No findings.');
	else lines.push(...findingTable(plugin.findings));
	return lines;
}

function refRow(ref: RefReview): string {
	const commit = ref.commit === undefined ? '–' : untrusted(ref.commit.slice(0, 12), 12);
	const scan =
		ref.scan === undefined ? '–' : `${ref.scan.high} / ${ref.scan.medium} / ${ref.scan.low}`;
	const list = (items: readonly string[] | undefined) =>
		items === undefined ? '–' : items.length === 0 ? 'none' : untrusted(items.join(', '), 200);
	return `| ${untrusted(ref.ref, 80)} | ${commit} | ${ref.manifest} | ${scan} | ${list(ref.scan?.inferred)} | ${list(ref.scan?.undeclared)} |`;
}

function findingTable(findings: readonly ReviewFinding[]): string[] {
	const lines = ['| Severity | Code | Ref | Finding |', '| --- | --- | --- | --- |'];
	for (const finding of findings) {
		const ref = finding.ref === undefined ? '' : untrusted(finding.ref, 80);
		lines.push(
			`| ${SEVERITY_LABELS[finding.severity]} | \`${finding.code}\` | ${ref} | ${untrusted(finding.message, 400)} |`,
		);
	}
	return lines;
}
