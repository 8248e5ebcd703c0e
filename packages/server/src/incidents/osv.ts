/**
 * Removals as OSV 1.6 records, in the shape `ossf/malicious-packages` publishes: one record
 * per removal, id `VOUCH-MAL-<year applied>-<action id>` (stable: an action id never changes),
 * the plugin as the package (ecosystem `Vouch`, name = registry id), and what is affected:
 * a commit block as a GIT range introduced at that commit (the commit and what follows it),
 * a `versions` range as a SEMVER range when it is one of the simple forms (`>=a <b`, `>=a`,
 * `<b`) or an exact version, and otherwise every version (SEMVER introduced `0`, the
 * original range kept in `database_specific`). A removal reverted by a granted appeal is
 * `withdrawn`. The schema below is the subset emitted, checked in tests.
 */
import { sanitizeText } from '@vouch/library';
import * as z from 'zod';
import type { Removal } from './removals.ts';

export const OSV_SCHEMA_VERSION = '1.6.0';
export const OSV_ID = /^VOUCH-MAL-(\d{4})-(\d{1,12})$/;

const event = z.union([
	z.strictObject({ introduced: z.string().min(1) }),
	z.strictObject({ fixed: z.string().min(1) }),
]);

export const osvRecordSchema = z.strictObject({
	schema_version: z.literal(OSV_SCHEMA_VERSION),
	id: z.string().regex(OSV_ID),
	modified: z.iso.datetime(),
	published: z.iso.datetime(),
	withdrawn: z.iso.datetime().optional(),
	summary: z.string().min(1).max(300),
	details: z.string().max(6000),
	affected: z
		.array(
			z.strictObject({
				package: z.strictObject({
					ecosystem: z.literal('Vouch'),
					name: z.string().min(1).max(2048),
				}),
				versions: z.array(z.string().min(1)).optional(),
				ranges: z
					.array(
						z.strictObject({
							type: z.enum(['GIT', 'SEMVER']),
							repo: z.string().optional(),
							events: z.array(event).min(1),
						}),
					)
					.optional(),
				database_specific: z.record(z.string(), z.unknown()).optional(),
			}),
		)
		.min(1),
	references: z
		.array(z.strictObject({ type: z.enum(['REPORT', 'WEB']), url: z.string().url() }))
		.optional(),
	database_specific: z.strictObject({
		incident: z.string(),
		action: z.string(),
		severity: z.string().nullable(),
		report_kinds: z.array(z.string()),
		advice: z.string().optional(),
	}),
});
export type OsvRecord = z.infer<typeof osvRecordSchema>;

export function osvIdOf(removal: Removal): string {
	return `VOUCH-MAL-${removal.appliedAt.slice(0, 4)}-${removal.actionId}`;
}

/** `VOUCH-MAL-2026-12` → action 12; undefined for anything else. */
export function actionIdOfOsvId(id: string): number | undefined {
	const match = OSV_ID.exec(id);
	const actionId = Number(match?.[2]);
	return match === null || !Number.isSafeInteger(actionId) ? undefined : actionId;
}

const SEMVER = /^v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?$/;

function affectedVersions(
	removal: Removal,
): Pick<OsvRecord['affected'][number], 'versions' | 'ranges' | 'database_specific'> {
	if (removal.commit !== null) {
		return {
			ranges: [
				{
					type: 'GIT',
					...(removal.gitUrl === null ? {} : { repo: removal.gitUrl }),
					events: [{ introduced: removal.commit }],
				},
			],
		};
	}
	const range = removal.versions?.trim();
	if (range !== undefined && range !== '') {
		const exact = /^=?\s*(\S+)$/.exec(range);
		if (exact?.[1] !== undefined && SEMVER.test(exact[1]))
			return { versions: [exact[1].replace(/^v/, '')] };
		const bounded = /^>=\s*(\S+)(?:\s+<\s*(\S+))?$/.exec(range);
		const below = /^<\s*(\S+)$/.exec(range);
		const from = bounded?.[1];
		const to = bounded?.[2] ?? below?.[1];
		if (
			(from === undefined || SEMVER.test(from)) &&
			(to === undefined || SEMVER.test(to)) &&
			(bounded !== null || below !== null)
		) {
			return {
				ranges: [
					{
						type: 'SEMVER',
						events: [
							{ introduced: from?.replace(/^v/, '') ?? '0' },
							...(to === undefined ? [] : [{ fixed: to.replace(/^v/, '') }]),
						],
					},
				],
			};
		}
	}
	return {
		ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }],
		...(range === undefined || range === ''
			? {}
			: { database_specific: { versions_range: sanitizeText(range, { maxLength: 200 }) } }),
	};
}

const KIND_SUMMARY: Readonly<Record<string, string>> = {
	soft_quarantine: 'quarantined',
	hard_blacklist: 'blacklisted',
	version_block: 'versions blocked',
	author_block: 'author blocked',
};

export function osvRecord(removal: Removal, incidentUrl: string): OsvRecord {
	const name = removal.pluginId ?? removal.ownerUrl ?? `incident-${removal.incidentId}`;
	const clean = (text: string, max: number) => sanitizeText(text, { maxLength: max });
	const modified = [removal.appliedAt, removal.revertedAt, removal.withdrawnAt]
		.filter((at): at is string => at !== null)
		.sort()
		.at(-1) as string;
	const advice = removal.advice === null ? undefined : clean(removal.advice, 1000);
	const details = [
		clean(removal.incidentTitle, 300),
		`Reason: ${clean(removal.reason, 2000)}`,
		...(advice === undefined ? [] : [`Advice: ${advice}`]),
		...(removal.ownerUrl === null ? [] : [`Every plugin under ${clean(removal.ownerUrl, 500)}.`]),
		`Incident: ${incidentUrl}`,
	].join('\n\n');
	return {
		schema_version: OSV_SCHEMA_VERSION,
		id: osvIdOf(removal),
		modified: iso(modified),
		published: iso(removal.appliedAt),
		...(removal.withdrawnAt === null ? {} : { withdrawn: iso(removal.withdrawnAt) }),
		summary: `${clean(name, 200)} ${KIND_SUMMARY[removal.kind] ?? 'removed'} in the Vouch registry`,
		details,
		affected: [
			{ package: { ecosystem: 'Vouch', name: clean(name, 2048) }, ...affectedVersions(removal) },
		],
		...(/^https:\/\/\S+$/.test(incidentUrl)
			? { references: [{ type: 'REPORT' as const, url: incidentUrl }] }
			: {}),
		database_specific: {
			incident: incidentUrl,
			action: removal.kind,
			severity: removal.severity,
			report_kinds: removal.reportKinds,
			...(advice === undefined ? {} : { advice }),
		},
	};
}

/** RFC 3339 in UTC with a `Z`, as OSV wants. */
function iso(at: string): string {
	const parsed = Date.parse(at);
	return Number.isNaN(parsed) ? new Date(0).toISOString() : new Date(parsed).toISOString();
}
