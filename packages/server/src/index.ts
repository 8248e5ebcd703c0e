/** The registry service's public surface. */

export { type Account, type Accounts, createAccounts } from './admin/accounts.ts';
export type { EngineKind } from './db/engine-kind.ts';
export { type DatabaseOptions, openServiceDb, type ServiceDb } from './db/open.ts';
export type { ServerErrorCode } from './errors.ts';
export type { Publisher } from './http/admin-edits.ts';
export { type AppDeps, type AppLimits, createApp } from './http/app.ts';
export { renderErrorPage } from './http/error-page.ts';
export { type PublicError, publicError } from './http/error-status.ts';
export { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from './http/security-headers.ts';
export {
	isLoopbackHost,
	type RunningService,
	type ServiceOptions,
	type ServicePublisher,
	startService,
} from './service.ts';
export type { Actor, Role } from './store/actor.ts';
export { createRegistryStore, type RegistryStore } from './store/registry-store.ts';
