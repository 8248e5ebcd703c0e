/** D11: the one transport rule, every branch of it, and the spellings that try to dodge it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
	checkRedirectTarget,
	checkTransport,
	gitAllowProtocol,
	gitTransportOf,
	isLoopbackHost,
	isLoopbackUrl,
	type TransportUse,
} from '../../src/core/transport-policy.ts';

const remoteRegistry: TransportUse = { kind: 'registry-git', registryIsLocal: false };
const localRegistry: TransportUse = { kind: 'registry-git', registryIsLocal: true };
const source: TransportUse = { kind: 'registry-source' };
const unregistered: TransportUse = { kind: 'unregistered', allowInsecureTransport: false };
const insecureOk: TransportUse = { kind: 'unregistered', allowInsecureTransport: true };

function refusal(url: string, use: TransportUse): string | undefined {
	const decision = checkTransport(url, use);
	return decision.allowed ? undefined : decision.refusal;
}

describe('isLoopbackHost', () => {
	for (const host of [
		'127.0.0.1',
		'127.1',
		'0x7f000001',
		'0177.0.0.1',
		'2130706433',
		'[::1]',
		'[0:0:0:0:0:0:0:1]',
		'[::ffff:127.0.0.1]',
		'localhost',
		'localhost.',
		'LOCALHOST',
		'LocalHost.',
	]) {
		it(`${host} is loopback`, () => assert.equal(isLoopbackHost(host), true));
	}
	for (const host of [
		'127.0.0.1.nip.io',
		'localhost.evil.com',
		'evil-localhost',
		'localhost..',
		'127.0.0.2',
		'128.0.0.1',
		'0.0.0.0',
		'[::2]',
		'example.org',
		'',
		'local host',
	]) {
		it(`${JSON.stringify(host)} is not loopback`, () => assert.equal(isLoopbackHost(host), false));
	}
});

describe('isLoopbackUrl', () => {
	it('reads the host as a URL parser does, not the text', () => {
		assert.equal(isLoopbackUrl('http://127.0.0.1:8080/r'), true);
		assert.equal(isLoopbackUrl('http://user:pw@localhost/r'), true);
		assert.equal(isLoopbackUrl('git://0x7f000001/r'), true);
		assert.equal(isLoopbackUrl('HTTP://[::1]:9/r'), true);
		// The host is what follows the userinfo, and nothing after a fragment counts.
		assert.equal(isLoopbackUrl('http://127.0.0.1@evil.example/r'), false);
		assert.equal(isLoopbackUrl('http://evil.example#@127.0.0.1/r'), false);
		assert.equal(isLoopbackUrl('http://evil.example/127.0.0.1'), false);
	});

	it('refuses spellings that parsers disagree on', () => {
		assert.equal(isLoopbackUrl('http://127.0.0.1\\@evil.example/r'), false);
		assert.equal(isLoopbackUrl('http://127.0.0.1 .evil.example/r'), false);
	});

	it('is false for transports that have no host to speak of', () => {
		assert.equal(isLoopbackUrl('file:///srv/r'), false);
		assert.equal(isLoopbackUrl('ssh://localhost/r'), false);
		assert.equal(isLoopbackUrl('/srv/r'), false);
	});
});

describe('gitTransportOf', () => {
	it('names the transport git would use', () => {
		assert.equal(gitTransportOf('https://h/r'), 'https');
		assert.equal(gitTransportOf('git+ssh://h/r'), 'ssh');
		assert.equal(gitTransportOf('git@h:o/r.git'), 'ssh');
		assert.equal(gitTransportOf('./r'), 'file');
		assert.equal(gitTransportOf('C:\\plugins\\r'), 'file');
		assert.equal(gitTransportOf('ext::sh -c x'), 'remote-helper');
		assert.equal(gitTransportOf('fd::3'), 'remote-helper');
		assert.equal(gitTransportOf('ftp://h/r'), 'other');
	});
});

describe('checkTransport (D11)', () => {
	it('registry git URLs: https, and http only to loopback', () => {
		assert.equal(refusal('https://github.com/a/b', remoteRegistry), undefined);
		assert.equal(refusal('http://127.0.0.1:9/a/b', remoteRegistry), undefined);
		assert.equal(refusal('http://example.org/a/b', remoteRegistry), 'registry-needs-https');
		assert.equal(refusal('http://127.0.0.1.nip.io/a', remoteRegistry), 'registry-needs-https');
		assert.equal(refusal('git@github.com:a/b.git', remoteRegistry), 'registry-needs-https');
		assert.equal(refusal('git://127.0.0.1/a', remoteRegistry), 'registry-needs-https');
	});

	it('a remote registry may not list local paths; a local one may', () => {
		for (const path of ['/srv/plugins/a', 'file:///srv/plugins/a', '~/plugins/a']) {
			assert.equal(refusal(path, remoteRegistry), 'local-from-remote-registry', path);
			assert.equal(refusal(path, localRegistry), undefined, path);
		}
		assert.equal(refusal('git@github.com:a/b.git', localRegistry), 'registry-needs-https');
	});

	it('registry sources and TUF mirrors: https, loopback http, file and paths', () => {
		assert.equal(refusal('https://plugins.example.org/r.toml', source), undefined);
		assert.equal(refusal('http://localhost:8080/r.toml', source), undefined);
		assert.equal(refusal('file:///srv/r.toml', source), undefined);
		assert.equal(refusal('/srv/r.toml', source), undefined);
		assert.equal(refusal('http://plugins.example.org/r.toml', source), 'insecure');
		assert.equal(refusal('ssh://plugins.example.org/r', source), 'unsupported');
	});

	it('unregistered installs: https, ssh, local; http and git only with consent or to loopback', () => {
		for (const url of ['https://h/r', 'ssh://h/r', 'git@h:r', '/srv/r', 'file:///srv/r']) {
			assert.equal(refusal(url, unregistered), undefined, url);
		}
		assert.equal(refusal('http://h/r', unregistered), 'insecure');
		assert.equal(refusal('git://h/r', unregistered), 'insecure');
		assert.equal(refusal('http://h/r', insecureOk), undefined);
		assert.equal(refusal('git://h/r', insecureOk), undefined);
		assert.equal(refusal('http://127.1/r', unregistered), undefined);
		assert.equal(refusal('http://localhost.evil.com/r', unregistered), 'insecure');
	});

	it('the registry service (reports): https, and http only to loopback; never files or ssh', () => {
		const service = { kind: 'service' } as const;
		assert.equal(refusal('https://plugins.example.org/', service), undefined);
		assert.equal(refusal('http://127.0.0.1:8080/', service), undefined);
		assert.equal(refusal('http://[::1]/', service), undefined);
		assert.equal(refusal('http://plugins.example.org/', service), 'insecure');
		assert.equal(refusal('http://127.0.0.1.nip.io/', service), 'insecure');
		for (const url of ['file:///srv/s', '/srv/s', 'ssh://h/s', 'git://127.0.0.1/s', 'ext::sh']) {
			assert.notEqual(refusal(url, service), undefined, url);
		}
	});

	it('refuses remote helpers and unknown schemes whatever the flags', () => {
		for (const use of [remoteRegistry, localRegistry, source, unregistered, insecureOk]) {
			assert.equal(refusal('ext::sh -c touch% /tmp/x', use), 'remote-helper');
			assert.equal(refusal('fd::3', use), 'remote-helper');
			assert.equal(refusal('EXT::sh', use), 'remote-helper');
			assert.equal(refusal('ftp://h/r', use), 'unsupported');
			assert.equal(refusal('javascript://h/r', use), 'unsupported');
		}
	});
});

describe('checkRedirectTarget (D27)', () => {
	it('keeps a redirect on http(s) and under the rule of the address it left', () => {
		assert.equal(checkRedirectTarget('https://h/new', remoteRegistry).allowed, true);
		assert.equal(checkRedirectTarget('http://127.0.0.1:9/new', unregistered).allowed, true);
		const plain = checkRedirectTarget('http://example.org/new', unregistered);
		assert.equal(plain.allowed ? undefined : plain.refusal, 'insecure');
		for (const target of ['file:///etc', '/etc', 'ssh://h/r', 'git@h:r']) {
			const rules: TransportUse[] = [insecureOk, source, localRegistry];
			for (const rule of rules) {
				const decision = checkRedirectTarget(target, rule);
				assert.equal(decision.allowed, false, target);
			}
		}
		const helper = checkRedirectTarget('ext::sh', insecureOk);
		assert.equal(helper.allowed ? undefined : helper.refusal, 'remote-helper');
	});
});

describe('gitAllowProtocol', () => {
	it('never lists remote helpers; plain transports only with consent or for loopback', () => {
		assert.equal(gitAllowProtocol({ allowInsecureTransport: false }), 'https:ssh:file');
		assert.equal(gitAllowProtocol({ allowInsecureTransport: true }), 'https:ssh:file:http:git');
		assert.equal(
			gitAllowProtocol({ allowInsecureTransport: false, url: 'http://[::1]:9/r' }),
			'https:ssh:file:http',
		);
		assert.equal(
			gitAllowProtocol({ allowInsecureTransport: false, url: 'http://localhost.evil.com/r' }),
			'https:ssh:file',
		);
		for (const allowInsecureTransport of [false, true]) {
			const list = gitAllowProtocol({ allowInsecureTransport }).split(':');
			assert.equal(list.includes('ext'), false);
			assert.equal(list.includes('fd'), false);
		}
	});
});
