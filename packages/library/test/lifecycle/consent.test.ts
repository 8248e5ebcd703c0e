/** D12 and D20: warnings per trust level, prompt defaults, --yes, and no TTY (spec items 39–42). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExitCode, isVouchError } from '../../src/core/errors.ts';
import { type ConsentRequest, obtainConsent } from '../../src/lifecycle/consent.ts';
import type { ConfirmQuestion, LifecycleReporter, Prompter } from '../../src/lifecycle/prompter.ts';

interface Recorded {
	warnings: string[];
	infos: string[];
	questions: ConfirmQuestion[];
}

function harness(answer: ((question: ConfirmQuestion) => boolean) | undefined) {
	const recorded: Recorded = { warnings: [], infos: [], questions: [] };
	const reporter: LifecycleReporter = {
		progress: () => {},
		info: (text) => recorded.infos.push(text),
		warn: (text) => recorded.warnings.push(text),
	};
	const prompter: Prompter = {
		interactive: answer !== undefined,
		confirm: async (question) => {
			recorded.questions.push(question);
			return answer?.(question) ?? false;
		},
	};
	return { recorded, deps: { reporter, prompter } };
}

function request(overrides: Partial<ConsentRequest> = {}): ConsentRequest {
	return {
		pluginName: 'Tagger',
		trust: 'community',
		capabilities: { status: 'undeclared' },
		notices: [],
		action: 'install',
		yes: false,
		...overrides,
	};
}

const failsWith = (code: string) => (error: unknown) => isVouchError(error) && error.code === code;

describe('obtainConsent', () => {
	it('asks nothing for official plugins and warns of nothing', async () => {
		const { recorded, deps } = harness(() => false);
		await obtainConsent(request({ trust: 'official' }), deps);
		assert.deepEqual(recorded.questions, []);
		assert.deepEqual(recorded.warnings, []);
	});

	it('asks with the default of each level (trusted yes, community and unregistered no)', async () => {
		for (const [trust, expected] of [
			['trusted', true],
			['community', false],
			['unregistered', false],
		] as const) {
			const { recorded, deps } = harness((question) => question.defaultAnswer);
			const outcome = obtainConsent(request({ trust }), deps);
			if (expected) await outcome;
			else await assert.rejects(outcome, failsWith('DECLINED'));
			assert.equal(recorded.questions[0]?.defaultAnswer, expected, trust);
		}
	});

	it('exits 130 when the user says no', async () => {
		const { deps } = harness(() => false);
		await assert.rejects(obtainConsent(request(), deps), (error: unknown) => {
			return isVouchError(error) && error.exitCode === ExitCode.declined;
		});
	});

	it('shows the strongest warning for unregistered plugins, listing what they can reach', async () => {
		const { recorded, deps } = harness(() => true);
		await obtainConsent(request({ trust: 'unregistered' }), deps);
		const text = recorded.warnings.join('\n');
		assert.match(text, /SECURITY WARNING/);
		assert.match(text, /does not declare what it needs/);
		assert.match(text, /Start other programs/);
	});

	it('lists declared capabilities instead when there are some', async () => {
		const { recorded, deps } = harness(() => true);
		await obtainConsent(
			request({
				capabilities: {
					status: 'declared',
					granted: ['network'],
					denied: ['subprocess'],
					unlisted: [],
				},
			}),
			deps,
		);
		const text = recorded.warnings.join('\n');
		assert.match(text, /Talk to any server/);
		assert.doesNotMatch(text, /Start other programs/);
	});

	it('with --yes, skips the question but still prints the warning (item 41)', async () => {
		const { recorded, deps } = harness(() => false);
		await obtainConsent(request({ trust: 'unregistered', yes: true }), deps);
		assert.deepEqual(recorded.questions, []);
		assert.match(recorded.warnings.join('\n'), /SECURITY WARNING/);
	});

	it('without a terminal and without --yes, refuses rather than installs', async () => {
		const { recorded, deps } = harness(undefined);
		await assert.rejects(obtainConsent(request(), deps), failsWith('CONFIRMATION_REQUIRED'));
		assert.ok(recorded.warnings.length > 0, 'the warning is still shown');
	});

	it('shows notices (such as an impersonation flag) before the question, sanitised name', async () => {
		const { recorded, deps } = harness(() => true);
		await obtainConsent(
			request({ pluginName: 'Evil\u001b[2J name', notices: ['Possible impersonation'] }),
			deps,
		);
		assert.equal(recorded.warnings[0], 'Possible impersonation');
		assert.equal((recorded.questions[0]?.message ?? '').includes('\u001b'), false);
	});
});
