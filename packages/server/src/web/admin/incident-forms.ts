/**
 * The maintainers' forms on an incident: move it to another state, take an action (kind,
 * what it blocks, reason, advice), approve, revert or undo each action, decide appeals, and
 * approve or refuse a lift request (a dual-controlled block lifts only with a second maintainer).
 * Each form carries the session's form token and requires a reason: every step is recorded
 * with who and why, and goes into the transparency log.
 */
import { html } from 'hono/html';
import type { LiftRow } from '../../incidents/lifts.ts';
import type { appealsOf, IncidentActionView, IncidentDetail } from '../../incidents/queries.ts';
import { canMove } from '../../incidents/state-machine.ts';
import { ACTION_KINDS, INCIDENT_STATES } from '../../incidents/types.ts';
import { ACTION_LABELS, label, STATE_LABELS } from '../incident-view.ts';
import { type Html, plain, when } from '../text.ts';

export const MAX_REASON_CHARS = 2000;
export const MAX_ADVICE_CHARS = 1000;

function reasonField(id: string, text = 'Reason (recorded and published)'): Html {
	return html`<div class="field"><label for="${id}">${text}</label>
<textarea id="${id}" name="reason" rows="2" maxlength="${MAX_REASON_CHARS}" required></textarea></div>`;
}

export function transitionForm(incident: IncidentDetail, csrf: string): Html {
	const targets = INCIDENT_STATES.filter((state) => canMove(incident.state, state));
	if (targets.length === 0)
		return html`<p>Nothing moves a ${label(STATE_LABELS, incident.state).toLowerCase()} incident by hand${incident.state === 'appealed' ? ': decide the appeal below' : ''}.</p>`;
	return html`<form class="stacked" method="post" action="/admin/incidents/${incident.id}/transition">
<input type="hidden" name="csrf" value="${csrf}">
<div class="field"><label for="to">New state</label>
<select id="to" name="to">${targets.map((state) => html`<option value="${state}">${label(STATE_LABELS, state)}</option>`)}</select></div>
${reasonField('transition-reason')}
<button type="submit">Change the state</button>
</form>`;
}

export function actionForm(incident: IncidentDetail, csrf: string): Html {
	return html`<form class="stacked" method="post" action="/admin/incidents/${incident.id}/actions">
<input type="hidden" name="csrf" value="${csrf}">
<div class="field"><label for="action-kind">Action</label>
<select id="action-kind" name="kind">${ACTION_KINDS.map((kind) => html`<option value="${kind}">${label(ACTION_LABELS, kind)}</option>`)}</select></div>
<div class="field"><label for="action-plugin">Plugin id (quarantine, blacklist, version block)</label>
<input type="text" id="action-plugin" name="pluginId" maxlength="200" value="${incident.pluginId ?? ''}" spellcheck="false"></div>
<div class="field"><label for="action-versions">Versions range (version block), e.g. <code>&gt;=1.2.0 &lt;1.2.3</code></label>
<input type="text" id="action-versions" name="versions" maxlength="200" spellcheck="false"></div>
<div class="field"><label for="action-commit">Or a full commit hash (version block)</label>
<input type="text" id="action-commit" name="commit" maxlength="64" spellcheck="false"></div>
<div class="field"><label for="action-owner">Repository owner URL (author block), e.g. <code>https://github.com/someone/</code></label>
<input type="text" id="action-owner" name="ownerUrl" maxlength="500" spellcheck="false"></div>
<div class="field"><label for="action-advice">Advice shown to users</label>
<textarea id="action-advice" name="advice" rows="2" maxlength="${MAX_ADVICE_CHARS}"></textarea></div>
${reasonField('action-reason')}
<p class="meta">A hard block of an official or trusted plugin, an author block, or a mass action waits for a second maintainer's approval. Mass actions can be undone for 10 minutes.</p>
<button type="submit">Take the action</button>
</form>`;
}

