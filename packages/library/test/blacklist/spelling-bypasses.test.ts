/**
 * The URL spellings an adversarial review used to get past the blacklist (issue "Hold against
 * an attacker", §1). Each was installed, or answered "not blacklisted", before canonical URLs
 * decoded hosts, folded look-alikes and compared forge paths without case (D2, D3).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blockedBy, CONTEXT, entries, MATCHERS, UUID_A } from './helpers.ts';

const BLOCKED_REPO = entries({ url: 'https://github.com/badorg/plugin', reason: 'malware' });
const BLOCKED_ORG = entries({ urlRegex: '^https://github\\.com/badorg/', reason: 'org' });

const BYPASSES: readonly [string, string][] = [
	['a percent-encoded host', 'https://%67ithub.com/badorg/plugin'],
	['path case on GitHub', 'https://github.com/BadOrg/Plugin'],
	['upper-case path and .GIT', 'https://github.com/BADORG/PLUGIN.GIT'],
	['full-width letters', 'https://ｇｉｔｈｕｂ.com/badorg/plugin'],
	['a soft hyphen', 'https://git\u00ADhub.com/badorg/plugin'],
	['a trailing dot', 'https://github.com./badorg/plugin'],
	['an encoded full-width letter', 'https://%EF%BD%87ithub.com/badorg/plugin'],
	['an encoded path letter', 'https://github.com/%62adorg/plugin'],
	['an encoded .git', 'https://github.com/badorg/plugin%2Egit'],
	['encoded dot segments', 'https://github.com/x/%2e%2e/badorg/plugin'],
	['everything at once', 'https://u:p@%47ｉＴhub.COM.:443//BadOrg/./Plugin.Git/'],
];

for (const matcher of MATCHERS) {
	describe(`spellings that used to bypass the blacklist (${matcher.name})`, () => {
		for (const [label, url] of BYPASSES) {
			it(`blocks ${label} by a url entry and by a lowercase organisation pattern`, () => {
				assert.equal(blockedBy(matcher.check(BLOCKED_REPO, { url })), 0, url);
				assert.equal(blockedBy(matcher.check(BLOCKED_ORG, { url })), 0, url);
			});
		}

		it('blocks an ssh or scp spelling with changed case', () => {
			for (const url of [
				'git@GitHub.com:BadOrg/Plugin.git',
				'ssh://git@github.com/BADORG/plugin',
			]) {
				assert.equal(blockedBy(matcher.check(BLOCKED_REPO, { url })), 0, url);
			}
		});

		it('blocks the ssh, git:// and http spellings of a repository by an https organisation pattern', () => {
			for (const url of [
				'git@github.com:badorg/plugin',
				'git@github.com:/BadOrg/plugin.git',
				'ssh://git@github.com:22/badorg/plugin',
				'git+ssh://git@github.com/badorg/plugin',
				'ssh+git://github.com/badorg/plugin',
				'git://github.com/badorg/plugin',
				'http://github.com/badorg/plugin',
			]) {
				assert.equal(blockedBy(matcher.check(BLOCKED_ORG, { url })), 0, url);
				const unanchored = entries({ urlRegex: 'https://github.com/badorg/.*', reason: 'org' });
				assert.equal(blockedBy(matcher.check(unanchored, { url })), 0, url);
			}
		});

		it('blocks git+ssh:// and ssh+git:// with the default port written out', () => {
			for (const url of [
				'git+ssh://git@github.com:22/badorg/plugin',
				'ssh+git://github.com:22/BadOrg/plugin.git',
			]) {
				assert.equal(blockedBy(matcher.check(BLOCKED_REPO, { url })), 0, url);
				assert.equal(blockedBy(matcher.check(BLOCKED_ORG, { url })), 0, url);
			}
		});

		it('blocks the forge’s ssh-over-443 host', () => {
			const url = 'ssh://git@ssh.github.com:443/badorg/plugin.git';
			assert.equal(blockedBy(matcher.check(BLOCKED_REPO, { url })), 0, url);
			assert.equal(blockedBy(matcher.check(BLOCKED_ORG, { url })), 0, url);
		});

		it('blocks a path whose slash is percent-encoded, which many servers decode', () => {
			for (const url of [
				'https://github.com/badorg%2Fplugin',
				'https://github.com/BadOrg%2fPlugin.git',
				'https://github.com/badorg/plugin.git%2F',
				'https://github.com/x%2F..%2Fbadorg/plugin',
				'git@github.com:badorg%2Fplugin',
			]) {
				assert.equal(blockedBy(matcher.check(BLOCKED_REPO, { url })), 0, url);
				assert.equal(blockedBy(matcher.check(BLOCKED_ORG, { url })), 0, url);
			}
			// The repository named is still another one where paths are compared.
			const other = { url: 'https://github.com/goodorg%2Fplugin' };
			assert.equal(blockedBy(matcher.check(BLOCKED_REPO, other)), undefined);
		});

		it('does not read another port or a local path as the https address', () => {
			for (const url of [
				'ssh://git@github.com:2222/badorg/plugin',
				'/srv/github.com/badorg/plugin',
			]) {
				assert.equal(blockedBy(matcher.check(BLOCKED_ORG, { url })), undefined, url);
			}
		});

		it('runs a pattern written with capitals on the form that keeps the path case', () => {
			const list = entries({ urlRegex: 'github\\.com/BadOrg/', reason: 'org' });
			assert.equal(blockedBy(matcher.check(list, { url: 'https://%67ithub.com/%42adOrg/x' })), 0);
		});

		it('runs a pattern written with capitals without case where the host ignores path case', () => {
			// A maintainer copies the organisation from the browser: `EvilOrg`. GitHub serves the
			// same repositories under `evilorg`, so every spelling of it must be caught.
			const list = entries({ urlRegex: '^https://github\\.com/EvilOrg/', reason: 'org' });
			for (const url of [
				'https://github.com/evilorg/plugin',
				'https://github.com/EVILORG/plugin',
				'git@github.com:eViLoRg/plugin.git',
				'https://github.com/EvilOrg/plugin',
			]) {
				assert.equal(blockedBy(matcher.check(list, { url })), 0, url);
			}
			const withUuid = entries({ uuid: UUID_A, urlRegex: 'github\\.com/EvilOrg/', reason: 'x' });
			const url = 'https://github.com/evilorg/plugin';
			assert.equal(blockedBy(matcher.check(withUuid, { url, uuid: UUID_A })), 0);
			// Another organisation, and a host whose paths keep their case, stay unblocked.
			assert.equal(
				blockedBy(matcher.check(list, { url: 'https://github.com/goodorg/plugin' })),
				undefined,
			);
			const selfHosted = entries({ urlRegex: 'git\\.example\\.org/EvilOrg/', reason: 'x' });
			const other = { url: 'https://git.example.org/evilorg/plugin' };
			assert.equal(blockedBy(matcher.check(selfHosted, other)), undefined);
		});

		it('folds path case on the hosts the caller adds, and always on the big forges', () => {
			const selfHosted = entries({ url: 'https://git.example.org/badorg/plugin', reason: 'x' });
			const spelled = { url: 'https://git.example.org/BadOrg/Plugin' };
			assert.equal(blockedBy(matcher.check(selfHosted, spelled)), undefined);
			const listed = { ...CONTEXT, caseInsensitivePathHosts: ['git.example.org'] };
			assert.equal(blockedBy(matcher.check(selfHosted, spelled, {}, listed)), 0);
			// A list that leaves the forges out (or is empty) does not make them case-sensitive.
			const github = { url: 'https://github.com/BadOrg/Plugin' };
			assert.equal(blockedBy(matcher.check(BLOCKED_REPO, github, {}, listed)), 0);
			const none = { ...CONTEXT, caseInsensitivePathHosts: [] };
			assert.equal(blockedBy(matcher.check(BLOCKED_REPO, github, {}, none)), 0);
		});

		it('still searches an unusable URL as written for patterns', () => {
			const url = 'https://github.com/badorg/plugin\\x';
			assert.equal(blockedBy(matcher.check(BLOCKED_ORG, { url })), 0);
		});
	});
}
