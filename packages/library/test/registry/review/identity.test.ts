/**
 * The identity review of a plugin against the real Picard registry: impersonation, look-alikes,
 * names, duplicates and the trust asked for. Each check is tried with the attack it exists for.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { canonicalUrl } from '../../../src/core/canonical-url.ts';
import type { Registry, RegistryPlugin } from '../../../src/registry/model.ts';
import { parseRegistryText } from '../../../src/registry/parse.ts';
import { FindingSink, levelOf } from '../../../src/registry/review/findings.ts';
import { reviewIdentity } from '../../../src/registry/review/identity.ts';
import { findLookalikes } from '../../../src/registry/review/lookalikes.ts';

const PICARD = readFileSync(
	new URL('../../fixtures/registries/picard-plugins.toml', import.meta.url),
	'utf8',
);

function picard(): Registry {
	return parseRegistryText(PICARD, { label: 'plugins.toml' });
}

function entry(fields: Partial<RegistryPlugin> & { gitUrl: string }): RegistryPlugin {
	return {
		id: 'tempo-tools',
		uuid: '6f1c9a52-3b8e-4d27-a0f4-95e2c7b1d834',
		name: 'Tempo Tools',
		description: 'Sets BPM tags',
		nameI18n: {},
		descriptionI18n: {},
		canonicalGitUrl: canonicalUrl(fields.gitUrl),
		refs: [{ name: 'main' }],
		categories: ['metadata'],
		trustLevel: 'community',
		authors: ['A'],
		maintainers: [],
		addedAt: '2026-01-01T00:00:00Z',
		updatedAt: '2026-01-01T00:00:00Z',
		redirectFrom: [],
		canonicalRedirectFrom: [],
		redirectFromUuid: [],
		releases: [],
		signers: [],
		...fields,
	};
}

function review(subject: RegistryPlugin, trust = subject.trustLevel, registry = picard()) {
	const sink = new FindingSink();
	reviewIdentity(
		{
			subject,
			registry: { ...registry, plugins: [...registry.plugins, subject] },
			trust,
			registryIsLocal: false,
			urlContext: {},
		},
		sink,
	);
	const findings = sink.list();
	return {
		findings,
		codes: new Set(findings.map((finding) => finding.code)),
		level: levelOf(findings),
	};
}

describe('identity review', () => {
	it('an honest new plugin passes', () => {
		const result = review(
			entry({ gitUrl: 'https://github.com/someone/picard-plugin-tempo-tools' }),
		);
		assert.deepEqual(result.findings, []);
		assert.equal(result.level, 'pass');
	});

	it('a registered UUID from another URL is an impersonation, and a duplicate', () => {
		const result = review(
			entry({
				id: 'tempo-tools',
				uuid: '3713d8f5-72b0-401d-9ec9-3818380bc576',
				gitUrl: 'https://github.com/someone/picard-plugin-tempo-tools',
			}),
		);
		assert.ok(result.codes.has('UUID_IMPERSONATION'));
		assert.ok(result.codes.has('DUPLICATE_UUID'));
		assert.equal(result.level, 'reject');
	});

	it('a homoglyph name (Cyrillic А) is confusable and mixes scripts', () => {
		const result = review(
			entry({
				name: '\u0410dd to Collection',
				gitUrl: 'https://github.com/x/picard-plugin-tempo-tools',
			}),
		);
		assert.ok(result.codes.has('CONFUSABLE_NAME'));
		assert.ok(result.codes.has('NAME_INVALID'));
		assert.equal(result.level, 'reject');
	});

	it('a homoglyph name in a script other than Cyrillic or Greek is refused too', () => {
		for (const name of [
			'Add to C\u0585llection',
			'\ua4eedd to Collection',
			'\u13aadd to Collection',
		]) {
			const result = review(
				entry({ name, gitUrl: 'https://github.com/x/picard-plugin-tempo-tools' }),
			);
			assert.ok(result.codes.has('CONFUSABLE_NAME'), name);
			assert.ok(result.codes.has('NAME_INVALID'), name);
			assert.equal(result.level, 'reject');
		}
	});

	it('a name hiding a blank-drawn letter (Hangul filler) is confusable and invalid', () => {
		const result = review(
			entry({
				name: 'Add to Col\u3164lection',
				gitUrl: 'https://github.com/x/picard-plugin-tempo-tools',
			}),
		);
		assert.ok(result.codes.has('CONFUSABLE_NAME'));
		assert.ok(result.codes.has('NAME_INVALID'));
		assert.equal(result.level, 'reject');
	});

	it('names in other languages, or with a Japanese word beside Latin, stay valid', () => {
		for (const name of ['Tagger для Picard', 'Picardプラグイン', 'Café Tempo']) {
			const result = review(
				entry({ name, gitUrl: 'https://github.com/x/picard-plugin-tempo-tools' }),
			);
			assert.equal(result.codes.has('NAME_INVALID'), false, name);
		}
	});

	it('a name taken exactly (any case) from another URL is refused', () => {
		const result = review(
			entry({ name: 'replaygain 2.0', gitUrl: 'https://github.com/x/picard-plugin-tempo-tools' }),
		);
		assert.ok(result.codes.has('NAME_TAKEN'));
	});

	it('an id one edit away needs attention; an id in look-alike letters is refused', () => {
		const close = review(
			entry({ id: 'replaygain3', gitUrl: 'https://github.com/x/picard-plugin-replaygain3' }),
		);
		assert.ok(close.codes.has('LOOKALIKE_ID'), JSON.stringify(close.findings));
		assert.equal(close.level, 'needs-attention');
		const disguised = review(
			entry({ id: 'rep1aygain2', gitUrl: 'https://github.com/x/picard-plugin-rep1aygain2' }),
		);
		assert.ok(disguised.codes.has('CONFUSABLE_ID'));
	});

	it('a repository address one letter from a registered one is a look-alike', () => {
		const result = review(
			entry({ gitUrl: 'https://github.com/metabrainz/picard-plugin-replaygain' }),
		);
		assert.ok(result.codes.has('LOOKALIKE_URL'));
		const idn = findLookalikes(
			{
				id: 'zz',
				name: 'zz',
				canonicalGitUrl: canonicalUrl(
					'https://g\u0456thub.com/metabrainz/picard-plugin-replaygain2',
				),
			},
			picard().plugins,
		);
		assert.ok(idn.some((match) => match.field === 'url' && match.strength === 'confusable'));
	});

	it('an address differing only in letter case on a case-sensitive host is confusable', () => {
		// git.example.org serves paths case-sensitively: two repositories that read the same.
		const registered = entry({
			id: 'team-plugin',
			uuid: '0b7d2c4e-5f61-4a8b-9c0d-1e2f3a4b5c6d',
			name: 'Team Plugin',
			gitUrl: 'https://git.example.org/Team/Plugin',
		});
		const found = findLookalikes(
			{
				id: 'zz',
				name: 'zz',
				canonicalGitUrl: canonicalUrl('https://git.example.org/team/plugin'),
			},
			[registered],
		);
		assert.ok(
			found.some((match) => match.field === 'url' && match.strength === 'confusable'),
			JSON.stringify(found.map((m) => [m.field, m.strength])),
		);
		// The same address is a duplicate (lint), not a look-alike; GitHub folds case itself.
		for (const url of ['https://git.example.org/Team/Plugin', 'https://github.com/Team/Plugin']) {
			const same = findLookalikes({ id: 'zz', name: 'zz', canonicalGitUrl: canonicalUrl(url) }, [
				{ ...registered, gitUrl: url, canonicalGitUrl: canonicalUrl(url.toLowerCase()) },
			]);
			assert.equal(
				same.filter((match) => match.field === 'url').length,
				url.includes('github') ? 0 : 1,
			);
		}
	});

	it('an id that is not the derived one, and a duplicate id, are reported', () => {
		const result = review(
			entry({ id: 'decade', gitUrl: 'https://github.com/x/picard-plugin-tempo-tools' }),
		);
		assert.ok(result.codes.has('DUPLICATE_ID'));
		assert.ok(result.codes.has('ID_NOT_DERIVED'));
	});

	it('official trust asks for pins; a blacklisted address is refused', () => {
		const plugin = entry({ gitUrl: 'https://github.com/someone/picard-plugin-tempo-tools' });
		assert.ok(review(plugin, 'official').codes.has('PINS_REQUIRED'));
		const registry = picard();
		registry.blacklist.push({
			index: 0,
			url: 'https://github.com/someone/picard-plugin-tempo-tools',
			reason: 'malware',
		} as (typeof registry.blacklist)[number]);
		assert.ok(review(plugin, 'community', registry).codes.has('BLACKLISTED'));
	});

	it('a name with control or bidi characters is invalid', () => {
		const result = review(
			entry({
				name: 'Tempo\u202e Tools',
				gitUrl: 'https://github.com/x/picard-plugin-tempo-tools',
			}),
		);
		assert.ok(result.codes.has('NAME_INVALID'));
	});

	it('a plain http or local git_url fails the transport rule of a published registry', () => {
		const result = review(entry({ gitUrl: 'file:///srv/plugins/tempo-tools' }));
		assert.ok(result.codes.has('INSECURE_GIT_URL'));
	});
});
