/**
 * The one ordered list of migrations, for both engines. Each is written with Kysely's schema
 * builder, so the SQL is portable; the only engine-specific spellings are the two column types
 * of `engine-kind.ts`. Migrations are never edited once released: a change is a new entry.
 */
import type { Kysely, Migration } from 'kysely';
import { binaryType, type EngineKind, serialType } from './engine-kind.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists.
type AnyDb = Kysely<any>;

function serialKey(engine: EngineKind) {
	return (column: import('kysely').ColumnDefinitionBuilder) =>
		engine === 'sqlite' ? column.primaryKey().autoIncrement() : column.primaryKey();
}

function initial(engine: EngineKind): Migration {
	return {
		async up(db: AnyDb) {
			await db.schema
				.createTable('registry_document')
				.addColumn('id', 'integer', (c) => c.primaryKey())
				.addColumn('text', 'text', (c) => c.notNull())
				.addColumn('sha256', 'text', (c) => c.notNull())
				.addColumn('revision', 'integer', (c) => c.notNull())
				.addColumn('updated_at', 'text', (c) => c.notNull())
				.execute();
			await db.schema
				.createTable('plugins')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('position', 'integer', (c) => c.notNull())
				.addColumn('uuid', 'text', (c) => c.notNull())
				.addColumn('name', 'text', (c) => c.notNull())
				.addColumn('trust', 'text', (c) => c.notNull())
				.addColumn('trust_rank', 'integer', (c) => c.notNull())
				.addColumn('categories', 'text', (c) => c.notNull())
				.addColumn('description', 'text', (c) => c.notNull())
				.addColumn('git_url', 'text', (c) => c.notNull())
				.addColumn('authors', 'text', (c) => c.notNull())
				.addColumn('search_text', 'text', (c) => c.notNull())
				.addColumn('entry_json', 'text', (c) => c.notNull())
				.addColumn('updated_at', 'text', (c) => c.notNull())
				.execute();
			await db.schema.createIndex('plugins_position').on('plugins').column('position').execute();
			await db.schema
				.createIndex('plugins_trust')
				.on('plugins')
				.columns(['trust_rank', 'name'])
				.execute();
			await db.schema.createIndex('plugins_name').on('plugins').column('name').execute();
			await db.schema
				.createTable('blacklist')
				// Two identical entries share a content-derived id, so the position is the key.
				.addColumn('position', 'integer', (c) => c.primaryKey())
				.addColumn('id', 'text', (c) => c.notNull())
				.addColumn('kind', 'text', (c) => c.notNull())
				.addColumn('value', 'text', (c) => c.notNull())
				.addColumn('reason', 'text', (c) => c.notNull())
				.addColumn('severity', 'text', (c) => c.notNull())
				.addColumn('entry_json', 'text', (c) => c.notNull())
				.addColumn('added_at', 'text', (c) => c.notNull())
				.execute();
			await db.schema.createIndex('blacklist_id').on('blacklist').column('id').execute();
			await db.schema
				.createTable('changes')
				.addColumn('seq', serialType(engine), serialKey(engine))
				.addColumn('action', 'text', (c) => c.notNull())
				.addColumn('subject', 'text', (c) => c.notNull())
				.addColumn('reason', 'text', (c) => c.notNull())
				.addColumn('actor_name', 'text', (c) => c.notNull())
				.addColumn('actor_key', 'text')
				.addColumn('report', 'text')
				.addColumn('sha256_before', 'text', (c) => c.notNull())
				.addColumn('sha256_after', 'text', (c) => c.notNull())
				.addColumn('revision', 'integer', (c) => c.notNull())
				.addColumn('created_at', 'text', (c) => c.notNull())
				.addColumn('publish_id', 'integer')
				.execute();
			await db.schema
				.createIndex('changes_unpublished')
				.on('changes')
				.columns(['publish_id', 'seq'])
				.execute();
			await db.schema
				.createTable('publishes')
				.addColumn('id', serialType(engine), serialKey(engine))
				.addColumn('lease_epoch', 'integer', (c) => c.notNull())
				.addColumn('holder', 'text', (c) => c.notNull())
				.addColumn('revision', 'integer', (c) => c.notNull())
				.addColumn('targets_version', 'integer', (c) => c.notNull().unique())
				.addColumn('timestamp_version', 'integer', (c) => c.notNull().unique())
				.addColumn('log_size', 'integer', (c) => c.notNull())
				.addColumn('started_at', 'text', (c) => c.notNull())
				.addColumn('completed_at', 'text', (c) => c.notNull())
				.execute();
			await db.schema
				.createTable('repo_files')
				.addColumn('path', 'text', (c) => c.primaryKey())
				.addColumn('bytes', binaryType(engine), (c) => c.notNull())
				.addColumn('sha256', 'text', (c) => c.notNull())
				.addColumn('immutable', 'integer', (c) => c.notNull())
				.addColumn('publish_id', 'integer', (c) => c.notNull())
				.addColumn('updated_at', 'text', (c) => c.notNull())
				.execute();
			await db.schema
				.createTable('leases')
				.addColumn('name', 'text', (c) => c.primaryKey())
				.addColumn('holder', 'text', (c) => c.notNull())
				.addColumn('epoch', 'integer', (c) => c.notNull())
				.addColumn('expires_at', 'text', (c) => c.notNull())
				.execute();
			await db.schema
				.createTable('accounts')
				.addColumn('id', serialType(engine), serialKey(engine))
				.addColumn('name', 'text', (c) => c.notNull().unique())
				.addColumn('role', 'text', (c) => c.notNull())
				.addColumn('password_hash', 'text')
				.addColumn('created_at', 'text', (c) => c.notNull())
				.addColumn('disabled', 'integer', (c) => c.notNull())
				.execute();
			await db.schema
				.createTable('api_tokens')
				.addColumn('token_hash', 'text', (c) => c.primaryKey())
				.addColumn('account_id', 'integer', (c) => c.notNull())
				.addColumn('label', 'text', (c) => c.notNull())
				.addColumn('created_at', 'text', (c) => c.notNull())
				.addColumn('expires_at', 'text')
				.addColumn('revoked', 'integer', (c) => c.notNull())
				.execute();
			await db.schema
				.createTable('sessions')
				.addColumn('session_hash', 'text', (c) => c.primaryKey())
				.addColumn('account_id', 'integer', (c) => c.notNull())
				.addColumn('csrf_token', 'text', (c) => c.notNull())
				.addColumn('created_at', 'text', (c) => c.notNull())
				.addColumn('expires_at', 'text', (c) => c.notNull())
				.execute();
			await db.schema
				.createTable('scan_reports')
				.addColumn('plugin_id', 'text', (c) => c.notNull())
				.addColumn('commit_sha', 'text', (c) => c.notNull())
				.addColumn('ref_name', 'text', (c) => c.notNull())
				.addColumn('report_json', 'text', (c) => c.notNull())
				.addColumn('created_at', 'text', (c) => c.notNull())
				.addPrimaryKeyConstraint('scan_reports_pk', ['plugin_id', 'commit_sha'])
				.execute();
		},
	};
}

