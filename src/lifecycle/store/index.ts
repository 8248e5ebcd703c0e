/** Local state of installed plugins: the store, its lock and journal, digests and directories. */
export {
	compareTrees,
	DEFAULT_DIGEST_LIMITS,
	digestTree,
	type TreeChanges,
	type TreeDigest,
} from './digest.ts';
export { type StoreErrorCode, storeError } from './errors.ts';
export type { RecoveryAction } from './journal.ts';
export {
	type CapabilityConsent,
	emptyState,
	type InstalledPlugin,
	type RefType,
	type StoreState,
} from './model.ts';
export {
	assertStrictSubdirectory,
	BACKUP_DIR,
	createPluginFiles,
	type PlaceRequest,
	type PluginFiles,
	removeDirectoryOrLink,
	STAGING_DIR,
} from './plugin-files.ts';
export {
	MAX_STATE_BYTES,
	openStore,
	type PluginStore,
	STATE_FILE,
	type TransactionContext,
} from './store.ts';