function actionButton(
	action: IncidentActionView,
	verb: 'approve' | 'revert' | 'undo',
	csrf: string,
	text: string,
	danger = false,
): Html {
	const id = `${verb}-${action.id}-reason`;
	return html`<form class="stacked inline-action" method="post" action="/admin/actions/${action.id}/${verb}">
<input type="hidden" name="csrf" value="${csrf}">
${reasonField(id, `Reason to ${verb} action #${action.id}`)}
<button type="submit"${danger ? html` class="danger"` : ''}>${text}</button>
</form>`;
}

function liftButton(lift: LiftRow, verb: 'approve' | 'refuse', csrf: string, text: string): Html {
	const id = `lift-${lift.id}-${verb}-reason`;
	return html`<form class="stacked inline-action" method="post" action="/admin/lifts/${lift.id}/${verb}">
<input type="hidden" name="csrf" value="${csrf}">
${reasonField(id, `Reason to ${verb} lift request #${lift.id}`)}
<button type="submit"${verb === 'approve' ? html` class="danger"` : ''}>${text}</button>
</form>`;
}

/** A lift request waiting: who asked and why, and the second maintainer's two buttons. */
function liftControls(
	lift: LiftRow,
	csrf: string,
	me: string,
	what: string,
	approve: string,
): Html {
	const mine = lift.requested_by === me;
	return html`<p class="notice">Lift requested; needs a second maintainer: ${plain(lift.requested_by, 80)} asked on ${when(lift.requested_at)} to ${what} (${plain(lift.reason, 2000)}). The block stays until another maintainer approves.${mine ? ' You asked for it, so you cannot approve it; you may refuse it to withdraw it.' : ''}</p>
${mine ? '' : liftButton(lift, 'approve', csrf, approve)}${liftButton(lift, 'refuse', csrf, 'Refuse the lift')}`;
}

/** The buttons an action offers now, with the second-maintainer rule said where it applies. */
export function actionControls(
	action: IncidentActionView,
	csrf: string,
	me: string,
	now: Date,
	lifts: readonly LiftRow[] = [],
): Html {
	const parts: Html[] = [];
	const lift = lifts.find((row) => row.action_id === action.id);
	if (action.state === 'applied' && lift !== undefined) {
		const verb = lift.kind === 'undo' ? 'undo' : 'revert';
		return liftControls(lift, csrf, me, `${verb} this action`, `Approve the ${verb}`);
	}
	if (action.state === 'awaiting_approval') {
		parts.push(
			html`<p class="notice">This action waits for a second maintainer: requested by ${plain(action.requestedBy, 80)}, it takes effect only when another maintainer approves it.${action.requestedBy === me ? ' You requested it, so you cannot approve it.' : ''}</p>`,
		);
		if (action.requestedBy !== me) parts.push(actionButton(action, 'approve', csrf, 'Approve'));
	}
	if (action.state === 'applied') {
		const undoable =
			action.mass && action.undoUntil !== null && Date.parse(action.undoUntil) > now.getTime();
		if (undoable)
			parts.push(
				html`<p class="meta">A mass action may be undone until ${when(action.undoUntil ?? '')}.</p>`,
				actionButton(action, 'undo', csrf, 'Undo', true),
			);
		parts.push(actionButton(action, 'revert', csrf, 'Revert', true));
		if (action.approvedBy !== null || action.mass)
			parts.push(
				html`<p class="meta">Two maintainers applied this block: a revert or an undo asks for a second maintainer to approve the lift.</p>`,
			);
	}
	return html`${parts}`;
}

export function appealForms(
	appeals: Awaited<ReturnType<typeof appealsOf>>,
	csrf: string,
	me = '',
	lifts: readonly LiftRow[] = [],
): Html {
	if (appeals.length === 0) return html`<p>No appeals.</p>`;
	return html`${appeals.map((appeal) => {
		const lift = lifts.find((row) => row.appeal_id === appeal.id);
		return html`<article class="appeal" aria-labelledby="appeal-${appeal.id}">
<h3 id="appeal-${appeal.id}">Appeal #${appeal.id}: ${plain(appeal.state, 20)}</h3>
<p class="meta">Filed ${when(appeal.createdAt)}${appeal.contact === null ? '' : html`; contact: ${plain(appeal.contact, 200)}`}</p>
<blockquote>${plain(appeal.statement, 4000)}</blockquote>
${
	lift !== undefined
		? liftControls(lift, csrf, me, 'grant this appeal', 'Confirm the grant')
		: appeal.state === 'open'
			? html`<form class="stacked" method="post" action="/admin/appeals/${appeal.id}/decide">
<input type="hidden" name="csrf" value="${csrf}">
<fieldset><legend>Decision</legend>
<div class="check"><input type="radio" id="grant-${appeal.id}" name="decision" value="grant" required><label for="grant-${appeal.id}">Grant: revert every applied action of this incident</label></div>
<div class="check"><input type="radio" id="deny-${appeal.id}" name="decision" value="deny"><label for="deny-${appeal.id}">Deny</label></div>
</fieldset>
${reasonField(`appeal-${appeal.id}-reason`)}
<p class="meta">A grant that would lift a block two maintainers applied waits for a second maintainer to confirm it.</p>
<button type="submit">Decide</button>
</form>`
			: html`<p>Decided by ${plain(appeal.decidedBy ?? '', 80)}: ${plain(appeal.decisionReason ?? '', 2000)}</p>`
}
</article>`;
	})}`;
}
