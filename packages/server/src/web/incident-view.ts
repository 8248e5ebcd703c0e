/**
 * How an incident is drawn, on the public page and the maintainers' page alike: its state,
 * timeline (who, when, why, and the log entry that records the step), actions with their
 * reasons, the reports' kinds and counts, and the evidence. Every text is from a reporter or
 * a maintainer and is escaped; evidence paths and commits are shown as text, links only when
 * they are https, with `rel="nofollow noopener noreferrer"`.
 */
import type { ReportEvidence } from '@vouch/library/internal/report/report-schema';
import { html } from 'hono/html';
import type { LogPosition } from '../incidents/log-index.ts';
import type {
	IncidentActionView,
	IncidentDetail,
	IncidentEventView,
} from '../incidents/queries.ts';
import { publicActor } from '../incidents/queries.ts';
import { type Html, pathPart, plain, urlLink, when } from './text.ts';

export const STATE_LABELS: Readonly<Record<string, string>> = {
	received: 'Received',
	investigating: 'Investigating',
	confirmed: 'Confirmed',
	dismissed: 'Dismissed',
	appealed: 'Appealed',
	resolved: 'Resolved',
};

export const REPORT_KIND_LABELS: Readonly<Record<string, string>> = {
	malware: 'Malware',
	data_theft: 'Data theft',
	impersonation: 'Impersonation',
	broken: 'Broken',
	policy: 'Policy violation',
	other: 'Other',
};

export const ACTION_LABELS: Readonly<Record<string, string>> = {
	soft_quarantine: 'Soft quarantine (hidden, updates refused, disabled with a notice)',
	hard_blacklist: 'Hard blacklist (disabled and quarantined)',
	version_block: 'Version block (a versions range or a commit)',
	author_block: 'Author block (every plugin of a repository owner)',
};

export const ACTION_STATE_LABELS: Readonly<Record<string, string>> = {
	awaiting_approval: 'awaiting a second maintainer',
	applied: 'applied',
	reverted: 'reverted',
	undone: 'undone',
	expired: 'expired',
	refused: 'refused',
};

const EVENT_LABELS: Readonly<Record<string, string>> = {
	report: 'Report received',
	state: 'State changed',
	action: 'Action',
	approval: 'Action approved',
	revert: 'Action reverted',
	undo: 'Action undone',
	expiry: 'Quarantine expired',
	appeal: 'Appeal',
	lift: 'Lift request',
	note: 'Note',
};

export function label(labels: Readonly<Record<string, string>>, key: string): string {
	return labels[key] ?? plain(key, 40);
}

export function stateBadge(state: string): Html {
	const known = STATE_LABELS[state] === undefined ? 'unknown' : state;
	return html`<span class="incident-state state-${known}">${label(STATE_LABELS, state)}</span>`;
}

/** Where "in log entry #N" links: the public signed checkpoint, or the maintainers' log page. */
export type LogLink = (position: LogPosition, seq: number) => string;

export const publicLogLink: LogLink = () => '/tuf/log/checkpoint';
export const adminLogLink: LogLink = (_position, seq) => `/admin/log?before=${seq + 1}`;

function logNote(position: LogPosition | undefined, seq: number | null, link: LogLink): Html {
	if (seq === null) return html``;
	if (position === undefined) return html` <span class="meta">(waiting to be published)</span>`;
	return html` <a class="log-entry" href="${link(position, seq)}">in log entry #${position.index}</a>`;
}

function eventLine(event: IncidentEventView, link: LogLink, anonymous: boolean): Html {
	const who = anonymous ? publicActor(event) : event.actorName;
	const from = event.fromState === null ? '' : html` from ${label(STATE_LABELS, event.fromState)}`;
	const to = event.toState === null ? '' : html` to ${label(STATE_LABELS, event.toState)}`;
	const move = html`${from}${to}`;
	return html`<li><time datetime="${plain(event.at, 40)}">${when(event.at)}</time>: <strong>${label(EVENT_LABELS, event.kind)}</strong>${move}, by ${plain(who, 80)}.
${event.reason === '' ? '' : html`<span class="why-text">Why: ${plain(event.reason, 2000)}</span>`}${logNote(event.log, event.changeSeq, link)}</li>`;
}

