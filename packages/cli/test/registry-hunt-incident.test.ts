/**
 * The incident a hunt opens, from a report built by hand: grouping by one plugin, one owner or
 * several owners, the service's bounds on the reason and the evidence, and the addresses the
 * token may be sent to.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { isVouchError } from '@vouch/library/internal/core/errors';
import type { HuntReport } from '@vouch/library/internal/lifecycle/hunt/hunt';
import type { PluginHunt } from '@vouch/library/internal/lifecycle/hunt/types';
import { reportEvidenceSchema } from '@vouch/library/internal/report/report-schema';
import {
	incidentBodyOf,
	incidentEndpoint,
	readToken,
} from '../src/commands/registry-hunt-incident.ts';

function plugin(id: string, hits: number, path = 'a.py'): PluginHunt {
	return {
		id,
		gitUrl: `https://github.com/x/${id}`,
		status: 'searched',
		versions: [
			{
				names: ['v1.0.0'],
				commit: 'a'.repeat(40),
				hits: Array.from({ length: hits }, (_, i) => ({ path, line: i + 1, excerpt: 'bad()' })),
				hitsTruncated: false,
			},
		],
		versionsOmitted: 0,
		missing: [],
		filesSearched: 1,
		filesSkipped: 0,
	};
}

function reportOf(plugins: PluginHunt[]): HuntReport {
	const hits = plugins.reduce((n, p) => n + (p.versions[0]?.hits.length ?? 0), 0);
	return {
		indicator: { kind: 'fixed', text: 'bad()' },
		plugins,
		unknownPluginIds: [],
		totals: {
			plugins: plugins.length,
			failed: 0,
			versions: plugins.length,
			versionsWithHits: plugins.filter((p) => (p.versions[0]?.hits.length ?? 0) > 0).length,
			hits,
			pluginsWithHits: plugins.filter((p) => (p.versions[0]?.hits.length ?? 0) > 0).length,
		},
	};
}

const registry = [
	{ id: 'one', canonicalGitUrl: 'https://github.com/alice/one' },
	{ id: 'two', canonicalGitUrl: 'https://github.com/alice/two' },
	{ id: 'three', canonicalGitUrl: 'https://github.com/bob/three' },
];

describe('the incident a hunt opens', () => {
	it('groups by plugin, by one owner, or lists the plugins of several owners', () => {
		const single = incidentBodyOf(reportOf([plugin('one', 1), plugin('two', 0)]), registry, 'r');
		assert.equal(single?.grouping, 'plugin');
		assert.deepEqual(single?.pluginIds, ['one']);
		assert.equal(single?.ownerUrl, undefined);
		const owner = incidentBodyOf(reportOf([plugin('one', 1), plugin('two', 1)]), registry, 'r');
		assert.equal(owner?.grouping, 'author');
		assert.equal(owner?.ownerUrl, 'https://github.com/alice');
		const several = incidentBodyOf(reportOf([plugin('one', 1), plugin('three', 1)]), registry, 'r');
		assert.equal(several?.grouping, 'plugin');
		assert.deepEqual(several?.pluginIds, ['one', 'three']);
		assert.equal(incidentBodyOf(reportOf([plugin('one', 0)]), registry, 'r'), undefined);
	});

	it('keeps the reason and evidence within what the service accepts, counting the rest', () => {
		const longReason = `${'\u001b[31mloud '.repeat(1000)}`;
		const body = incidentBodyOf(reportOf([plugin('one', 30)]), registry, longReason);
		assert.ok(body !== undefined);
		assert.ok(body.reason.length <= 2000);
		assert.ok(!body.reason.includes(String.fromCharCode(27)));
		assert.match(body.reason, /20 more hit\(s\) are not listed as evidence/);
		assert.equal(body.evidence.length, 10);
		// A path the service refuses is counted, never sent.
		const odd = incidentBodyOf(reportOf([plugin('one', 2, '../escape.py')]), registry, 'r');
		assert.equal(odd?.evidence.length, 0);
		assert.match(odd?.reason ?? '', /2 more hit\(s\)/);
		for (const item of body.evidence) assert.ok(reportEvidenceSchema.safeParse(item).success);
	});

	it('sends the token only over https, or plain http to loopback', () => {
		assert.equal(
			incidentEndpoint('https://plugins.example.org/base').href,
			'https://plugins.example.org/base/api/v1/admin/incidents',
		);
		assert.equal(
			incidentEndpoint('http://[::1]:8080').href,
			'http://[::1]:8080/api/v1/admin/incidents',
		);
		for (const bad of [
			'http://plugins.example.org',
			'http://127.0.0.1.example.org',
			'file:///etc/passwd',
			'https://user:pw@plugins.example.org',
			'not a url',
		]) {
			assert.throws(
				() => incidentEndpoint(bad),
				(error) => isVouchError(error) && error.code === 'USAGE',
				bad,
			);
		}
	});

	it('reads one printable token line from standard input', async () => {
		assert.equal(await readToken(Readable.from(['tok-123\nrest'])), 'tok-123');
		for (const input of ['', '\n', 'with space\n', `${'x'.repeat(5000)}\n`]) {
			await assert.rejects(
				readToken(Readable.from([input])),
				(error) => isVouchError(error) && error.code === 'USAGE',
			);
		}
	});
});
