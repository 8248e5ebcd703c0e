/** Vouch for a host in one call: `createVouch`, its options and results, and the error codes. */

export {
	buildReport,
	pluginFacts,
	type ReportHost,
	type ReportInput,
	type ReportSubject,
} from './build-report.ts';
export { explainUnattendedRefusal, type MissingConsent, missingConsent } from './consent.ts';
export { createVouch } from './create-vouch.ts';
export { type HostEnvironment, hostEnvironment, urlContextOf } from './environment.ts';
export { hasCode, type VouchErrorCode } from './error-codes.ts';
export { hostProfileOf, type ProfileChoice } from './profile.ts';
export {
	type LoadedRegistry,
	loadProfileRegistry,
	loadSnapshot,
	type ProfileRegistryRequest,
	registryNotices,
	type SnapshotLoad,
	signedReaderFor,
} from './registry.ts';
export { findReportSubject } from './report.ts';
export { type HostStartupOptions, runStartupCheck } from './startup.ts';
export type * from './types.ts';
export { type PluginWatch, type WatchOptions, watchInstalledPlugins } from './watch.ts';
export {
	createLifecycleGit,
	type LifecycleGit,
	type LocalState,
	openLocalState,
	pluginDataDirs,
	pluginFileIO,
	pluginWorkDeps,
} from './wiring.ts';
