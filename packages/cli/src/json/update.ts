/** `vouch update --json`, `vouch switch-ref --json` and `vouch check-updates --json`. */
import * as z from 'zod';
import { ok, pluginName, uuid } from './common.ts';

const reason = z.string().describe('Why, sanitised.');

const updated = z.object({
	uuid,
	name: pluginName,
	status: z.literal('updated'),
	from: z.string().describe('The version before, as `ref @commit`.'),
	to: z.string().describe('The version after, as `ref @commit`.'),
	ref: z.string().nullable().describe('The branch or tag now installed; null for a commit pin.'),
	commit: z.string().nullable().describe('The full commit id now installed.'),
	version: z.string().nullable().describe("The installed version (the tag's, when tagged)."),
});

const unchanged = z.object({
	uuid,
	name: pluginName,
	status: z.enum(['up-to-date', 'pinned', 'reloaded', 'skipped', 'blocked']),
	reason,
});

const failed = z.object({
	uuid,
	name: pluginName,
	status: z.literal('failed'),
	code: z.string().describe('The error code, as in the error document.'),
	reason,
	details: z.record(z.string(), z.unknown()).optional(),
});

/** What happened to one plugin in an update or a switch of ref. */
export const updateOutcome = z.union([updated, unchanged, failed]);

export type UpdateOutcomeJson = z.infer<typeof updateOutcome>;

export const updateDocument = z
	.object({
		ok: ok.describe('False when any plugin failed (exit 1).'),
		results: z.array(updateOutcome),
	})
	.meta({ title: 'vouch update --json' });

export const switchRefDocument = z
	.union([updated.extend({ ok }), unchanged.extend({ ok })])
	.meta({ title: 'vouch switch-ref --json' });

export const updateCheck = z.union([
	z.object({
		uuid,
		name: pluginName,
		status: z.literal('available'),
		from: z.string(),
		to: z.string(),
		commit: z.string().describe('The full commit id an update would install.'),
	}),
	z.object({
		uuid,
		name: pluginName,
		status: z.enum(['up-to-date', 'pinned', 'skipped', 'blocked']),
		reason,
	}),
	z.object({ uuid, name: pluginName, status: z.literal('failed'), code: z.string(), reason }),
]);

export const checkUpdatesDocument = z
	.object({ ok, plugins: z.array(updateCheck) })
	.meta({ title: 'vouch check-updates --json' });

export type UpdateJson = z.infer<typeof updateDocument>;
export type SwitchRefJson = z.infer<typeof switchRefDocument>;
export type CheckUpdatesJson = z.infer<typeof checkUpdatesDocument>;
