import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
	classifySignatureFailure,
	parseGoodSignature,
	parseTagObject,
	parseUnlistedKey,
} from '../../src/git/index.ts';

const COMMIT = '454f688e4265f9968f06b323043c5515a7658c40';
const HEAD = `object ${COMMIT}\ntype commit\ntag v1\ntagger a <a@x> 1795932608 +0000\n\nv1\n`;
const SSH = [
	'-----BEGIN SSH SIGNATURE-----',
	'U1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAgor0884uW4N8QmWBhc8BTJHTYk/',
	'-----END SSH SIGNATURE-----',
	'',
].join('\n');
const PGP = [
	'-----BEGIN PGP SIGNATURE-----',
	'',
	'iQEzBAABCAAd',
	'-----END PGP SIGNATURE-----',
	'',
].join('\n');

describe('parseTagObject', () => {
	it('reads the headers and finds an SSH signature', () => {
		assert.deepEqual(parseTagObject(HEAD + SSH), {
			object: COMMIT,
			type: 'commit',
			tag: 'v1',
			signature: 'ssh',
		});
	});

	it('sees no signature in a plain annotated tag', () => {
		assert.equal(parseTagObject(HEAD)?.signature, 'none');
	});

	it('takes the signature kind from the last armour line, as git does', () => {
		assert.equal(parseTagObject(HEAD + PGP)?.signature, 'other');
		assert.equal(parseTagObject(HEAD + SSH + PGP)?.signature, 'other');
		assert.equal(parseTagObject(HEAD + PGP + SSH)?.signature, 'ssh');
		// Any armour, even one git does not know, keeps an earlier SSH block from counting.
		assert.equal(
			parseTagObject(`${HEAD + SSH}-----BEGIN SIGNED MESSAGE-----\n`)?.signature,
			'other',
		);
		assert.equal(parseTagObject(`${HEAD + SSH}-----BEGIN FUTURE THING-----\n`)?.signature, 'other');
	});

	it('refuses objects with a missing or repeated header', () => {
		assert.equal(parseTagObject(`object ${COMMIT}\ntype commit\n\nmsg\n`), undefined);
		assert.equal(parseTagObject(`object ${COMMIT}\ntype commit\ntag v1\ntag v2\n\nm\n`), undefined);
		assert.equal(parseTagObject(`object ${COMMIT}\ntype commit\ntagv1\n\nm\n`), undefined);
		assert.equal(parseTagObject(''), undefined);
	});

	it('reads the name the tag was made under, not a name in its message', () => {
		const text = `object ${COMMIT}\ntype commit\ntag v0.9\ntagger a <a@x> 1 +0000\n\ntag v1\n`;
		assert.equal(parseTagObject(text)?.tag, 'v0.9');
	});
});

/** What git 2.39 with OpenSSH 9.2 prints (stderr, LC_ALL=C). */
const GOOD =
	'Good "git" signature for signer-1 with ED25519 key SHA256:OkDjhQJH45ax2laQNhf44ouGsAcTzSIfQO/eRb/Gz1A\n';
const UNLISTED =
	'Good "git" signature with ED25519 key SHA256:NReUXbcKM2lfwiW0lpHHw7jVOswo8qUa5M2KhSS7TOM\nNo principal matched.\n';
const BROKEN = 'Could not verify signature.\nSignature verification failed: incorrect signature\n';

describe('reading verify-tag output', () => {
	it('finds the principal and key of a good signature', () => {
		assert.deepEqual(parseGoodSignature(GOOD), {
			principal: 'signer-1',
			keyFingerprint: 'SHA256:OkDjhQJH45ax2laQNhf44ouGsAcTzSIfQO/eRb/Gz1A',
		});
	});

	it('finds no principal where ssh-keygen matched none', () => {
		assert.equal(parseGoodSignature(UNLISTED), undefined);
		assert.equal(parseGoodSignature(BROKEN), undefined);
		assert.equal(parseGoodSignature(''), undefined);
		assert.equal(
			parseGoodSignature('Good "git" signature for x with ED25519 key MD5:aa\n'),
			undefined,
		);
		assert.equal(parseGoodSignature('Good "git" signature for x with key SHA256:a b\n'), undefined);
	});

	it('names the key of a sound signature by an unlisted signer', () => {
		assert.equal(parseUnlistedKey(UNLISTED), 'SHA256:NReUXbcKM2lfwiW0lpHHw7jVOswo8qUa5M2KhSS7TOM');
		assert.equal(parseUnlistedKey(GOOD), undefined);
	});

	it('classifies the failures git reports', () => {
		assert.equal(classifySignatureFailure(UNLISTED), 'GIT_SIGNER_NOT_ALLOWED');
		assert.equal(classifySignatureFailure(BROKEN), 'GIT_SIGNATURE_INVALID');
		// An unknown key over altered content: the broken signature is what matters.
		assert.equal(
			classifySignatureFailure(`${BROKEN}No principal matched.\n`),
			'GIT_SIGNATURE_INVALID',
		);
		assert.equal(classifySignatureFailure('error: no signature found\n'), 'GIT_TAG_UNSIGNED');
		assert.equal(
			classifySignatureFailure(
				'error: gpg.ssh.allowedSignersFile needs to be configured and exist for ssh signature verification\n',
			),
			'GIT_INVALID_ARGUMENT',
		);
		assert.equal(classifySignatureFailure('fatal: something else\n'), undefined);
	});
});
