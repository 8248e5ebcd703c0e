/**
 * A stored scan report, read defensively (it is data from the database, and a page must never
 * break on an odd one), and shown as capabilities marked declared / detected / enforced, the
 * finding counts and the top findings with file:line.
 */
import { CAPABILITIES, capabilityLabels } from '@vouch/library';
import { html } from 'hono/html';
import type { StoredScanReport } from '../store/plugin-queries.ts';
import { type Html, plain, when } from './text.ts';

const TOP_FINDINGS = 5;
const SEVERITY_ORDER = ['high', 'medium', 'low', 'info'];

interface ReadFinding {
	severity: string;
	ruleId: string;
	message: string;
	file?: string;
	line?: number;
}

function record(value: unknown): Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: {};
}

function capabilityList(value: unknown): Set<string> {
	return new Set(
		Array.isArray(value)
			? value.filter(
					(item): item is string =>
						typeof item === 'string' && (CAPABILITIES as readonly string[]).includes(item),
				)
			: [],
	);
}

function count(value: unknown): number {
	return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0;
}

function findingsOf(report: Record<string, unknown>): ReadFinding[] {
	const list = Array.isArray(report.findings) ? report.findings.slice(0, 5000) : [];
	return list
		.map(record)
		.map((item) => ({
			severity: typeof item.severity === 'string' ? item.severity : 'info',
			ruleId: typeof item.ruleId === 'string' ? item.ruleId : '',
			message: typeof item.message === 'string' ? item.message : '',
			...(typeof item.file === 'string' ? { file: item.file } : {}),
			...(typeof item.line === 'number' && Number.isSafeInteger(item.line)
				? { line: item.line }
				: {}),
		}))
		.sort((a, b) => rank(a.severity) - rank(b.severity));
}

function rank(severity: string): number {
	const index = SEVERITY_ORDER.indexOf(severity);
	return index === -1 ? SEVERITY_ORDER.length : index;
}

function mark(on: boolean, yes: string): Html {
	return on ? html`<span class="mark-yes">${yes}</span>` : html`<span class="mark-no">no</span>`;
}

/** The capabilities table: the manifest's claim, the scanner's finding, the host's promise. */
export function capabilitiesSection(newest: StoredScanReport | undefined): Html {
	const capabilities = record(record(newest?.report).capabilities);
	const declared = capabilityList(capabilities.declared);
	const detected = capabilityList(capabilities.inferred);
	const undeclared = capabilityList(capabilities.undeclared);
	const labels = new Map(capabilityLabels('isolated').map((label) => [label.capability, label]));
	return html`<section aria-labelledby="capabilities">
<h2 id="capabilities">Capabilities</h2>
${
	newest === undefined
		? html`<p>No scan report yet: what the plugin declares and uses is not known here.</p>`
		: html`<p>Declared: what the plugin's MANIFEST.toml asks for. Detected: what the scanner found the code using. Enforced: what the Node host's isolated mode holds the plugin to.</p>`
}
<table>
<caption>Capabilities, declared, detected and enforced</caption>
<thead><tr><th scope="col">Capability</th><th scope="col">Declared</th><th scope="col">Detected</th><th scope="col">Enforced (isolated mode)</th></tr></thead>
<tbody>
${CAPABILITIES.map((capability) => {
	const label = labels.get(capability);
	return html`<tr${undeclared.has(capability) ? html` class="undeclared"` : ''}>
<th scope="row"><code>${capability}</code></th>
<td>${newest === undefined ? 'unknown' : mark(declared.has(capability), 'declared')}</td>
<td>${newest === undefined ? 'unknown' : mark(detected.has(capability), undeclared.has(capability) ? 'detected, not declared' : 'detected')}</td>
<td>${label?.label ?? 'not enforced'}<span class="why"> (${label?.why ?? ''})</span></td>
</tr>`;
})}
</tbody>
</table>
</section>`;
}

export function scanSection(newest: StoredScanReport | undefined): Html {
	if (newest === undefined) {
		return html`<section aria-labelledby="scan"><h2 id="scan">Scan</h2><p>This plugin has not been scanned by the registry yet.</p></section>`;
	}
	const report = record(newest.report);
	const summary = record(report.summary);
	const findings = findingsOf(report);
	const top = findings.filter((f) => f.severity !== 'info').slice(0, TOP_FINDINGS);
	return html`<section aria-labelledby="scan">
<h2 id="scan">Scan</h2>
<p>Scanned at commit <code>${plain(newest.commit, 64)}</code> (ref <code>${plain(newest.ref, 100)}</code>) on ${when(newest.createdAt)}.</p>
<ul class="counts">
<li><span class="sev sev-high">High</span> ${count(summary.high)}</li>
<li><span class="sev sev-medium">Medium</span> ${count(summary.medium)}</li>
<li><span class="sev sev-low">Low</span> ${count(summary.low)}</li>
</ul>
${
	top.length === 0
		? html`<p>No findings above information level.</p>`
		: html`<h3>Top findings</h3>
<ol class="findings">
${top.map(
	(
		finding,
	) => html`<li><span class="sev sev-${rank(finding.severity) < 3 ? finding.severity : 'info'}">${plain(finding.severity, 10)}</span>
<code>${finding.file === undefined ? 'plugin' : `${plain(finding.file, 200)}${finding.line === undefined ? '' : `:${finding.line}`}`}</code>
${plain(finding.message, 300)} <span class="rule">(${plain(finding.ruleId, 60)})</span></li>`,
)}
</ol>`
}
</section>`;
}
