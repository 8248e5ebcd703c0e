/**
 * D2 as properties: any spelling of a repository that git fetches from the same place has one
 * location key, and spellings of two different repositories never share one. The spellings
 * cover what git and curl treat as the same (see `test/blacklist/spellings.ts`), plus the forms
 * a later review found: `git+ssh://`, the forges' ssh-over-443 hosts, encoded slashes in ssh
 * paths, and path case kept on hosts whose paths are case-sensitive.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
	blacklistLocations,
	canonicalForms,
	canonicalUrl,
	locationKey,
} from '../../src/core/canonical-url.ts';
import { type Repository, spellingOf } from '../blacklist/spellings.ts';

const FORGES = ['github.com', 'gitlab.com', 'codeberg.org', 'bitbucket.org'] as const;
/** The ssh-over-443 host each forge documents, where it has one. */
const SSH_443: Readonly<Record<string, string>> = {
	'github.com': 'ssh.github.com',
	'gitlab.com': 'altssh.gitlab.com',
	'bitbucket.org': 'altssh.bitbucket.org',
};

/** Segment names as forges allow them, without dots (a `.git` ending is stripped by design). */
const segmentName = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,7}$/);
const forgeRepository: fc.Arbitrary<Repository> = fc.record({
	host: fc.constantFrom(...FORGES),
	path: fc.array(segmentName, { minLength: 2, maxLength: 3 }),
});

function key(url: string): string {
	return locationKey(canonicalUrl(url));
}

function reference(repository: Repository): string {
	return key(`https://${repository.host}/${repository.path.join('/')}`);
}

function randomCase(text: string): fc.Arbitrary<string> {
	return fc
		.array(fc.boolean(), { minLength: text.length, maxLength: text.length })
		.map((upper) => [...text].map((ch, i) => (upper[i] ? ch.toUpperCase() : ch)).join(''));
}

/** ssh spellings git reads alike: git+ssh and ssh+git, the 443 host, `%2F` for a slash. */
function sshSpellingOf(repository: Repository): fc.Arbitrary<string> {
	const hosts = [repository.host, ...(SSH_443[repository.host] ? [SSH_443[repository.host]] : [])];
	return fc
		.record({
			scheme: fc.constantFrom('ssh', 'git+ssh', 'ssh+git', 'GIT+SSH'),
			host: fc.constantFrom(...(hosts as string[])),
			user: fc.constantFrom('', 'git@'),
			encodedSlash: fc.boolean(),
			suffix: fc.constantFrom('', '.git', '/', '.git/'),
			path: randomCase(repository.path.join('/')),
		})
		.chain((parts) => {
			const alternative = parts.host !== repository.host;
			// The forge's own host is on 22; its 443 host on 443 (or the default written out).
			const ports = alternative ? [':443', ''] : ['', ':22'];
			return fc.constantFrom(...ports).map((port) => {
				const path = parts.encodedSlash ? parts.path.replaceAll('/', '%2F') : parts.path;
				return `${parts.scheme}://${parts.user}${parts.host}${port}/${path}${parts.suffix}`;
			});
		});
}

describe('canonical URL properties (D2)', () => {
	it('gives every spelling of a forge repository the location of its https address', () => {
		fc.assert(
			fc.property(
				forgeRepository.chain((repository) =>
					fc.tuple(
						fc.constant(repository),
						fc.oneof(spellingOf(repository), sshSpellingOf(repository)),
					),
				),
				([repository, spelling]) => {
					assert.equal(key(spelling), reference(repository), spelling);
				},
			),
			{ numRuns: 1500 },
		);
	});

	it('never gives two different forge repositories one location, however spelled', () => {
		const pair = fc
			.tuple(forgeRepository, forgeRepository)
			.filter(([a, b]) => reference(a) !== reference(b));
		fc.assert(
			fc.property(
				pair.chain(([a, b]) =>
					fc.tuple(
						fc.oneof(spellingOf(a), sshSpellingOf(a)),
						fc.oneof(spellingOf(b), sshSpellingOf(b)),
					),
				),
				([left, right]) => {
					assert.notEqual(key(left), key(right), `${left} vs ${right}`);
					// Nor under the blacklist's extra decoded-slash key.
					const lefts = blacklistLocations(canonicalForms(left));
					for (const location of blacklistLocations(canonicalForms(right))) {
						assert.equal(lefts.includes(location), false, `${left} vs ${right}`);
					}
				},
			),
			{ numRuns: 1000 },
		);
	});

	it('keeps path case apart on hosts whose paths are case-sensitive', () => {
		const host = fc.stringMatching(/^[a-z][a-z0-9]{0,6}\.example$/);
		const segment = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,6}$/);
		fc.assert(
			fc.property(
				host,
				fc.array(segment, { minLength: 2, maxLength: 3 }),
				fc.constantFrom('https', 'HTTPS', 'ssh', 'git+ssh'),
				fc.constantFrom('', '.git', '/', '.git/'),
				(h, path, scheme, suffix) => {
					const plain = `https://${h}/${path.join('/')}`;
					const port = scheme.toLowerCase() === 'https' ? ':443' : ':22';
					const spelled = `${scheme}://user@${h.toUpperCase()}${port}//${path.join('/./')}${suffix}`;
					assert.equal(key(spelled), key(plain), spelled);
					const lowered = `https://${h}/${path.join('/').toLowerCase()}`;
					if (lowered !== plain) assert.notEqual(key(lowered), key(plain), plain);
				},
			),
			{ numRuns: 500 },
		);
	});
});
