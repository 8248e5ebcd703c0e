import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
	allowedSignersText,
	parseSignerKey,
	type SignerKey,
	signerIndexOf,
	signerPrincipal,
} from '../../src/lifecycle/signer-keys.ts';

/** Public keys made by OpenSSH 9.2's ssh-keygen. */
const ED25519 =
	'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMi35X6iTIDrGBTTrkniMlozLKTtocY8g4ToqRl4iTOh ed25519@example.invalid';
const ECDSA_256 =
	'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBOQv0BFV9jg+M5KWN72mMmqZHuBLSxWA8jr2mAa6GphCwsKjAkelZOZAFS29mmh72hL+iE7bLz5su7L9/6hX17E= ecdsa256@example.invalid';
const ECDSA_384 =
	'ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBBYlS4hrQCTOX03Ql1O6rUsc924CraxiXZdjPY3TPCSMgDBgYzKrsGnJxtG/9yrVl0aCNh8X7jTpKbIOULLBAZ178Rlt7ruyuEyQQSnaL/td2qIfVxxglnHnjQPi6usEhg== ecdsa384@example.invalid';
const ECDSA_521 =
	'ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBAEtOmU8N/mOar0czMdXElq4A39Y6jm3pDCzUtO4Es1hSo2W4s/EhgZRilY1qJBgr9+gW2UJeVN/UC/p5LsN88hbxgGDK0XiTdk5DUu4rfJmIIRnt8dy8yiDlQtCH43amBYhVPT/1ovuu5nn4mvklMomJzTuJHrfVS4CC5chnCOu6xWOxg== ecdsa521@example.invalid';
const RSA_2048 =
	'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCh9ZIKuxrxvKqRedd9ncGrY8HQ8dIeL28kNLPMCiKqclocUFpGLetymMtRlN3KiM2SP00Mc9QAeIYRM3Cgt5v85kDFtRr87ZQkYb4zbkONyTUi1YLH1E2wsN8KhA1nJZCbejZc8ZRgJPuTdez2pF4kq/HFmE+CuvBqM/8LA/duSH/oj9LXeF2ojop+LqOx4XhcidY7A1daTyhlXMaTDM7Iwi4kDLMmaNmwJfim/ytQXzADONebZ3uKQ9+gWUcZrzgVD3IpXUMy1S8e468pteRuY3ExFOX7PInrFQGRXS3J9jtN4VtcipwcprT0GCbFE5Urq62TUDn2IKdRyKYI7MSt rsa2048@example.invalid';
const RSA_1024 =
	'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQCvyJirLhNlJvV5dF4Fy98VuclP0fEiVkFwc5h0TlE2Wt4wQK0Jx3ZxaCthozZP1PLWWHsbCcmKWrIL9vCnSmWF4hyqQksXcCgAUXFjofbaD/9yy41DAINF5IL6cl1xg9n0CFXfwtp9aYp5FiBS8VII06/g9zzN6hOaPuVdIlTQgQ== rsa1024@example.invalid';
const DSA =
	'ssh-dss AAAAB3NzaC1kc3MAAACBANID+InKnKlbFU8ZHsAxSfy5n4TG9sxKboTEi+tVZDSKYdE1ZygqtL7KbiD4CCyUml0r7NEttLnfWp0Z5gOM93ZAJF+RvWTkw3P43wy+YluC4HnifB0lP3bcv8UTP8VBSOts5vxXNBzFLWFa8FPDNX76umHwQJhz4geVeeCFIDoFAAAAFQD/sGI8LxXoe3aHkuQVIg4j0ZkNxwAAAIBid9Vqz6Pd9SFubUWzmeKt411zyA2vBuEnfE7Evzho2uwccW7Un1sefzBUCG2rUvmfldsnVpGErNgL46m0EZw4MQdlbN9CtcykeoBSgSJ/6ljVqJHLW9BPksdsSMAhDFYXm1zZFk4/asF5PPXrchC2QB6j44eaWDWjD6qExOQ5ZAAAAIA3+wQM50Qx1CUO+QVZaARJHezRfeGaNFU4lshbz4wXKdW4+trRggCqyYe47wEZ6Up29sSc8+M215+Z6kcMnU4NzZmkOnFq1Kt2NBXhbTs+MB18LYukVyHqGiNBOiQbAedYxl2On0V/i+m2OoIEY5I5T3so3/296k/fMbDGU+4bgg== dsa1024@example.invalid';

const [, ED25519_BASE64 = ''] = ED25519.split(' ');

/** SSH wire strings joined, base64: a hand-made key blob. */
function blob(...fields: (string | Buffer)[]): string {
	return Buffer.concat(
		fields.flatMap((field) => {
			const bytes = typeof field === 'string' ? Buffer.from(field, 'latin1') : field;
			const length = Buffer.alloc(4);
			length.writeUInt32BE(bytes.length);
			return [length, bytes];
		}),
	).toString('base64');
}

function problem(line: string): string | undefined {
	const parsed = parseSignerKey(line);
	return parsed.ok ? undefined : parsed.problem;
}

