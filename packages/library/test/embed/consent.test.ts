/** Refusals with nobody to ask name the missing consent and the option that gives it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainUnattendedRefusal } from '../../src/embed/consent.ts';
import { hasCode, missingConsent, VouchError } from '../../src/index.ts';
import { lifecycleError } from '../../src/lifecycle/errors.ts';

describe('explainUnattendedRefusal', () => {
	it('names the trust warning, the scan findings and local changes, keeping their codes', () => {
		const cases = [
			['CONFIRMATION_REQUIRED', 'trust-warning', /yes: true/],
			['FINDINGS_NOT_ACCEPTED', 'scan-findings', /acceptFindings: true/],
			['LOCAL_CHANGES', 'discard-local-changes', /yes: true/],
		] as const;
		for (const [code, consent, hint] of cases) {
			const original = lifecycleError(code, 'refused', { hint: 'pass --yes' });
			const explained = explainUnattendedRefusal(original, 'install');
			assert.ok(hasCode(explained, code));
			assert.equal(missingConsent(explained), consent);
			assert.match(explained.hint ?? '', hint);
			assert.equal(explained.cause, original);
		}
	});

	it('names a possible impersonation in the host API words, not the CLI flag', () => {
		const original = lifecycleError('IMPERSONATION_NOT_ACCEPTED', 'may impersonate', {
			hint: 'Only if you know this copy is genuine: --accept-impersonation.',
			details: { impersonates: 'tagger' },
		});
		const explained = explainUnattendedRefusal(original, 'install');
		assert.ok(hasCode(explained, 'IMPERSONATION_NOT_ACCEPTED'));
		assert.equal(missingConsent(explained), 'impersonation');
		assert.match(explained.hint ?? '', /prompter/);
		assert.doesNotMatch(explained.hint ?? '', /--accept-impersonation/);
		assert.equal(explained.details?.impersonates, 'tagger');
	});

	it('turns DECLINED into CONFIRMATION_REQUIRED: nobody was there to decline', () => {
		const capabilities = lifecycleError('DECLINED', 'not updated', {
			details: { capabilities: ['network'] },
		});
		const explained = explainUnattendedRefusal(capabilities, 'update');
		assert.ok(hasCode(explained, 'CONFIRMATION_REQUIRED'));
		assert.equal(missingConsent(explained), 'new-capabilities');
		assert.match(explained.hint ?? '', /grantCapabilities: true/);
		assert.deepEqual(explained.details?.capabilities, ['network']);

		const soft = explainUnattendedRefusal(lifecycleError('DECLINED', 'stays disabled'), 'enable');
		assert.equal(missingConsent(soft), 'soft-blacklisted');
	});

	it('leaves every other error as it was', () => {
		const blocked = lifecycleError('BLACKLISTED', 'blocked');
		assert.equal(explainUnattendedRefusal(blocked, 'install'), blocked);
		const declined = lifecycleError('DECLINED', 'no');
		assert.equal(explainUnattendedRefusal(declined, 'install'), declined);
		const plain = new Error('boom');
		assert.equal(explainUnattendedRefusal(plain, 'install'), plain);
		assert.equal(missingConsent(plain), undefined);
		assert.equal(
			missingConsent(new VouchError('X', 'x', { details: { consent: 'nope' } })),
			undefined,
		);
	});
});
