/** D11: which transports a plugin may be fetched over, decided before git runs. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalUrl } from '../../src/core/canonical-url.ts';
import { isVouchError } from '../../src/core/errors.ts';
import { assertTransportAllowed, transportKind } from '../../src/lifecycle/transport.ts';

const policy = (url: string, registered = false, allowInsecureTransport = false) =>
	assertTransportAllowed({
		canonical: canonicalUrl(url, { cwd: '/srv', home: '/home/u' }),
		registered,
		allowInsecureTransport,
	});

function refusedWith(code: string) {
	return (error: unknown) => isVouchError(error) && error.code === code;
}

describe('transport policy (D11)', () => {
	it('classifies sources by their canonical form', () => {
		assert.equal(transportKind(canonicalUrl('https://github.com/a/b')), 'https');
		assert.equal(transportKind(canonicalUrl('git@github.com:a/b.git')), 'ssh');
		assert.equal(transportKind(canonicalUrl('/srv/plugin')), 'local');
		assert.equal(transportKind(canonicalUrl('file:///srv/plugin')), 'local');
		assert.equal(transportKind(canonicalUrl('http://example.org/a/b')), 'insecure');
		assert.equal(transportKind(canonicalUrl('git://example.org/a/b')), 'insecure');
	});

	it('lets unregistered installs use https, ssh and local paths', () => {
		assert.equal(policy('https://github.com/a/b'), 'https');
		assert.equal(policy('git@github.com:a/b.git'), 'ssh');
		assert.equal(policy('./plugin'), 'local');
	});

	it('refuses http and git:// unless the user accepts the risk', () => {
		assert.throws(() => policy('http://example.org/a/b'), refusedWith('INSECURE_TRANSPORT'));
		assert.throws(() => policy('git://example.org/a/b'), refusedWith('INSECURE_TRANSPORT'));
		assert.equal(policy('http://example.org/a/b', false, true), 'insecure');
	});

	it('accepts plain http to the loopback address, where nobody sits on the path', () => {
		assert.equal(policy('http://127.0.0.1:8080/a/b'), 'insecure');
		assert.equal(policy('http://localhost/a/b'), 'insecure');
		assert.throws(
			() => policy('http://127.0.0.1.example.org/a'),
			refusedWith('INSECURE_TRANSPORT'),
		);
	});

	it('requires https for registry plugins', () => {
		assert.equal(policy('https://github.com/a/b', true), 'https');
		assert.throws(() => policy('git@github.com:a/b.git', true), refusedWith('TRANSPORT_REFUSED'));
		assert.throws(() => policy('/srv/plugin', true), refusedWith('TRANSPORT_REFUSED'));
		assert.throws(() => policy('http://example.org/a/b', true), refusedWith('INSECURE_TRANSPORT'));
	});

	it('lets a registry that is a local file list local paths, and only such a registry', () => {
		const local = (url: string) =>
			assertTransportAllowed({
				canonical: canonicalUrl(url, { cwd: '/srv', home: '/home/u' }),
				registered: true,
				registryIsLocal: true,
				allowInsecureTransport: false,
			});
		assert.equal(local('/srv/mirror/plugin'), 'local');
		assert.equal(local('file:///srv/mirror/plugin'), 'local');
		assert.throws(
			() => policy('file:///srv/mirror/plugin', true),
			refusedWith('TRANSPORT_REFUSED'),
		);
		assert.throws(() => local('git@github.com:a/b.git'), refusedWith('TRANSPORT_REFUSED'));
	});

	it('never allows other transports, whatever the flags', () => {
		for (const url of ['ftp://example.org/a', 'ext::sh -c touch% /tmp/x', 'fd::3']) {
			let canonical: string;
			try {
				canonical = canonicalUrl(url);
			} catch {
				continue; // Not even a URL: refused earlier still.
			}
			assert.throws(
				() =>
					assertTransportAllowed({ canonical, registered: false, allowInsecureTransport: true }),
				refusedWith('TRANSPORT_REFUSED'),
				url,
			);
		}
	});
});
