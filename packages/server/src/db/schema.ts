/**
 * The service's tables, as Kysely sees them. The registry itself is stored as its document
 * (`registry_document`: the `plugins.toml` text, so import and export are lossless to the
 * byte), with `plugins` and `blacklist` as projections of it that search and pages read. Every
 * edit writes the document and its projections in one transaction, guarded by the document's
 * revision. Times are ISO 8601 text and booleans are 0/1 integers, so the same queries run on
 * SQLite and PostgreSQL.
 */
import type { Generated } from 'kysely';

export interface RegistryDocumentTable {
	/** Always 1: there is one registry. */
	id: number;
	/** The registry file as maintainers edit it (TOML). */
	text: string;
	sha256: string;
	/** Incremented by every edit; the optimistic lock of concurrent writers. */
	revision: number;
	updated_at: string;
}

export interface PluginRowTable {
	id: string;
	/** Position in the document's `plugins` array, for stable export order. */
	position: number;
	uuid: string;
	name: string;
	trust: string;
	/** 0 unregistered … 3 official, for sorting and `trust >=` filters. */
	trust_rank: number;
	/** `,cat1,cat2,`: a LIKE '%,cat,%' finds one category on both engines. */
	categories: string;
	description: string;
	git_url: string;
	authors: string;
	/** Lower-cased id, name, description and authors: what search matches. */
	search_text: string;
	/** The plugin's table from the document, as JSON. */
	entry_json: string;
	updated_at: string;
}

export interface BlacklistRowTable {
	/** The stable `bl-…` id of the maintainers' tooling. */
	id: string;
	position: number;
	/** `uuid`, `url`, `url_regex`, or a combination joined by `+`. */
	kind: string;
	/** The entry's main value: its URL, UUID or pattern. */
	value: string;
	reason: string;
	severity: string;
	entry_json: string;
	added_at: string;
}

/** One row per registry change: the journal record the log entry is made from (D28). */
export interface ChangeTable {
	seq: Generated<number>;
	action: string;
	subject: string;
	reason: string;
	/** The maintainer's display name or token name, kept beside the log's key-id actor. */
	actor_name: string;
	/** The actor's key id in the log (SHA-256 hex), when it has one. */
	actor_key: string | null;
	report: string | null;
	sha256_before: string;
	sha256_after: string;
	revision: number;
	created_at: string;
	/** The publish that carried it to clients; null until then. */
	publish_id: number | null;
}

export interface PublishTable {
	id: Generated<number>;
	/** The lease epoch of the publisher that committed it (fencing). */
	lease_epoch: number;
	holder: string;
	/** The registry revision published. */
	revision: number;
	targets_version: number;
	timestamp_version: number;
	log_size: number;
	started_at: string;
	completed_at: string;
}

/** The signed repository (TUF metadata, targets, log tiles and checkpoint), served from here. */
export interface RepoFileTable {
	/** Relative to the repository root: `timestamp.json`, `3.snapshot.json`, `log/tile/0/000`. */
	path: string;
	bytes: Uint8Array;
	sha256: string;
	/** 1 when the file never changes once written (consistent-snapshot names, full tiles). */
	immutable: number;
	publish_id: number;
	updated_at: string;
}

/** The single-publisher lease: one row per lease name. */
export interface LeaseTable {
	name: string;
	holder: string;
	/** Grows each time the lease changes hands; a publish commits only under its own epoch. */
	epoch: number;
	expires_at: string;
}

export interface AccountTable {
	id: Generated<number>;
	name: string;
	role: string;
	/** scrypt hash of the sign-in password, or null for token-only accounts. */
	password_hash: string | null;
	created_at: string;
	disabled: number;
}

export interface ApiTokenTable {
	/** SHA-256 of the token; the token itself is shown once and never stored. */
	token_hash: string;
	account_id: number;
	label: string;
	created_at: string;
	expires_at: string | null;
	revoked: number;
}

export interface SessionTable {
	/** SHA-256 of the session cookie's value. */
	session_hash: string;
	account_id: number;
	/** The form token bound to this session. */
	csrf_token: string;
	created_at: string;
	expires_at: string;
}

/** Scan reports (the scanner's document, `vouch registry review` form) published beside the registry as TUF targets, and read by plugin pages. */
export interface ScanReportTable {
	plugin_id: string;
	commit_sha: string;
	ref_name: string;
	report_json: string;
	created_at: string;
}

/** How far the git workflow got, per followed or exported repository (`src/sync/`). */
export interface SyncStateTable {
	/** `follow <url> <ref> <path>` or `export <target> <branch> <path>`. */
	name: string;
	/** The commit last imported (follow) or written (export). */
	commit_sha: string | null;
	/** The last change record an export listed. */
	change_seq: number | null;
	updated_at: string;
}

/** Where an incident stands (D22). */
export type IncidentState =
	| 'received'
	| 'investigating'
	| 'confirmed'
	| 'dismissed'
	| 'appealed'
	| 'resolved';

