/** The maintainer's TUF commands: `registry keys init`, `publish`, `sign`, `root propose`. */
import * as z from 'zod';
import { isoTime, ok } from './common.ts';

const role = z.enum(['root', 'targets', 'snapshot', 'timestamp']);
const perRole = <T extends z.ZodType>(value: T) =>
	z.object({ root: value, targets: value, snapshot: value, timestamp: value });

const logKeyInfo = z.object({
	origin: z.string().describe('The transparency log origin: the name its checkpoints carry.'),
	verifierKey: z.string().describe('The public verifier key, published as the log-key.txt target.'),
	file: z.string().describe('The private log key file; its content is never printed.'),
});

export const keysInitDocument = z
	.object({
		ok,
		dir: z.string(),
		keysFile: z.string().describe('The public key set (keys.json).'),
		roles: perRole(z.object({ threshold: z.int().min(1), keyIds: z.array(z.string()) })),
		keys: z.array(
			z.object({
				keyId: z.string(),
				role,
				publicHex: z.string(),
				file: z.string().describe('The private key file name; its content is never printed.'),
			}),
		),
		log: logKeyInfo,
	})
	.meta({ title: 'vouch registry keys init --json' });

export const logKeyDocument = z
	.object({ ok, ...logKeyInfo.shape, rotated: z.boolean() })
	.meta({ title: 'vouch registry keys log-key --json' });

const signatureCount = z.object({ valid: z.int().min(0), threshold: z.int().min(1) });

export const rootSigningStatus = z.object({
	version: z.int().min(1).describe('The pending root version.'),
	pendingFile: z.string(),
	signedBy: z.array(z.string()),
	newKeys: signatureCount,
	currentKeys: signatureCount.optional(),
	complete: z.boolean().describe('Both thresholds met: the next publish promotes it.'),
});

export const rootStatusDocument = z
	.object({ ok, ...rootSigningStatus.shape })
	.meta({ title: 'vouch registry sign / root propose --json' });

const publishedTarget = z.object({
	name: z.string(),
	sha256: z.string(),
	length: z.int().min(0),
	file: z.string(),
});

export const publishDocument = z
	.object({
		ok,
		outDir: z.string(),
		versions: perRole(z.int().min(1)),
		expires: perRole(isoTime),
		rootPromoted: z.boolean(),
		pendingRoot: rootSigningStatus.optional(),
		targets: z.object({
			registry: publishedTarget,
			blacklist: publishedTarget,
			logKey: publishedTarget,
		}),
		scanReports: z
			.array(publishedTarget)
			.describe('Scan reports published as targets: scan-reports/<id>/<commit>.json.'),
		log: z
			.object({
				origin: z.string(),
				size: z.int().min(1).describe('Entries in the log after this publish.'),
				firstIndex: z.int().min(0).describe('Index of the first entry this publish added.'),
				publishIndex: z.int().min(0).describe('Index of the publish entry of these targets.'),
				rootHash: z.string().describe('The tree root, hex.'),
				entriesAdded: z.int().min(1),
			})
			.describe('The transparency log after this publish (D28).'),
		warnings: z.array(z.string()),
	})
	.meta({ title: 'vouch registry publish --json' });

export type KeysInitJson = z.infer<typeof keysInitDocument>;
export type LogKeyJson = z.infer<typeof logKeyDocument>;
export type RootStatusJson = z.infer<typeof rootStatusDocument>;
export type PublishJson = z.infer<typeof publishDocument>;
