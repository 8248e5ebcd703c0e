/**
 * The incident service (D22): `createIncidentService` wires each rule's module behind the
 * `IncidentService` contract. Intake (`intake.ts`), grouping (`grouping.ts`), the state machine
 * (`state-machine.ts`, `triage.ts`), actions (`actions.ts`, `blacklist-entry.ts`), dual
 * control (`dual-control.ts`) and lifting under it (`lifts.ts`, `reversals.ts`,
 * `lift-decisions.ts`), the automatic quarantine (`auto-quarantine.ts`), appeals
 * (`appeals.ts`, `appeal-decisions.ts`), the incident log (`incident-log.ts`) and tokens (`tokens.ts`).
 */

import { approveAction, requestAction } from './actions.ts';
import { decideAppeal } from './appeal-decisions.ts';
import { createAppealLimiter, fileAppeal } from './appeals.ts';
import { quarantineOnReports } from './auto-quarantine.ts';
import { DEFAULT_INCIDENT_LIMITS, type IncidentContext, type IncidentServiceDeps } from './deps.ts';
import { acceptReport } from './intake.ts';
import { approveLift, refuseLift } from './lift-decisions.ts';
import { revertAction, undoAction } from './reversals.ts';
import { sweep } from './sweep.ts';
import { openIncident, transition } from './triage.ts';
import type { IncidentService } from './types.ts';
import { reportStatus } from './views.ts';

export type { IncidentServiceDeps } from './deps.ts';

export function createIncidentService(deps: IncidentServiceDeps): IncidentService {
	const context: IncidentContext = {
		...deps,
		limits: { ...DEFAULT_INCIDENT_LIMITS, ...(deps.limits ?? {}) },
	};
	const limitAppeals = createAppealLimiter(context.limits.appealsPerClientDay);
	const examinedScans = new Set<string>();
	return {
		async submitReport(body, reporter) {
			const accepted = await acceptReport(context, body, reporter);
			if (accepted.trusted && accepted.request.kind === 'malware') {
				await quarantineOnReports(context, accepted.receipt.incidentId, accepted.target.plugin);
			}
			return accepted.receipt;
		},
		reportStatus: (token) => reportStatus(context, token),
		openIncident: (input, actor) => openIncident(context, input, actor),
		transition: (incidentId, to, actor, reason) =>
			transition(context, incidentId, to, actor, reason),
		requestAction: (incidentId, kind, params, actor, reason) =>
			requestAction(context, incidentId, kind, params, actor, reason),
		approveAction: (actionId, actor, reason) => approveAction(context, actionId, actor, reason),
		revertAction: (actionId, actor, reason) => revertAction(context, actionId, actor, reason),
		undoAction: (actionId, actor, reason) => undoAction(context, actionId, actor, reason),
		approveLift: (liftId, actor, reason) => approveLift(context, liftId, actor, reason),
		refuseLift: (liftId, actor, reason) => refuseLift(context, liftId, actor, reason),
		fileAppeal: (incidentId, statement, contact, clientAddress) =>
			fileAppeal(context, limitAppeals, incidentId, statement, contact, clientAddress),
		decideAppeal: (appealId, grant, actor, reason) =>
			decideAppeal(context, appealId, grant, actor, reason),
		async sweep() {
			const { expired } = await sweep(context, examinedScans);
			return { expired };
		},
	};
}
