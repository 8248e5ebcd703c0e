/** `remote` and `wouldInstall` in `vouch info --json`: the repository's refs now, and install's pick. */
import * as z from 'zod';

export const remoteRefs = z
	.union([
		z.object({
			listed: z.literal(true),
			head: z.string().nullable().describe("The branch the remote's HEAD names, when it says."),
			branches: z.array(z.string()),
			tags: z.array(z.string()).describe('Version tags newest first, then the rest sorted.'),
		}),
		z.object({
			listed: z.literal(false),
			reason: z.enum(['offline-option', 'blacklisted', 'not-git', 'failed']),
			error: z.string().describe('Why the refs could not be listed, in words.'),
		}),
	])
	.describe('The branches and tags of the repository, from one time-bounded ls-remote.');

export const wouldInstall = z
	.union([
		z.object({
			ref: z.string().nullable(),
			refType: z.enum(['branch', 'tag', 'commit']),
			reason: z.string(),
		}),
		z.object({ ref: z.null(), reason: z.string().nullable() }),
	])
	.nullable()
	.describe(
		'The ref `install` would choose now (the same choice install makes); null if unlisted.',
	);

export type RemoteRefsJson = z.infer<typeof remoteRefs>;
export type WouldInstallJson = z.infer<typeof wouldInstall>;
