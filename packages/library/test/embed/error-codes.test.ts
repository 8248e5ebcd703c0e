/** `hasCode` narrows to the code asked for, and a code no module raises does not compile. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasCode, isVouchError, VouchError, type VouchErrorCode } from '../../src/index.ts';
import { lifecycleError } from '../../src/lifecycle/errors.ts';

describe('hasCode', () => {
	it('is true only for a VouchError with that code', () => {
		const error: unknown = lifecycleError('BLACKLISTED', 'blocked');
		assert.equal(hasCode(error, 'BLACKLISTED'), true);
		assert.equal(hasCode(error, 'DECLINED'), false);
		assert.equal(hasCode(new Error('BLACKLISTED'), 'BLACKLISTED'), false);
		assert.equal(hasCode({ code: 'BLACKLISTED' }, 'BLACKLISTED'), false);
		assert.equal(hasCode(undefined, 'BLACKLISTED'), false);
	});

	it('narrows the code to the one asked for', () => {
		const error: unknown = new VouchError('STATE_LOCKED', 'busy');
		if (!hasCode(error, 'STATE_LOCKED')) assert.fail('expected STATE_LOCKED');
		const code: 'STATE_LOCKED' = error.code;
		assert.equal(code, 'STATE_LOCKED');
		assert.equal(isVouchError(error), true);
	});

	it('takes the codes of every module, and nothing else', () => {
		const codes: VouchErrorCode[] = [
			'INVALID_PROFILE',
			'MANIFEST_INVALID',
			'BLACKLISTED',
			'STATE_CORRUPT',
			'FINDINGS_NOT_ACCEPTED',
			'LOG_INCONSISTENT',
			'REPORT_TIMEOUT',
		];
		for (const code of codes) assert.equal(hasCode(new VouchError(code, 'x'), code), true);
		const foreign: unknown = new VouchError('NO_SUCH_CODE', 'x');
		// @ts-expect-error: no module raises this code, so asking for it is a mistake tsc catches.
		const asked = hasCode(foreign, 'NO_SUCH_CODE');
		// At run time the check still compares codes; only the compile step refuses the name.
		assert.equal(asked, true);
	});
});
