/** The registry service's public surface. */

export type { EngineKind } from './db/engine-kind.ts';
export { type DatabaseOptions, openServiceDb, type ServiceDb } from './db/open.ts';
export type { ServerErrorCode } from './errors.ts';
