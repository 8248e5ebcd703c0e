/**
 * Which plugins dual control protects (D22), remembered past the registry's word for it now.
 *
 * The rule "a hard block of an official or trusted plugin needs a second maintainer" reads the
 * plugin's trust level, and one maintainer can edit that level. Read from the registry alone,
 * one maintainer could lower a trusted plugin to community, hard-block it alone, and raise it
 * again; or lift alone a block of a plugin since made trusted, after lowering it or removing
 * it from the registry. So every write of the document (a single edit, an incident step or a
 * replacement of the whole registry) records, in its own transaction, each official or trusted
 * plugin of the document before it that the document after it no longer lists as official or
 * trusted with the same id, uuid and canonical URL: its id, uuid and URL go into
 * `protected_plugins`, and are never removed. A plugin is protected when the registry lists it
 * as official or trusted now, or when its id, its uuid or its canonical URL was ever recorded.
 *
 * The record is written by the edit that lowers, removes or re-identifies the plugin, under the
 * document row's lock, so no block can be requested between the change and its record. A
 * plugin lowered for good keeps needing two maintainers for a hard block: the cost of a rule
 * that one maintainer cannot reset. A soft quarantine is never held back by it.
 */
import { normaliseUuid } from '@vouch/library/internal/core/uuid';
import type { Registry, RegistryPlugin } from '@vouch/library/internal/registry/model';
import type { Kysely, Transaction } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';

type Db = Kysely<ServiceDatabase> | Transaction<ServiceDatabase>;

/** The identities a plugin, or an action's request, is known by. */
export interface PluginIdentity {
	id?: string;
	uuid?: string;
	/** The canonical URL. */
	url?: string;
}

export function isProtectedTrust(plugin: RegistryPlugin | undefined): boolean {
	return plugin?.trustLevel === 'official' || plugin?.trustLevel === 'trusted';
}

/** The keys of `protected_plugins` an identity is recorded under: ids compared without case. */
function keysOf(identity: PluginIdentity): string[] {
	const keys: string[] = [];
	if (identity.id !== undefined) keys.push(`id:${identity.id.toLowerCase()}`);
	if (identity.uuid !== undefined) keys.push(`uuid:${normaliseUuid(identity.uuid)}`);
	if (identity.url !== undefined) keys.push(`url:${identity.url}`);
	return keys;
}

export function identityOf(plugin: RegistryPlugin): PluginIdentity {
	return { id: plugin.id, uuid: plugin.uuid, url: plugin.canonicalGitUrl };
}

/** The official or trusted plugins of `before` that `after` does not list as such, unchanged. */
export function protectionLost(before: Registry | undefined, after: Registry): RegistryPlugin[] {
	if (before === undefined) return [];
	const kept = new Set(
		after.plugins
			.filter(isProtectedTrust)
			.map((p) => `${p.id.toLowerCase()} ${normaliseUuid(p.uuid)} ${p.canonicalGitUrl}`),
	);
	return before.plugins.filter(
		(p) =>
			isProtectedTrust(p) &&
			!kept.has(`${p.id.toLowerCase()} ${normaliseUuid(p.uuid)} ${p.canonicalGitUrl}`),
	);
}

/**
 * Records, in the transaction that writes `after`, every plugin whose protection the write
 * would otherwise make the registry forget. Called by the store on every write of the document.
 */
export async function recordLostProtection(
	trx: Transaction<ServiceDatabase>,
	before: () => Registry | undefined,
	after: () => Registry,
	now: string,
): Promise<void> {
	const lost = protectionLost(before(), after());
	const keys = [...new Set(lost.flatMap((plugin) => keysOf(identityOf(plugin))))];
	// Bounded by the plugins the write touches; in slices, for the engines' parameter limits.
	for (let start = 0; start < keys.length; start += 200) {
		await trx
			.insertInto('protected_plugins')
			.values(keys.slice(start, start + 200).map((key) => ({ key, recorded_at: now })))
			.onConflict((oc) => oc.column('key').doNothing())
			.execute();
	}
}

/** Whether any of the identities was ever recorded as official or trusted. */
export async function wasProtected(
	db: Db,
	identities: readonly PluginIdentity[],
): Promise<boolean> {
	const keys = [...new Set(identities.flatMap(keysOf))];
	if (keys.length === 0) return false;
	const row = await db
		.selectFrom('protected_plugins')
		.select('key')
		.where('key', 'in', keys)
		.limit(1)
		.executeTakeFirst();
	return row !== undefined;
}

/** Whether dual control protects the plugin: official or trusted now, or recorded so once. */
export async function isProtectedPlugin(
	db: Db,
	plugin: RegistryPlugin | undefined,
	also: readonly PluginIdentity[] = [],
): Promise<boolean> {
	if (isProtectedTrust(plugin)) return true;
	return wasProtected(db, plugin === undefined ? also : [identityOf(plugin), ...also]);
}
