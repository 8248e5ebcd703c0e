/**
 * Blacklist semantics (spec §11 items 15–24, decided by D3 and D4), run against the compiled
 * matcher and the naive oracle alike.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_REASONS } from '../../src/blacklist/verdict.ts';
import { blockedBy, CONTEXT, entries, MATCHERS, UUID_A, UUID_B } from './helpers.ts';

for (const matcher of MATCHERS) {
	const check = matcher.check;

	describe(`${matcher.name} matcher`, () => {
		it('blocks a uuid-only entry at every URL, local paths included, and with no URL (item 15)', () => {
			const list = entries({ uuid: UUID_A });
			for (const url of [
				undefined,
				'https://github.com/anyone/anything',
				'git@gitlab.com:someone/fork.git',
				'/home/user/dev/plugin',
				'file:///srv/plugins/copy',
				'./relative',
			]) {
				const plugin = url === undefined ? { uuid: UUID_A } : { uuid: UUID_A, url };
				const verdict = check(list, plugin);
				assert.equal(blockedBy(verdict), 0, String(url));
				assert.ok(verdict.blocked);
				assert.deepEqual(verdict.matchedOn, ['uuid']);
				assert.equal(verdict.reason, DEFAULT_REASONS.uuid);
			}
			assert.equal(
				blockedBy(check(list, { url: 'https://github.com/anyone/anything' })),
				undefined,
			);
			assert.equal(blockedBy(check(list, { uuid: UUID_B })), undefined);
		});

		it('blocks a UUID passed in braces or as a URN (the spelling is not a bypass)', () => {
			const list = entries({ uuid: UUID_A });
			for (const uuid of [
				`{${UUID_A}}`,
				`urn:uuid:${UUID_A.toUpperCase()}`,
				UUID_A.replaceAll('-', ''),
			]) {
				assert.equal(blockedBy(check(list, { uuid })), 0, uuid);
			}
		});

		it('needs both keys of a uuid+url entry (item 16)', () => {
			const list = entries({ uuid: UUID_A, url: 'https://github.com/fork/plugin' });
			assert.equal(
				blockedBy(check(list, { uuid: UUID_A, url: 'https://github.com/fork/plugin' })),
				0,
			);
			assert.equal(
				blockedBy(check(list, { uuid: UUID_A, url: 'git@github.com:fork/plugin.git' })),
				0,
			);
			assert.equal(
				blockedBy(check(list, { uuid: UUID_A, url: 'https://github.com/real/plugin' })),
				undefined,
			);
			assert.equal(
				blockedBy(check(list, { uuid: UUID_B, url: 'https://github.com/fork/plugin' })),
				undefined,
			);
			// Before the clone the UUID is unknown, so the pair cannot match yet.
			assert.equal(blockedBy(check(list, { url: 'https://github.com/fork/plugin' })), undefined);
			assert.equal(blockedBy(check(list, { uuid: UUID_A })), undefined);
		});

		it('compares url entries as whole canonical locations, not substrings (item 17)', () => {
			const list = entries({ url: 'https://github.com/evil/thing' });
			assert.equal(blockedBy(check(list, { url: 'https://github.com/evil/thing' })), 0);
			for (const url of [
				'https://github.com/evil/thing-two',
				'https://github.com/evil/thing/sub',
				'https://github.com/evil',
				'https://github.com:8443/evil/thing',
				'https://github.com.evil.example/evil/thing',
			]) {
				assert.equal(blockedBy(check(list, { url })), undefined, url);
			}
		});

		it('collapses URL variants onto one location (items 24, D2)', () => {
			const list = entries({ url: 'https://gitlab.com/evil/thing.git', severity: 'soft' });
			for (const url of [
				'https://gitlab.com/evil/thing',
				'https://GitLab.COM/evil/thing/',
				'https://gitlab.com/evil/thing.git/',
				'http://gitlab.com/evil/thing',
				'ssh://git@gitlab.com/evil/thing',
				'ssh://git@gitlab.com:22/evil/thing.git',
				'git@gitlab.com:evil/thing.git',
				'https://user:secret@gitlab.com:443/evil/./thing',
			]) {
				const verdict = check(list, { url });
				assert.equal(blockedBy(verdict), 0, url);
				assert.ok(verdict.blocked);
				assert.equal(verdict.severity, 'soft');
				assert.equal(verdict.reason, DEFAULT_REASONS.general);
			}
		});

		it('matches local url entries on the absolute resolved path', () => {
			const list = entries({ url: '/srv/plugins/bad' });
			for (const url of [
				'/srv/plugins/bad',
				'file:///srv/plugins/bad',
				'./bad',
				'/srv/x/../plugins/bad/',
			]) {
				assert.equal(blockedBy(check(list, { url })), 0, url);
			}
			assert.equal(blockedBy(check(list, { url: '/srv/plugins/bad-two' })), undefined);
			assert.equal(
				blockedBy(check(list, { url: './bad' }, {}, { cwd: '/elsewhere', home: '/h' })),
				undefined,
			);
		});

		it('uses search semantics for url_regex, on the canonical and the raw URL (item 18)', () => {
			// `.git` survives only in the raw URL, so this entry needs the raw test.
			const list = entries({ urlRegex: '/malicious-repo\\.git$' });
			assert.equal(blockedBy(check(list, { url: 'https://github.com/a/malicious-repo.git' })), 0);
			assert.equal(blockedBy(check(list, { url: 'git@gitlab.com:b/malicious-repo.git' })), 0);
			assert.equal(
				blockedBy(check(list, { url: 'https://github.com/a/not-malicious-repo.git' })),
				undefined,
			);
			assert.equal(
				blockedBy(check(list, { url: 'https://github.com/a/malicious-repo' })),
				undefined,
			);

			// Canonical only: the raw spelling has an upper-case host.
			const host = entries({ urlRegex: '^https://github\\.com/badorg/' });
			assert.equal(blockedBy(check(host, { url: 'https://GitHub.com/badorg/x.git' })), 0);
			assert.equal(blockedBy(check(host, { url: 'https://github.com/badorg/anything' })), 0);
			assert.equal(
				blockedBy(check(host, { url: 'https://github.com/goodorg/badorg/' })),
				undefined,
			);
			assert.equal(blockedBy(check(host, { url: 'https://gitlab.com/badorg/x' })), undefined);

			const anywhere = entries({ urlRegex: '\\.evil\\.example/' });
			assert.equal(blockedBy(check(anywhere, { url: 'https://git.evil.example/a/b' })), 0);
			assert.equal(blockedBy(check(anywhere, { url: 'https://evil.example/a/b' })), undefined);
		});

		it('matches local sources on the absolute path, with ~ expanded (item 19)', () => {
			const list = entries({ urlRegex: '^/home/user/plugins/' }, { urlRegex: '^/srv/plugins/' });
			assert.equal(blockedBy(check(list, { url: '~/plugins/x' })), 0);
			assert.equal(blockedBy(check(list, { url: 'file:///home/user/plugins/x' })), 0);
			assert.equal(blockedBy(check(list, { url: './x' })), 1);
			assert.equal(blockedBy(check(list, { url: '/home/other/plugins/x' })), undefined);
		});

		it('skips an invalid pattern without stopping later entries or throwing (item 20)', () => {
			const list = entries(
				{ urlRegex: '(a)\\1', reason: 'backreference' },
				{ urlRegex: '(?=x)github', reason: 'lookahead' },
				{ uuid: UUID_A, urlRegex: '(?<=x)y', reason: 'uuid with broken pattern' },
				{ urlRegex: 'github', reason: 'later entry' },
			);
			const verdict = check(list, { uuid: UUID_A, url: 'https://github.com/aa/x' });
			assert.equal(blockedBy(verdict), 3);
			assert.ok(verdict.blocked);
			assert.equal(verdict.reason, 'later entry');
		});

		it('gives the first matching entry in file order (item 21)', () => {
			const list = entries(
				{ url: 'https://github.com/other/plugin', reason: 'not this one' },
				{ urlRegex: 'github\\.com/evil/', reason: 'first match' },
				{ uuid: UUID_A, reason: 'second match' },
			);
			const plugin = { uuid: UUID_A, url: 'https://github.com/evil/plugin' };
			const verdict = check(list, plugin);
			assert.ok(verdict.blocked);
			assert.equal(verdict.reason, 'first match');
			// File order is the `index`, whatever order the array is in.
			assert.equal(blockedBy(check([...list].reverse(), plugin)), 1);
		});

		it('uses the default reason for the kind of entry when there is none (item 21)', () => {
			const cases = [
				{ fields: { uuid: UUID_A }, reason: DEFAULT_REASONS.uuid },
				{ fields: { url: 'https://github.com/evil/x' }, reason: DEFAULT_REASONS.general },
				{
					fields: { uuid: UUID_A, url: 'https://github.com/evil/x' },
					reason: DEFAULT_REASONS.general,
				},
				{ fields: { urlRegex: 'evil' }, reason: DEFAULT_REASONS.pattern },
				{ fields: { uuid: UUID_A, urlRegex: 'evil' }, reason: DEFAULT_REASONS.general },
				{ fields: { uuid: UUID_A, reason: '   ' }, reason: DEFAULT_REASONS.uuid },
			];
			for (const { fields, reason } of cases) {
				const verdict = check(entries(fields), { uuid: UUID_A, url: 'https://github.com/evil/x' });
				assert.ok(verdict.blocked, JSON.stringify(fields));
				assert.equal(verdict.reason, reason, JSON.stringify(fields));
			}
		});

		it('ANDs uuid with url_regex, and url with url_regex (item 22, D4)', () => {
			const narrowed = entries({ uuid: UUID_A, urlRegex: '^https://github\\.com/forks/' });
			assert.equal(
				blockedBy(check(narrowed, { uuid: UUID_A, url: 'https://github.com/forks/p' })),
				0,
			);
			assert.equal(
				blockedBy(check(narrowed, { uuid: UUID_A, url: 'https://github.com/real/p' })),
				undefined,
			);
			assert.equal(
				blockedBy(check(narrowed, { uuid: UUID_B, url: 'https://github.com/forks/p' })),
				undefined,
			);
			assert.equal(blockedBy(check(narrowed, { uuid: UUID_A })), undefined);
			const verdict = check(narrowed, { uuid: UUID_A, url: 'https://github.com/forks/p' });
			assert.ok(verdict.blocked);
			assert.deepEqual(verdict.matchedOn, ['uuid', 'url_regex']);

			const urlAndPattern = entries({ url: 'https://github.com/a/b', urlRegex: 'never-there' });
			assert.equal(blockedBy(check(urlAndPattern, { url: 'https://github.com/a/b' })), undefined);
		});

		it('compares UUIDs case-insensitively (item 23)', () => {
			assert.equal(blockedBy(check(entries({ uuid: UUID_A }), { uuid: UUID_A.toUpperCase() })), 0);
			assert.equal(blockedBy(check(entries({ uuid: UUID_A.toUpperCase() }), { uuid: UUID_A })), 0);
			assert.equal(blockedBy(check(entries({ uuid: UUID_A }), { uuid: ` ${UUID_A} ` })), 0);
		});

		it('blocks a whole organisation with a start-anchored pattern', () => {
			const list = entries({
				urlRegex: '^https://github\\.com/badorg/',
				reason: 'Organisation distributes malware',
			});
			for (const url of [
				'https://github.com/badorg/a',
				'https://github.com/badorg/b.git',
				'http://github.com/badorg/c',
			]) {
				// The pattern also runs on the https spelling of another transport (D3).
				assert.equal(check(list, { url }).blocked, true, url);
			}
			assert.equal(blockedBy(check(list, { url: 'https://github.com/badorg2/a' })), undefined);
		});

		it('carries the severity through, hard unless the entry says soft', () => {
			const list = entries({ uuid: UUID_A, severity: 'soft' }, { uuid: UUID_B });
			const soft = check(list, { uuid: UUID_A });
			const hard = check(list, { uuid: UUID_B });
			assert.ok(soft.blocked && hard.blocked);
			assert.equal(soft.severity, 'soft');
			assert.equal(hard.severity, 'hard');
		});

		it('lets a hard match outrank a soft entry listed before it, whatever keys each uses', () => {
			const url = 'https://github.com/badorg/plugin';
			const list = entries(
				{ uuid: UUID_A, severity: 'soft', reason: 'A notice' },
				{ url: 'https://github.com/badorg/other', severity: 'soft', reason: 'Other notice' },
				{ uuid: UUID_A, url, reason: 'Steals tokens' },
				{ urlRegex: '^https://github\\.com/badorg/', reason: 'The whole account' },
				{ uuid: UUID_A, severity: 'soft', reason: 'A later notice', versions: '>=1' },
			);
			const blocked = check(list, { uuid: UUID_A, url });
			assert.ok(blocked.blocked);
			assert.equal(blocked.severity, 'hard');
			assert.equal(blocked.reason, 'Steals tokens', 'the first hard match gives the reason');
			assert.equal(blocked.entry.index, 2);
			// Elsewhere the uuid meets only soft entries: the first of them speaks.
			const noticed = check(list, { uuid: UUID_A, url: 'https://gitlab.com/someone/plugin' });
			assert.ok(noticed.blocked);
			assert.equal(noticed.severity, 'soft');
			assert.equal(noticed.reason, 'A notice');
			// The account pattern is hard and outranks the soft entry on its own address.
			const other = check(list, { url: 'https://github.com/badorg/other' });
			assert.ok(other.blocked);
			assert.equal(other.severity, 'hard');
			assert.equal(other.reason, 'The whole account');
		});

		it('sanitises the reason (D24)', () => {
			const list = entries({
				uuid: UUID_A,
				reason: 'Steals \u001b[2Jcredentials\u001b]8;;https://x.example\u0007 \u202eboth\r',
			});
			const verdict = check(list, { uuid: UUID_A });
			assert.ok(verdict.blocked);
			// The override is shown as a marker where it stood, not obeyed.
			assert.equal(verdict.reason, 'Steals credentials \ufffdboth');
			// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters on purpose
			assert.ok(!/[\u0000-\u001f\u007f-\u009f\u202e]/.test(verdict.reason));
		});

		it('never throws on odd input, and still tests a URL it cannot canonicalise', () => {
			const list = entries({ url: 'https://x.example/evil' }, { urlRegex: 'evil' });
			// The port is out of range, so canonicalisation fails; the pattern still sees it.
			assert.equal(blockedBy(check(list, { url: 'https://x.example:99999/evil' })), 1);
			for (const plugin of [
				{},
				{ url: '' },
				{ url: '   ' },
				{ url: 'https://' },
				{ url: 'x'.repeat(10_000) },
				{ uuid: 'not-a-uuid', version: '' },
				{ url: 42, uuid: null, version: {} } as unknown as { url: string },
			]) {
				assert.equal(
					blockedBy(check(list, plugin)),
					undefined,
					JSON.stringify(plugin).slice(0, 40),
				);
			}
		});

		it('lets an entry without any identifier, or with an unusable url, match nothing', () => {
			const list = entries(
				{ reason: 'no identifier' },
				{ url: 'https://', reason: 'no host' },
				{ versions: '*' },
			);
			assert.equal(
				blockedBy(check(list, { uuid: UUID_A, url: 'https://github.com/a/b', version: '1.0.0' })),
				undefined,
			);
		});
	});
}

describe('compiled matcher extras', () => {
	it('lists patterns RE2 cannot compile, with sanitised errors, in file order', async () => {
		const { compileBlacklist } = await import('../../src/blacklist/compile.ts');
		const list = entries(
			{ urlRegex: 'fine' },
			{ urlRegex: '(a)\\1' },
			{ uuid: UUID_A, urlRegex: '(?=x)' },
			{ urlRegex: 'x'.repeat(2000) },
		);
		const compiled = compileBlacklist(list, CONTEXT);
		assert.deepEqual(
			compiled.problems.map((problem) => [problem.index, problem.urlRegex.slice(0, 6)]),
			[
				[1, '(a)\\1'],
				[2, '(?=x)'],
				[3, 'xxxxxx'],
			],
		);
		for (const problem of compiled.problems) assert.ok(problem.error.length > 0);
		assert.equal(compiled.size, 4);
	});
});