/**
 * Where the registry's git workflow got to: the commit last imported from a followed
 * repository, or the last change record exported to one, so a restart resumes instead of
 * importing or listing everything again.
 */
function syncState(): Migration {
	return {
		async up(db: AnyDb) {
			await db.schema
				.createTable('sync_state')
				.addColumn('name', 'text', (c) => c.primaryKey())
				.addColumn('commit_sha', 'text')
				.addColumn('change_seq', 'integer')
				.addColumn('updated_at', 'text', (c) => c.notNull())
				.execute();
		},
	};
}

/**
 * Community reporting and incident response (D22): reports group into incidents; every step of
 * an incident is an event (who, when, why, and the change row that carried it to the log);
 * actions are the reversible registry edits an incident makes, with their approvals; appeals
 * are an author's answer to an action.
 */
function incidents(engine: EngineKind): Migration {
	return {
		async up(db: AnyDb) {
			await db.schema
				.createTable('incidents')
				.addColumn('id', serialType(engine), serialKey(engine))
				.addColumn('grouping', 'text', (c) => c.notNull())
				.addColumn('group_key', 'text', (c) => c.notNull())
				.addColumn('plugin_id', 'text')
				.addColumn('title', 'text', (c) => c.notNull())
				.addColumn('state', 'text', (c) => c.notNull())
				.addColumn('severity', 'text')
				.addColumn('advice', 'text')
				.addColumn('opened_at', 'text', (c) => c.notNull())
				.addColumn('updated_at', 'text', (c) => c.notNull())
				.addColumn('triaged_at', 'text')
				.addColumn('decided_at', 'text')
				.addColumn('published_at', 'text')
				.addColumn('resolved_at', 'text')
				.execute();
			await db.schema
				.createIndex('incidents_group')
				.on('incidents')
				.columns(['group_key', 'state'])
				.execute();
			await db.schema
				.createIndex('incidents_plugin')
				.on('incidents')
				.columns(['plugin_id', 'id'])
				.execute();
			await db.schema
				.createTable('reports')
				.addColumn('id', serialType(engine), serialKey(engine))
				.addColumn('token_hash', 'text', (c) => c.notNull().unique())
				.addColumn('incident_id', 'integer', (c) => c.notNull())
				.addColumn('plugin_id', 'text')
				.addColumn('plugin_uuid', 'text')
				.addColumn('plugin_url', 'text')
				.addColumn('ref_name', 'text')
				.addColumn('commit_sha', 'text')
				.addColumn('tree_digest', 'text')
				.addColumn('trust', 'text')
				.addColumn('host_profile', 'text')
				.addColumn('host_version', 'text')
				.addColumn('kind', 'text', (c) => c.notNull())
				.addColumn('details', 'text', (c) => c.notNull())
				.addColumn('evidence_json', 'text', (c) => c.notNull())
				.addColumn('reporter_account_id', 'integer')
				.addColumn('reporter_name', 'text')
				.addColumn('weight', 'integer', (c) => c.notNull())
				.addColumn('client_key', 'text', (c) => c.notNull())
				.addColumn('created_at', 'text', (c) => c.notNull())
				.execute();
			await db.schema
				.createIndex('reports_incident')
				.on('reports')
				.columns(['incident_id', 'id'])
				.execute();
			await db.schema
				.createIndex('reports_client')
				.on('reports')
				.columns(['client_key', 'created_at'])
				.execute();
			await db.schema
				.createTable('incident_events')
				.addColumn('id', serialType(engine), serialKey(engine))
				.addColumn('incident_id', 'integer', (c) => c.notNull())
				.addColumn('at', 'text', (c) => c.notNull())
				.addColumn('actor_name', 'text', (c) => c.notNull())
				.addColumn('kind', 'text', (c) => c.notNull())
				.addColumn('from_state', 'text')
				.addColumn('to_state', 'text')
				.addColumn('reason', 'text', (c) => c.notNull())
				.addColumn('change_seq', 'integer')
				.addColumn('details_json', 'text', (c) => c.notNull())
				.execute();
			await db.schema
				.createIndex('incident_events_incident')
				.on('incident_events')
				.columns(['incident_id', 'id'])
				.execute();
			await db.schema
				.createTable('incident_actions')
				.addColumn('id', serialType(engine), serialKey(engine))
				.addColumn('incident_id', 'integer', (c) => c.notNull())
				.addColumn('kind', 'text', (c) => c.notNull())
				.addColumn('params_json', 'text', (c) => c.notNull())
				.addColumn('reason', 'text', (c) => c.notNull())
				.addColumn('state', 'text', (c) => c.notNull())
				.addColumn('automatic', 'integer', (c) => c.notNull())
				.addColumn('mass', 'integer', (c) => c.notNull())
				.addColumn('requested_by', 'text', (c) => c.notNull())
				.addColumn('approved_by', 'text')
				.addColumn('requested_at', 'text', (c) => c.notNull())
				.addColumn('applied_at', 'text')
				.addColumn('reverted_at', 'text')
				.addColumn('blacklist_entry_id', 'text')
				.addColumn('change_seq', 'integer')
				.addColumn('expires_at', 'text')
				.addColumn('undo_until', 'text')
				.execute();
			await db.schema
				.createIndex('incident_actions_incident')
				.on('incident_actions')
				.columns(['incident_id', 'id'])
				.execute();
			await db.schema
				.createIndex('incident_actions_state')
				.on('incident_actions')
				.columns(['state', 'expires_at'])
				.execute();
			await db.schema
				.createTable('appeals')
				.addColumn('id', serialType(engine), serialKey(engine))
				.addColumn('incident_id', 'integer', (c) => c.notNull())
				.addColumn('token_hash', 'text', (c) => c.notNull().unique())
				.addColumn('statement', 'text', (c) => c.notNull())
				.addColumn('contact', 'text')
				.addColumn('state', 'text', (c) => c.notNull())
				.addColumn('created_at', 'text', (c) => c.notNull())
				.addColumn('decided_at', 'text')
				.addColumn('decided_by', 'text')
				.addColumn('decision_reason', 'text')
				.execute();
		},
	};
}