export function timeline(events: IncidentEventView[], link: LogLink, anonymous: boolean): Html {
	if (events.length === 0) return html`<p>No steps recorded yet.</p>`;
	return html`<ol class="timeline">${events.map((event) => eventLine(event, link, anonymous))}</ol>`;
}

function paramList(params: Record<string, unknown>): Html {
	const rows: [string, unknown][] = [
		['Plugin', params.pluginId],
		['Versions', params.versions],
		['Commit', params.commit],
		['Owner', params.ownerUrl],
		['Advice', params.advice],
	];
	const shown = rows.filter(([, value]) => typeof value === 'string' && value !== '');
	if (shown.length === 0) return html``;
	return html`<dl class="facts">${shown.map(([name, value]) =>
		name === 'Plugin'
			? html`<dt>${name}</dt><dd><a href="/plugins/${pathPart(String(value))}">${plain(value, 200)}</a></dd>`
			: html`<dt>${name}</dt><dd>${name === 'Commit' || name === 'Versions' ? html`<code>${plain(value, 200)}</code>` : plain(value, 1000)}</dd>`,
	)}</dl>`;
}

export function actionSummary(action: IncidentActionView, link: LogLink): Html {
	return html`<h3>${label(ACTION_LABELS, action.kind)}: ${label(ACTION_STATE_LABELS, action.state)}</h3>
<p>Reason: ${plain(action.reason, 2000)}</p>
${paramList(action.params)}
<p class="meta">Requested by ${plain(action.requestedBy, 80)} on ${when(action.requestedAt)}${action.automatic ? ' (automatic, after agreeing reports)' : ''}${action.approvedBy === null ? '' : `, approved by ${plain(action.approvedBy, 80)}`}${action.appliedAt === null ? '' : `, applied ${when(action.appliedAt)}`}${action.revertedAt === null ? '' : `, reverted ${when(action.revertedAt)}`}${action.expiresAt !== null && action.state === 'applied' ? `; lapses ${when(action.expiresAt)} unless confirmed` : ''}.${logNote(action.log, action.changeSeq, link)}</p>`;
}

export function reportCounts(reports: IncidentDetail['reports']): Html {
	if (reports.total === 0) return html`<p>No reports: a maintainer opened this incident.</p>`;
	return html`<p>${reports.total} report${reports.total === 1 ? '' : 's'}${reports.trusted === 0 ? '' : `, ${reports.trusted} from trusted reporters`}${reports.firstAt === null ? '' : `, the first on ${when(reports.firstAt)}`}.</p>
<ul class="plain-list">${Object.entries(reports.kinds).map(([kind, count]) => html`<li>${label(REPORT_KIND_LABELS, kind)}: ${count}</li>`)}</ul>`;
}

function evidenceItem(item: ReportEvidence): Html {
	const where =
		item.path === undefined
			? ''
			: html`<code>${plain(item.path, 512)}${item.line === undefined ? '' : `:${item.line}`}</code>`;
	const commit =
		item.commit === undefined
			? ''
			: html` at commit <code class="hash">${plain(item.commit, 64)}</code>`;
	const link = item.url === undefined ? '' : html` ${urlLink(item.url)}`;
	const note =
		item.note === undefined ? '' : html`<br><span class="meta">${plain(item.note, 500)}</span>`;
	return html`<li>${where}${commit}${link}${note}</li>`;
}

export function evidenceList(evidence: ReportEvidence[]): Html {
	if (evidence.length === 0) return html`<p>No evidence attached.</p>`;
	return html`<ul class="evidence">${evidence.map(evidenceItem)}</ul>`;
}
