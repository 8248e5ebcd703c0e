/**
 * D12, D20, D21: the consent screen (trust, scan, capabilities, then the questions), warnings
 * per trust level, prompt defaults, --yes, no TTY (spec items 39–42), and the two questions
 * `--yes` never answers: a possible impersonation and high scan findings.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExitCode, isVouchError } from '../../src/core/errors.ts';
import { type ConsentRequest, obtainConsent } from '../../src/lifecycle/consent.ts';
import type { ConfirmQuestion, LifecycleReporter, Prompter } from '../../src/lifecycle/prompter.ts';
import type { RegistryPlugin } from '../../src/registry/model.ts';
import type { TrustResult } from '../../src/registry/trust.ts';

interface Recorded {
	warnings: string[];
	infos: string[];
	questions: ConfirmQuestion[];
	/** Everything shown and asked, in order. */
	screen: string[];
}

function harness(answer: ((question: ConfirmQuestion) => boolean) | undefined) {
	const recorded: Recorded = { warnings: [], infos: [], questions: [], screen: [] };
	const reporter: LifecycleReporter = {
		progress: () => {},
		info: (text) => recorded.infos.push(text) && recorded.screen.push(text),
		warn: (text) => recorded.warnings.push(text) && recorded.screen.push(text),
	};
	const prompter: Prompter = {
		interactive: answer !== undefined,
		confirm: async (question) => {
			recorded.questions.push(question);
			recorded.screen.push(`? ${question.message}`);
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

	it('shows the strongest warning for unregistered plugins, and one line for no capabilities', async () => {
		const { recorded, deps } = harness(() => true);
		await obtainConsent(request({ trust: 'unregistered' }), deps);
		const text = recorded.warnings.join('\n');
		assert.match(text, /SECURITY WARNING/);
		const capabilityLines = recorded.screen.filter((line) => /capabilit/i.test(line));
		assert.equal(capabilityLines.length, 1);
		assert.match(
			capabilityLines[0] ?? '',
			/declares none, so Vouch cannot tell you what it will do/,
		);
		assert.doesNotMatch(text, /Start other programs/);
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
		assert.match(text, /^Capabilities: network \(/m);
		assert.doesNotMatch(text, /run programs/);
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
		const notice = recorded.screen.indexOf('Possible impersonation');
		assert.ok(notice > 0 && notice < recorded.screen.findIndex((line) => line.startsWith('?')));
		assert.equal((recorded.questions[0]?.message ?? '').includes('\u001b'), false);
	});

	it('shows trust, then the scan, then the capabilities, and only then asks', async () => {
		const { recorded, deps } = harness(() => true);
		await obtainConsent(
			request({ scan: { failure: 'the parser crashed' }, acceptFindings: false }),
			deps,
		);
		const at = (pattern: RegExp) => recorded.screen.findIndex((line) => pattern.test(line));
		const order = [
			at(/community plugin "Tagger"/),
			at(/^Warning: community/),
			at(/^Scan failed/),
			at(/^Capabilities:/),
			at(/^\? Install .*community plugin/),
			at(/^\? Tagger has code that could not be scanned/),
		];
		assert.deepEqual(
			order,
			[...order].sort((a, b) => a - b),
			recorded.screen.join('\n'),
		);
		assert.ok(order[0] === 0 && !order.includes(-1), recorded.screen.join('\n'));
	});
});

const IMPERSONATING: TrustResult = {
	level: 'unregistered',
	impersonation: {
		plugin: { id: 'cover-art' } as RegistryPlugin,
		reason: 'This plugin uses the UUID of the registered plugin "cover-art".',
	},
};

describe('a possible impersonation needs its own yes', () => {
	it('is not passed by --yes without a terminal', async () => {
		const { deps } = harness(undefined);
		await assert.rejects(
			obtainConsent(request({ trust: IMPERSONATING, yes: true }), deps),
			failsWith('IMPERSONATION_NOT_ACCEPTED'),
		);
	});

	it('is passed by --accept-impersonation, with a warning', async () => {
		const { recorded, deps } = harness(undefined);
		await obtainConsent(
			request({ trust: IMPERSONATING, yes: true, acceptImpersonation: true }),
			deps,
		);
		assert.match(recorded.warnings.join('\n'), /--accept-impersonation/);
	});

	it('is asked at a terminal after the trust question, even with --yes', async () => {
		const { recorded, deps } = harness(() => true);
		await obtainConsent(request({ trust: IMPERSONATING }), deps);
		assert.equal(recorded.questions.length, 2);
		assert.match(recorded.questions[1]?.message ?? '', /may impersonate "cover-art"/);
		assert.equal(recorded.questions[1]?.defaultAnswer, false);

		const withYes = harness((question) => !/impersonate/.test(question.message));
		await assert.rejects(
			obtainConsent(request({ trust: IMPERSONATING, yes: true }), withYes.deps),
			failsWith('DECLINED'),
		);
		assert.equal(withYes.recorded.questions.length, 1);
	});

	it('high scan findings are not passed by --yes either', async () => {
		const { deps } = harness(undefined);
		await assert.rejects(
			obtainConsent(request({ yes: true, scan: { failure: 'crashed' } }), deps),
			failsWith('FINDINGS_NOT_ACCEPTED'),
		);
	});
});