/** Reports about one plugin, one version of it, or one repository owner, handled together. */
export interface IncidentTable {
	id: Generated<number>;
	/** `plugin`, `version` or `author`. */
	grouping: string;
	/** Registry id for `plugin`; `<id>@<version or commit>` for `version`; the owner's canonical URL prefix for `author`. */
	group_key: string;
	plugin_id: string | null;
	title: string;
	state: IncidentState;
	/** The decided block's severity, `hard` or `soft`, once there is one. */
	severity: string | null;
	/** What users should do, shown beside the block (`rotate the tokens …`). */
	advice: string | null;
	opened_at: string;
	updated_at: string;
	/** First move out of `received`. */
	triaged_at: string | null;
	/** Confirmed or dismissed. */
	decided_at: string | null;
	/** The publish that first carried the decision's registry edit. */
	published_at: string | null;
	resolved_at: string | null;
}

export interface ReportTable {
	id: Generated<number>;
	/** SHA-256 of the reporter token; the token itself is shown once. */
	token_hash: string;
	incident_id: number;
	plugin_id: string | null;
	plugin_uuid: string | null;
	plugin_url: string | null;
	ref_name: string | null;
	commit_sha: string | null;
	tree_digest: string | null;
	trust: string | null;
	host_profile: string | null;
	host_version: string | null;
	/** One of the library's `REPORT_KINDS`. */
	kind: string;
	details: string;
	/** JSON array of the library's evidence items. */
	evidence_json: string;
	/** Set when the report came with a token of a `reporter`, `maintainer` or `admin` account. */
	reporter_account_id: number | null;
	reporter_name: string | null;
	/** 1 for anonymous reports, 3 for trusted reporters: what the automatic quarantine counts. */
	weight: number;
	/** A keyed hash of the client's address group, for spam limits; never the address itself. */
	client_key: string;
	created_at: string;
}

export interface IncidentEventTable {
	id: Generated<number>;
	incident_id: number;
	at: string;
	actor_name: string;
	/** `report`, `state`, `action`, `approval`, `revert`, `undo`, `expiry`, `appeal`, `lift`, `note`. */
	kind: string;
	from_state: string | null;
	to_state: string | null;
	reason: string;
	/** The `changes` row that put this step in the transparency log. */
	change_seq: number | null;
	details_json: string;
}

export interface IncidentActionTable {
	id: Generated<number>;
	incident_id: number;
	/** `soft_quarantine`, `hard_blacklist`, `version_block` or `author_block`. */
	kind: string;
	params_json: string;
	reason: string;
	/** `awaiting_approval`, `applied`, `reverted`, `undone`, `expired` or `refused`. */
	state: string;
	/** 1 when the service took it on its own (the automatic soft quarantine). */
	automatic: number;
	/** 1 for a mass action (an author block, a pattern): dual control and an undo window. */
	mass: number;
	requested_by: string;
	approved_by: string | null;
	requested_at: string;
	applied_at: string | null;
	reverted_at: string | null;
	/** The `bl-…` id of the blacklist entry it added. */
	blacklist_entry_id: string | null;
	change_seq: number | null;
	/** The automatic quarantine lapses then unless a maintainer confirms it. */
	expires_at: string | null;
	/** A mass action may be undone until then. */
	undo_until: string | null;
}

export interface AppealTable {
	id: Generated<number>;
	incident_id: number;
	token_hash: string;
	statement: string;
	contact: string | null;
	/** `open`, `granted` or `denied`. */
	state: string;
	created_at: string;
	decided_at: string | null;
	decided_by: string | null;
	decision_reason: string | null;
}

/** A request to lift a block applied under dual control (D22), until a second maintainer decides. */
export interface LiftRequestTable {
	id: Generated<number>;
	incident_id: number;
	/** The action a `revert` or `undo` lifts; null for an `appeal`. */
	action_id: number | null;
	/** The appeal whose grant waits; null for a `revert` or `undo`. */
	appeal_id: number | null;
	/** `revert`, `undo` or `appeal`. */
	kind: string;
	/** `pending`, `approved`, `refused`, or `closed` (what it would lift was lifted otherwise). */
	state: string;
	/** `action:<id>` or `appeal:<id>` while pending, else null: one pending request each. */
	pending_key: string | null;
	reason: string;
	requested_by: string;
	requested_at: string;
	decided_by: string | null;
	decided_at: string | null;
	decision_reason: string | null;
}

/**
 * A plugin that was official or trusted, by each identity it was listed under (D22): its
 * `id:<id>`, `uuid:<uuid>` and `url:<canonical URL>`, recorded by the write that lowered,
 * removed or re-identified it, and never removed (`incidents/trust-history.ts`).
 */
export interface ProtectedPluginTable {
	key: string;
	recorded_at: string;
}

export interface ServiceDatabase {
	registry_document: RegistryDocumentTable;
	plugins: PluginRowTable;
	blacklist: BlacklistRowTable;
	changes: ChangeTable;
	publishes: PublishTable;
	repo_files: RepoFileTable;
	leases: LeaseTable;
	accounts: AccountTable;
	api_tokens: ApiTokenTable;
	sessions: SessionTable;
	scan_reports: ScanReportTable;
	sync_state: SyncStateTable;
	incidents: IncidentTable;
	reports: ReportTable;
	incident_events: IncidentEventTable;
	incident_actions: IncidentActionTable;
	appeals: AppealTable;
	lift_requests: LiftRequestTable;
	protected_plugins: ProtectedPluginTable;
}
