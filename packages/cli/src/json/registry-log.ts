/** `vouch registry log verify | show | prove | monitor`: the transparency log (D28). */
import * as z from 'zod';
import { ok } from './common.ts';

const hex = z.string().describe('Hex.');
const checkpointFacts = {
	origin: z.string().describe('The log name its checkpoints carry.'),
	size: z.int().min(0).describe('Entries in the log.'),
	rootHash: hex.describe('The tree root of the checkpoint, hex.'),
};

export const logVerifyDocument = z
	.object({
		ok,
		...checkpointFacts,
		actions: z.record(z.string(), z.int().min(0)).describe('Entries per action.'),
		lastPublishedTargets: z
			.int()
			.min(1)
			.optional()
			.describe('Targets version of the last publish entry.'),
		registrySha256: hex.optional().describe('The registry SHA-256 after the last entry.'),
	})
	.meta({ title: 'vouch registry log verify --json' });

const entry = z.object({
	index: z.int().min(0),
	sequence: z.int().min(0),
	time: z.string(),
	actor: hex.describe('Key id of the maintainer who made the change.'),
	action: z.string(),
	subject: z.string().describe('As logged (data, not sanitised).'),
	reason: z.string().describe('As logged (data, not sanitised).'),
	report: z.string().optional(),
	registry_before: hex,
	registry_after: hex,
	targets_version: z.int().min(1),
});

export const logShowDocument = z
	.object({ ok, ...checkpointFacts, entries: z.array(entry) })
	.meta({ title: 'vouch registry log show --json' });

export const logProveDocument = z
	.object({
		ok,
		...checkpointFacts,
		kind: z.enum(['inclusion', 'consistency']),
		index: z.int().min(0).optional().describe('Inclusion: the entry proved.'),
		leafHash: hex.optional().describe('Inclusion: the RFC 6962 leaf hash of the entry.'),
		first: z.int().min(0).optional().describe('Consistency: the smaller tree size.'),
		firstRootHash: hex.optional(),
		treeSize: z.int().min(0).describe('The tree the proof is for.'),
		treeRootHash: hex,
		proof: z.array(hex).describe('The proof hashes, in RFC 9162 order.'),
	})
	.meta({ title: 'vouch registry log prove --json' });

export const logMonitorDocument = z
	.object({
		ok,
		origin: z.string(),
		size: z.int().min(0),
		previousSize: z.int().min(0),
		added: z.array(
			z.object({
				id: z.string(),
				title: z.string(),
				updated: z.string(),
				summary: z.string(),
				link: z.string().optional(),
			}),
		),
		feedItems: z.int().min(0),
		feed: z.string().describe('The Atom feed file written.'),
	})
	.meta({ title: 'vouch registry log monitor --json' });

export type LogVerifyJson = z.infer<typeof logVerifyDocument>;
export type LogShowJson = z.infer<typeof logShowDocument>;
export type LogProveJson = z.infer<typeof logProveDocument>;
export type LogMonitorJson = z.infer<typeof logMonitorDocument>;
