import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ExitCode, isVouchError } from '../../../src/core/errors.ts';
import { createUnsignedVerifier } from '../../../src/registry/sources/verifier.ts';

it('passes the text through, marked unsigned, where the profile allows unsigned registries', async () => {
	const verifier = createUnsignedVerifier({ name: 'picard', allowUnsigned: true });
	const verified = await verifier.verify({
		source: 's',
		text: 'api_version = "3.0"',
		format: 'toml',
	});
	assert.deepEqual(verified, { text: 'api_version = "3.0"', format: 'toml', signed: false });
});

it('refuses with a typed error and a hint where the profile does not', async () => {
	const verifier = createUnsignedVerifier({ name: 'myapp', allowUnsigned: false });
	await assert.rejects(
		verifier.verify({ source: 'https://u:secret@x.example/r\u001b[2J', text: '' }),
		(error: unknown) => {
			assert.ok(isVouchError(error));
			assert.equal(error.code, 'UNSIGNED_REGISTRY_REFUSED');
			assert.equal(error.exitCode, ExitCode.error);
			assert.ok(error.hint);
			assert.equal(error.message.includes('secret'), false);
			assert.equal(error.message.includes('\u001b'), false);
			return true;
		},
	);
});
