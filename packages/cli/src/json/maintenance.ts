/** `vouch clean --json` and `vouch doctor --json`. */
import * as z from 'zod';
import { isoTime, ok } from './common.ts';

export const cleanDocument = z
	.object({
		ok,
		recovered: z.array(
			z.object({
				journal: z.string(),
				outcome: z.enum(['rolled back', 'completed']),
				uuid: z.string(),
			}),
		),
		removed: z.array(z.string()).describe('Leftover paths removed.'),
		kept: z
			.array(
				z.union([
					z.object({ path: z.string(), pid: z.int() }),
					z.object({ path: z.string(), removableAt: isoTime }),
				]),
			)
			.describe("Leftovers that stay for now: a live process's, or a young unknown one."),
		tempFiles: z.int().min(0),
	})
	.meta({ title: 'vouch clean --json' });

export const doctorDocument = z
	.object({
		ok: ok.describe('False when anything was found (exit 1).'),
		findings: z.array(
			z.object({
				kind: z.enum([
					'blacklist-stale',
					'blacklist-missing',
					'regex',
					'integrity',
					'missing-files',
					'orphan',
					'leftover',
					'leftover-in-use',
					'leftover-young',
					'store-busy',
					'journal',
				]),
				message: z.string(),
				plugin: z.string().optional(),
				files: z.array(z.string()).optional(),
				pid: z.int().optional(),
				cleanableAt: isoTime.optional(),
			}),
		),
	})
	.meta({ title: 'vouch doctor --json' });

export type CleanJson = z.infer<typeof cleanDocument>;
export type DoctorJson = z.infer<typeof doctorDocument>;
