/**
 * The incident service's contract (D22): reports come in, group into incidents, and
 * maintainers move incidents through their states and take reversible actions on the registry.
 * The HTTP API, the web pages and the maintainers' tooling all drive incidents through this one
 * interface, so each rule (dual control, the undo window, the automatic quarantine, appeals)
 * lives in one module behind it.
 */
import type { ReportReceipt, ReportStatus } from '@vouch/library/internal/report/report-schema';
import type { IncidentState } from '../db/schema.ts';
import type { Actor } from '../store/actor.ts';

export type { IncidentState };

export const INCIDENT_STATES: readonly IncidentState[] = [
	'received',
	'investigating',
	'confirmed',
	'dismissed',
	'appealed',
	'resolved',
];

export type IncidentGrouping = 'plugin' | 'version' | 'author';

export type ActionKind = 'soft_quarantine' | 'hard_blacklist' | 'version_block' | 'author_block';
export const ACTION_KINDS: readonly ActionKind[] = [
	'soft_quarantine',
	'hard_blacklist',
	'version_block',
	'author_block',
];

export type ActionState =
	| 'awaiting_approval'
	| 'applied'
	| 'reverted'
	| 'undone'
	| 'expired'
	| 'refused';

/** What a lift request would do: revert or undo one action, or grant an appeal. */
export type LiftKind = 'revert' | 'undo' | 'appeal';
export type LiftState = 'pending' | 'approved' | 'refused' | 'closed';

/**
 * What a revert or an undo did: the entry is gone (`reverted`, `undone`), a request that was
 * never applied is `refused`, or the block was applied under dual control and stays until a
 * second maintainer approves the lift (`lift_requested`, with the request's id).
 */
export type ReversalOutcome =
	| { state: 'reverted' | 'undone' | 'refused' }
	| { state: 'lift_requested'; liftId: number };

/** What deciding an appeal did; a grant that would lift a dual-controlled block waits. */
export type AppealOutcome =
	| { state: 'granted' | 'denied' }
	| { state: 'grant_pending'; liftId: number };

/** What approving a lift request did. */
export interface LiftApproval {
	liftId: number;
	state: 'approved';
	/** `reverted` or `undone` (an action), `granted` (an appeal). */
	outcome: 'reverted' | 'undone' | 'granted';
	actionId?: number;
	appealId?: number;
}

/** What an action blocks; which fields apply depends on the kind. */
export interface ActionParams {
	/** Registry id of the plugin (soft quarantine, hard blacklist, version block). */
	pluginId?: string;
	/** A semver range (version block). */
	versions?: string;
	/** A full commit hash (version block). */
	commit?: string;
	/** The repository owner's URL prefix, e.g. `https://github.com/someone/` (author block). */
	ownerUrl?: string;
	/** Shown to users beside the block. */
	advice?: string;
	/**
	 * The plugin as it was when the action was requested (uuid lowercase, canonical URL), set
	 * by the service, never taken from the request: what a second maintainer approves.
	 */
	target?: { uuid: string; url: string };
}

/** Who files a report: an account (a trusted reporter, maintainer or admin) or nobody. */
export interface Reporter {
	account?: { id: number; name: string; role: string };
	/** The client's address, reduced to a keyed hash before it is stored. */
	clientAddress: string;
}

export interface IncidentService {
	/** Validates (the library's `reportRequestSchema`), stores, groups, and may quarantine. */
	submitReport(body: unknown, reporter: Reporter): Promise<ReportReceipt>;
	/** What a reporter learns through the token; NOT_FOUND for an unknown token. */
	reportStatus(token: string): Promise<ReportStatus>;
	/** Opens an incident without a report (a maintainer's own finding, or `registry hunt`). */
	openIncident(
		input: {
			grouping: IncidentGrouping;
			pluginIds: string[];
			ownerUrl?: string;
			title: string;
			reason: string;
			evidence?: unknown[];
		},
		actor: Actor,
	): Promise<{ id: number }>;
	/** Moves an incident; refuses a move its state machine does not allow (BAD_REQUEST). */
	transition(incidentId: number, to: IncidentState, actor: Actor, reason: string): Promise<void>;
	/**
	 * Takes an action. Applied at once, or `awaiting_approval` when dual control applies (a
	 * hard block of an official or trusted plugin, an author block or pattern, a mass action).
	 */
	requestAction(
		incidentId: number,
		kind: ActionKind,
		params: ActionParams,
		actor: Actor,
		reason: string,
	): Promise<{ actionId: number; state: ActionState }>;
	/** A second, different maintainer approves; the requester cannot (FORBIDDEN). */
	approveAction(actionId: number, actor: Actor, reason: string): Promise<void>;
	/**
	 * Reverses an applied action: its blacklist entry is removed, with a reason. An action
	 * applied under dual control is not removed: a lift request waits for a second maintainer.
	 */
	revertAction(actionId: number, actor: Actor, reason: string): Promise<ReversalOutcome>;
	/**
	 * Within the undo window of a mass action only (10 minutes, counted to the request). Every
	 * mass action is dual-controlled, so an undo is a lift request.
	 */
	undoAction(actionId: number, actor: Actor, reason: string): Promise<ReversalOutcome>;
	/** A second maintainer (not the one who asked) approves a lift request; only then it lifts. */
	approveLift(liftId: number, actor: Actor, reason: string): Promise<LiftApproval>;
	/** Refuses a lift request: the block stays (an appeal whose grant waited stays open). */
	refuseLift(
		liftId: number,
		actor: Actor,
		reason: string,
	): Promise<{ liftId: number; state: 'refused' }>;
	/** An author answers an action; returns the appeal token, shown once. */
	fileAppeal(
		incidentId: number,
		statement: string,
		contact: string | undefined,
		clientAddress: string,
	): Promise<{ appealId: number; token: string }>;
	/**
	 * Granting reverts every applied action of the incident in one step and resolves it; when
	 * one of them was applied under dual control, the grant waits for a second maintainer.
	 */
	decideAppeal(
		appealId: number,
		grant: boolean,
		actor: Actor,
		reason: string,
	): Promise<AppealOutcome>;
	/** Lapses automatic quarantines past their 72 hours that no maintainer confirmed. */
	sweep(): Promise<{ expired: number }>;
}