describe('parseSignerKey', () => {
	it('accepts the key types an author signs with, keeping the comment apart', () => {
		for (const line of [ED25519, ECDSA_256, ECDSA_384, ECDSA_521, RSA_2048]) {
			const [keyType, base64, comment] = line.split(' ');
			assert.deepEqual(parseSignerKey(line), { ok: true, key: { keyType, base64, comment } }, line);
		}
		assert.deepEqual(parseSignerKey(`  ssh-ed25519\t${ED25519_BASE64}  `), {
			ok: true,
			key: { keyType: 'ssh-ed25519', base64: ED25519_BASE64 },
		});
		assert.equal(
			parseSignerKey(`${ED25519} with   spaces`).ok && 'ok',
			'ok',
			'a comment may hold spaces',
		);
	});

	it('accepts security-key types with their application field', () => {
		const pk = Buffer.alloc(32, 7);
		const sk = `sk-ssh-ed25519@openssh.com ${blob('sk-ssh-ed25519@openssh.com', pk, 'ssh:')}`;
		assert.equal(problem(sk), undefined);
		const point = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 9)]);
		const type = 'sk-ecdsa-sha2-nistp256@openssh.com';
		assert.equal(problem(`${type} ${blob(type, 'nistp256', point, 'ssh:')}`), undefined);
		assert.ok(problem(`${type} ${blob(type, 'nistp256', point)}`), 'application missing');
	});

	it('refuses DSA, short RSA, certificates and unknown types', () => {
		assert.match(problem(DSA) ?? '', /key type/);
		assert.match(problem(RSA_1024) ?? '', /2048/);
		assert.ok(problem(`ssh-ed25519-cert-v01@openssh.com ${ED25519_BASE64}`));
		assert.ok(problem(`ssh-foo ${ED25519_BASE64}`));
		assert.ok(problem(''));
		assert.ok(problem('ssh-ed25519'));
	});

	it('refuses options in front of the key', () => {
		assert.ok(problem(`namespaces="file" ${ED25519}`));
		assert.ok(problem(`cert-authority ${ED25519}`));
		assert.ok(problem(`* ${ED25519}`));
	});

	it('refuses line breaks and controls that could add lines to the allowed-signers file', () => {
		assert.ok(problem(`${ED25519}\nsigner-1 ssh-ed25519 ${ED25519_BASE64}`));
		assert.ok(problem(`${ED25519}\r`));
		assert.ok(problem(`ssh-ed25519 ${ED25519_BASE64} \u0085`));
	});

	it('refuses key data that is not a key of the named type', () => {
		const [, ecdsaBase64] = ECDSA_256.split(' ');
		assert.match(problem(`ssh-ed25519 ${ecdsaBase64}`) ?? '', /another key type/);
		assert.match(problem(`ecdsa-sha2-nistp256 ${ED25519_BASE64}`) ?? '', /another key type/);
		assert.ok(problem('ssh-ed25519 AAAA!!!!'), 'not base64');
		assert.ok(problem(`ssh-ed25519 ${ED25519_BASE64.slice(0, -1)}`), 'padding missing');
		// 'E' and 'F' differ only in bits the padding drops: both decode to the same key.
		assert.equal(problem(ECDSA_256), undefined);
		assert.match(problem(ECDSA_256.replace('17E=', '17F=')) ?? '', /canonical/);
		assert.ok(problem(`ssh-ed25519 ${blob('ssh-ed25519', Buffer.alloc(31))}`), 'short key');
		assert.ok(
			problem(`ssh-ed25519 ${blob('ssh-ed25519', Buffer.alloc(32), 'extra')}`),
			'trailing field',
		);
		const truncated = Buffer.from(ED25519_BASE64, 'base64').subarray(0, 40).toString('base64');
		assert.ok(problem(`ssh-ed25519 ${truncated}`), 'truncated');
		const point = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 9)]);
		const type = 'ecdsa-sha2-nistp384';
		assert.ok(problem(`${type} ${blob(type, 'nistp384', point)}`), 'point of another curve');
		assert.ok(problem(`${type} ${blob(type, 'nistp256', point)}`), 'curve name mismatch');
	});
});

describe('the allowed-signers file', () => {
	const key = (line: string): SignerKey => {
		const parsed = parseSignerKey(line);
		assert.ok(parsed.ok);
		return parsed.key;
	};

	it('lists each key for git signatures under its position, without its comment', () => {
		const [, rsaBase64] = RSA_2048.split(' ');
		assert.equal(
			allowedSignersText([key(ED25519), key(RSA_2048), key(ED25519)]),
			`signer-1 namespaces="git" ssh-ed25519 ${ED25519_BASE64}\n` +
				`signer-2 namespaces="git" ssh-rsa ${rsaBase64}\n`,
		);
	});

	it('maps principals back to positions, and nothing else', () => {
		for (const index of [0, 1, 41]) assert.equal(signerIndexOf(signerPrincipal(index)), index);
		for (const other of [undefined, '', '*', 'signer-0', 'signer-01', 'signer-1 ', 'signer-1,x']) {
			assert.equal(signerIndexOf(other), undefined, String(other));
		}
	});
});
