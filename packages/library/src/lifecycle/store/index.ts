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
	BACKUP_DIR,
	type Leftover,
	STAGING_DIR,
	stagingName,
	stagingOwner,
} from './leftovers.ts';
export { type LockHolder, readLockHolder } from './lock.ts';
export {
	type CapabilityConsent,
	emptyState,
	type InstalledPlugin,
	type RefType,
	type StoreState,
} from './model.ts';
export {
	assertStrictSubdirectory,
	createPluginFiles,
	type PlaceRequest,
	type PluginFiles,
	removeDirectoryOrLink,
} from './plugin-files.ts';
export {
	MAX_STATE_BYTES,
	openStore,
	type PluginStore,
	STATE_FILE,
	type TransactionContext,
} from './store.ts';
export {
	createTreeFiles,
	DEFAULT_TREE_FILE_LIMITS,
	type TreeFile,
	type TreeFileLimits,
	type TreeFiles,
} from './tree-files.ts';
