/**
 * The Atom feed is meant to be published: nothing in it may come from a hostile entry as
 * markup, and nothing private of the watcher's (the credentials or query of the URL it reads the
 * log from) may reach it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type FeedItem, renderAtomFeed, xmlText } from '../../src/log/atom-feed.ts';

const INFO = {
	origin: 'example.org/log',
	title: 'Changes',
	source: 'https://example.org/repo/',
	updated: '2026-01-01T00:00:00Z',
};

function links(feed: string): string[] {
	return [...feed.matchAll(/<link href="([^"]*)"\/>/g)].map((match) => match[1] as string);
}

describe('the Atom feed', () => {
	it('links the log without the credentials, query or fragment of the URL it was read from', () => {
		for (const source of [
			'https://watcher:s3cret@example.org/repo/',
			'https://token@example.org/repo/',
			'https://example.org/repo/?token=s3cret',
			'https://example.org/repo/#s3cret',
			'https://:s3cret@example.org/repo/?a=s3cret#s3cret',
		]) {
			const feed = renderAtomFeed({ ...INFO, source }, []);
			assert.doesNotMatch(feed, /s3cret|watcher|token/, source);
			assert.deepEqual(links(feed), ['https://example.org/repo/']);
		}
	});

	it('links nothing for a source that is not https', () => {
		for (const source of ['/srv/repo', 'file:///srv/repo/', 'http://127.0.0.1:8080/', 'nonsense']) {
			assert.deepEqual(links(renderAtomFeed({ ...INFO, source }, [])), []);
		}
	});

	it('carries hostile entry text as text only', () => {
		const item: FeedItem = {
			id: 'example.org/log#1',
			title: '</title><script>x</script>',
			updated: '2026-01-01T00:00:00Z',
			summary: ']]>&amp;\u0000\u001b[31m\uFFFE\uD800"\'',
			link: 'https://example.org/r" onclick="x',
		};
		const feed = renderAtomFeed(INFO, [item]);
		assert.doesNotMatch(feed, /<script|<\/title><|onclick/);
		for (const bad of ['\u0000', '\u001b', '\uFFFE', '\uD800']) assert.ok(!feed.includes(bad));
		assert.match(feed, /&lt;\/title&gt;&lt;script&gt;/);
		assert.equal(xmlText('a&b<c>"\''), 'a&amp;b&lt;c&gt;&quot;&apos;');
	});
});
