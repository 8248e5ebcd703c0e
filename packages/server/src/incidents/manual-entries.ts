/**
 * A blacklist entry added by hand (the admin API's `POST /blacklist`, the blacklist page) does
 * not go around dual control (D22). One maintainer adds it, and one maintainer could remove it:
 * so it may not be what an incident applies only with a second maintainer's approval, an org
 * pattern (`url_regex`, an author block is the incident's way to it) or a hard entry that blocks
 * an official or trusted plugin (now, or once: `trust-history.ts`), a version range included.
 * Those are requested on an incident, where they wait for a second maintainer. A soft entry on
 * a uuid or a URL stays one maintainer's to add, as a soft quarantine is.
 *
 * The plugins an entry blocks are judged by the library's matcher and canonical URLs, on the
 * document the entry is written to; the record of plugins once protected is read in the
 * edit's own transaction, which holds the document row, so a trust lowered just before is seen.
 */
import { compileBlacklist } from '@vouch/library/internal/blacklist/compile';
import type { BlacklistEntry } from '@vouch/library/internal/blacklist/entry';
import { pickUrlContext, tryCanonicalUrl } from '@vouch/library/internal/core/canonical-url';
import { sanitizeText } from '@vouch/library/internal/core/sanitize';
import { isCanonicalUuid, normaliseUuid } from '@vouch/library/internal/core/uuid';
import type { EditContext, EditPlan } from '@vouch/library/internal/registry/edit/plan';
import { serverError } from '../errors.ts';
import type { EditAlongside } from '../store/registry-store.ts';
import {
	identityOf,
	isProtectedTrust,
	type PluginIdentity,
	wasProtected,
} from './trust-history.ts';

function needsIncident(what: string) {
	return serverError('FORBIDDEN', `${what} needs a second maintainer.`, {
		hint: 'Open an incident and request the block there (hard_blacklist, version_block or author_block): it waits for a second maintainer (dual control).',
	});
}

/** The guard of one manual add: `plan` checks the plan, `alongside` the record, in the edit. */
export interface ManualEntryGuard {
	plan(context: EditContext, plan: EditPlan): EditPlan;
	alongside: EditAlongside;
}

export function manualEntryGuard(): ManualEntryGuard {
	let identities: PluginIdentity[] = [];
	return {
		plan(context, plan) {
			// Reset on every attempt: the store plans again after a conflict.
			identities = [];
			for (const op of plan.ops) {
				if (op.op !== 'add-blacklist') continue;
				const entry = op.entry;
				if (entry.url_regex !== undefined) throw needsIncident('A pattern (url_regex) entry');
				// Anything but an explicit `soft` is hard, as clients read it (D4).
				if (entry.severity === 'soft') continue;
				const uuid =
					typeof entry.uuid === 'string' && isCanonicalUuid(entry.uuid)
						? normaliseUuid(entry.uuid)
						: undefined;
				const url =
					typeof entry.url === 'string'
						? tryCanonicalUrl(entry.url, context.urlContext)
						: undefined;
				const matcher = compileBlacklist(
					[
						{
							index: 0,
							severity: 'hard',
							...(uuid === undefined ? {} : { uuid }),
							...(typeof entry.url === 'string' ? { url: entry.url } : {}),
						} satisfies BlacklistEntry,
					],
					pickUrlContext(context.urlContext ?? {}),
				);
				const blocked = context.registry.plugins.filter(
					(plugin) => matcher.check({ uuid: plugin.uuid, url: plugin.gitUrl }).blocked,
				);
				const official = blocked.find(isProtectedTrust);
				if (official !== undefined) {
					throw needsIncident(
						`A hard entry blocking ${sanitizeText(official.id, { maxLength: 200 })} (${official.trustLevel})`,
					);
				}
				identities.push(...blocked.map(identityOf), {
					...(uuid === undefined ? {} : { uuid }),
					...(url === undefined ? {} : { url }),
				});
			}
			return plan;
		},
		async alongside(trx) {
			if (await wasProtected(trx, identities)) {
				throw needsIncident('A hard entry blocking a plugin that was official or trusted');
			}
		},
	};
}
