/**
 * The incident API's request bodies and queries: strict (an unknown key is a 400) and bounded.
 * The report body itself is the library's `reportRequestSchema`, read by the service.
 */
import { z } from 'zod';
import { ACTION_KINDS, INCIDENT_STATES } from '../incidents/types.ts';

const reason = z.string().min(1).max(2000);

export const incidentListQuery = z
	.object({
		state: z.enum(INCIDENT_STATES as [string, ...string[]]).optional(),
		plugin: z
			.string()
			.max(200)
			.regex(/^[A-Za-z0-9._-]+$/)
			.optional(),
		page: z.coerce.number().int().min(1).max(100_000).optional(),
		per_page: z.coerce.number().int().min(1).max(100).optional(),
	})
	.strict();

export const appealBody = z
	.object({
		statement: z.string().min(1).max(4000),
		contact: z.string().max(200).optional(),
	})
	.strict();

export const openIncidentBody = z
	.object({
		grouping: z.enum(['plugin', 'version', 'author']),
		pluginIds: z.array(z.string().min(1).max(200)).max(100).default([]),
		ownerUrl: z.string().max(2048).optional(),
		title: z.string().min(1).max(300),
		reason,
		evidence: z.array(z.unknown()).max(50).optional(),
	})
	.strict();

export const transitionBody = z
	.object({ to: z.enum(INCIDENT_STATES as [string, ...string[]]), reason })
	.strict();

export const actionBody = z
	.object({
		kind: z.enum(ACTION_KINDS as [string, ...string[]]),
		params: z
			.object({
				pluginId: z.string().min(1).max(200).optional(),
				versions: z.string().min(1).max(200).optional(),
				commit: z.string().min(1).max(64).optional(),
				ownerUrl: z.string().min(1).max(2048).optional(),
				advice: z.string().min(1).max(1000).optional(),
			})
			.strict()
			.default({}),
		reason,
	})
	.strict();

export const reasonBody = z.object({ reason }).strict();

export const decideBody = z.object({ grant: z.boolean(), reason }).strict();

/** A path id: digits only, so `1e3` or `0x10` is not an id. */
export const numericId = z
	.string()
	.regex(/^[1-9][0-9]{0,14}$/)
	.transform(Number);