/**
 * Requests to lift a block that two maintainers applied (D22): a revert, an undo or a granted
 * appeal waits here until a second maintainer approves it. `pending_key` (`action:<id>` or
 * `appeal:<id>`) is set only while the request is pending, so the unique index allows one
 * pending request per action or appeal on both engines (NULLs never collide).
 */
function liftRequests(engine: EngineKind): Migration {
	return {
		async up(db: AnyDb) {
			await db.schema
				.createTable('lift_requests')
				.addColumn('id', serialType(engine), serialKey(engine))
				.addColumn('incident_id', 'integer', (c) => c.notNull())
				.addColumn('action_id', 'integer')
				.addColumn('appeal_id', 'integer')
				.addColumn('kind', 'text', (c) => c.notNull())
				.addColumn('state', 'text', (c) => c.notNull())
				.addColumn('pending_key', 'text', (c) => c.unique())
				.addColumn('reason', 'text', (c) => c.notNull())
				.addColumn('requested_by', 'text', (c) => c.notNull())
				.addColumn('requested_at', 'text', (c) => c.notNull())
				.addColumn('decided_by', 'text')
				.addColumn('decided_at', 'text')
				.addColumn('decision_reason', 'text')
				.execute();
			await db.schema
				.createIndex('lift_requests_incident')
				.on('lift_requests')
				.columns(['incident_id', 'id'])
				.execute();
		},
	};
}

/**
 * The plugins dual control keeps protecting after the registry stops listing them as official
 * or trusted (D22, `incidents/trust-history.ts`): one row per identity, never removed.
 */
function protectedPlugins(): Migration {
	return {
		async up(db: AnyDb) {
			await db.schema
				.createTable('protected_plugins')
				.addColumn('key', 'text', (c) => c.primaryKey())
				.addColumn('recorded_at', 'text', (c) => c.notNull())
				.execute();
		},
	};
}

/** Names sort in order; Kysely's migrator applies them in that order and records each. */
export function migrationsFor(engine: EngineKind): Record<string, Migration> {
	return {
		'0001_initial': initial(engine),
		'0002_sync_state': syncState(),
		'0003_incidents': incidents(engine),
		'0004_lift_requests': liftRequests(engine),
		'0005_protected_plugins': protectedPlugins(),
	};
}
