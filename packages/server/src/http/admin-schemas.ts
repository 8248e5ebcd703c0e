/**
 * The admin API's request bodies. All are strict (an unknown key is a 400, so a misspelt
 * `reson` never silently drops the reason) and every string is bounded.
 */
import { REGISTRY_TRUST_LEVELS } from '@vouch/library/internal/registry/model';
import { z } from 'zod';
import { ROLES } from '../store/actor.ts';

const text = (max: number) => z.string().max(max);
const reason = text(2000);
const report = text(2000);
const url = text(2000);
const trust = z.enum(REGISTRY_TRUST_LEVELS);
const categories = z.array(text(64)).max(20);
const apiVersion = text(20);
const i18n = z.record(text(35), text(4000)).refine((value) => Object.keys(value).length <= 100, {
	message: 'at most 100 languages',
});

const manifest = z
	.object({
		uuid: text(64),
		name: text(200),
		description: text(4000).default(''),
		authors: z.array(text(200)).max(50).default([]),
		maintainers: z.array(text(200)).max(50).default([]),
		categories: categories.default([]),
		name_i18n: i18n.default({}),
		description_i18n: i18n.default({}),
	})
	.strict();

const refSpec = z
	.object({
		name: text(100),
		min_api_version: apiVersion.optional(),
		max_api_version: apiVersion.optional(),
	})
	.strict();

export const pluginAddBody = z
	.object({
		git_url: url,
		/** The plugin's MANIFEST.toml facts, as a maintainer's tooling read them from the repository. */
		manifest,
		trust: trust.default('community'),
		categories: categories.optional(),
		refs: z
			.array(refSpec)
			.min(1)
			.max(20)
			.default([{ name: 'main' }]),
		versioning_scheme: text(300).optional(),
		reason: reason.optional(),
		report: report.optional(),
	})
	.strict();

export const pluginEditBody = z
	.object({
		trust: trust.optional(),
		categories: categories.optional(),
		git_url: url.optional(),
		/** `''` removes the scheme. */
		versioning_scheme: text(300).optional(),
		reason: reason.min(1),
		report: report.optional(),
	})
	.strict();

export const confirmedReasonBody = z
	.object({ reason: reason.min(1), confirm: z.boolean().optional() })
	.strict();

export const blacklistAddBody = z
	.object({
		uuid: text(64).optional(),
		url: url.optional(),
		url_regex: text(1000).optional(),
		versions: text(200).optional(),
		severity: z.enum(['hard', 'soft']).optional(),
		reason: reason.min(1),
		report: report.optional(),
		confirm: z.boolean().optional(),
	})
	.strict();

const refFields = {
	description: text(1000).optional(),
	min_api_version: apiVersion.optional(),
	max_api_version: apiVersion.optional(),
};

export const refAddBody = z.object({ name: text(100), ...refFields }).strict();

export const refEditBody = z.object({ new_name: text(100).optional(), ...refFields }).strict();

export const importBody = z.object({ text: z.string().min(1), reason: reason.min(1) }).strict();

export const accountBody = z
	.object({
		name: text(63),
		role: z.enum(ROLES as ['reporter', 'maintainer', 'admin']),
		password: text(1000).optional(),
	})
	.strict();

export const tokenBody = z
	.object({
		label: text(200).default(''),
		days: z.number().int().min(1).max(3650).optional(),
	})
	.strict();

export const revokeBody = z.object({ token: text(200) }).strict();

export const changesQuery = z
	.object({
		after: z.coerce.number().int().min(0).optional(),
		limit: z.coerce.number().int().min(1).max(200).optional(),
	})
	.strict();
