/**
 * The consent screen (D12, D20, D21), shown before any question and before anything is
 * written: (a) trust, with the level's badge and warning and how trust was decided
 * (impersonation, moves); (b) what the static scan found; (c) what the plugin declares it will
 * reach, in one line; then (d) the questions. Warnings are printed for every level but
 * official, with `--yes` too; `--yes` only answers the trust question. A possible
 * impersonation and high scan findings each need a yes of their own (their own modules
 * decide). Without a terminal and without `--yes` the answer is no: an unattended script
 * never installs something nobody agreed to.
 */
import { sanitizeText } from '../core/sanitize.ts';
import type { Capability, CapabilityDeclaration } from '../manifest/capabilities.ts';
import type { TrustLevel } from '../registry/model.ts';
import type { TrustResult } from '../registry/trust.ts';
import { pluginNameLabel, TRUST_DISPLAY } from '../registry/trust-display.ts';
import { confirmNewCapabilities, newCapabilityLines } from './capability-change.ts';
import { lifecycleError } from './errors.ts';
import { confirmImpersonation } from './impersonation-gate.ts';
import type { LifecycleReporter, Prompter } from './prompter.ts';
import { confirmFindings, describeScan, type ScanLine, type ScanOutcome } from './scan-gate.ts';

export interface ConsentRequest {
	/** Sanitised for display by this module. */
	pluginName: string;
	/** The level, or the whole trust result when impersonation may be flagged. */
	trust: TrustLevel | TrustResult;
	capabilities: CapabilityDeclaration;
	/** Lines about how trust was decided: impersonation, moves, a local directory. */
	notices: readonly string[];
	/** A verb in lower case: `install`, `update`, `switch to`... */
	action: string;
	yes: boolean;
	/** What the static scan found; absent when nothing was scanned. */
	scan?: ScanOutcome;
	/** How to read the whole scan report, e.g. `vouch scan <url>`. */
	reportHint?: string;
	/** The registry's own scan of this commit, when a signed registry publishes one. */
	registryScan?: ScanLine;
	/** High-severity findings accepted in advance (D21); `yes` never is. */
	acceptFindings?: boolean;
	/** A possible impersonation accepted in advance; `yes` never is. */
	acceptImpersonation?: boolean;
}

export interface ConsentDeps {
	prompter: Prompter;
	reporter: LifecycleReporter;
}

/** Capabilities in the few words that fit on one line of the screen. */
const CAPABILITY_WORDS: Readonly<Record<Capability, string>> = {
	network: 'network',
	filesystem_read: 'read files',
	filesystem_write: 'write files',
	config_read: 'read settings',
	config_write: 'change settings',
	subprocess: 'run programs',
	native_code: 'native code',
};

/**
 * One honest line for the user. A plugin without a `[capabilities]` table gets no list of
 * everything it might do, just the fact; advice to its author belongs to `vouch validate`.
 */
export function describeCapabilities(capabilities: CapabilityDeclaration): string {
	if (capabilities.status === 'undeclared') {
		return 'Capabilities: declares none, so Vouch cannot tell you what it will do; it can do anything you can.';
	}
	if (capabilities.granted.length === 0) {
		return 'Capabilities: declares that it needs none of the sensitive ones (the author’s word).';
	}
	const words = capabilities.granted.map((capability) => CAPABILITY_WORDS[capability]);
	return `Capabilities: ${words.join(', ')} (the author’s word; nothing enforces it).`;
}

/** Shows the consent screen, then asks; throws DECLINED, CONFIRMATION_REQUIRED or a gate's code. */
export async function obtainConsent(request: ConsentRequest, deps: ConsentDeps): Promise<void> {
	const trust: TrustResult =
		typeof request.trust === 'string' ? { level: request.trust } : request.trust;
	const display = TRUST_DISPLAY[trust.level];
	// Quoted and unable to draw a badge: the question names Vouch's badge beside it.
	const name = pluginNameLabel(request.pluginName);
	const loud = trust.level === 'unregistered' || trust.level === 'community';
	const say = (text: string, warn: boolean) =>
		warn ? deps.reporter.warn(text) : deps.reporter.info(text);

	// (a) Trust.
	say(`${display.badge} ${display.label} plugin ${name}`, display.warning !== undefined);
	if (display.warning !== undefined) deps.reporter.warn(display.warning);
	for (const notice of request.notices)
		deps.reporter.warn(sanitizeText(notice, { maxLength: 500 }));
	// (b) What the code does, as far as the scanner can tell.
	const scan =
		request.scan === undefined
			? undefined
			: describeScan(request.scan, trust.level, {
					...(request.reportHint === undefined ? {} : { reportHint: request.reportHint }),
				});
	for (const line of scan?.lines ?? []) say(line.text, line.warn);
	if (request.registryScan !== undefined) say(request.registryScan.text, request.registryScan.warn);
	// (c) What it says it will reach.
	say(describeCapabilities(request.capabilities), loud);

	// (d) The questions: trust first (`--yes` answers it), then the two that need their own yes.
	if (display.promptDefault !== 'none' && !request.yes) {
		if (!deps.prompter.interactive) {
			throw lifecycleError(
				'CONFIRMATION_REQUIRED',
				// Said for a CLI without a terminal and a host without a prompter alike; the hint
				// (rewritten for a host, embed/consent.ts) says what gives the consent in each.
				`To ${request.action} ${display.label} plugin ${name}, Vouch needs your confirmation, and has no way to ask for it here.`,
				{ hint: 'Run it in a terminal, or pass --yes after reading the warning above.' },
			);
		}
		const agreed = await deps.prompter.confirm({
			message: `${capitalise(request.action)} ${display.badge} ${display.label} plugin ${name}?`,
			defaultAnswer: display.promptDefault === 'yes',
		});
		if (!agreed) {
			throw lifecycleError('DECLINED', `Did not ${request.action} ${name}: nothing was changed.`);
		}
	}
	await confirmImpersonation(
		{
			trust,
			pluginName: request.pluginName,
			action: request.action,
			acceptImpersonation: request.acceptImpersonation === true,
		},
		deps,
	);
	if (scan !== undefined) {
		await confirmFindings(
			{
				pluginName: request.pluginName,
				action: request.action,
				acceptFindings: request.acceptFindings === true,
			},
			scan,
			deps,
		);
	}
}

export interface UpdateConsentRequest {
	pluginName: string;
	trust: TrustResult;
	notices: readonly string[];
	scan: ScanOutcome;
	reportHint?: string;
	/** The registry's own scan of the new commit, when a signed registry publishes one. */
	registryScan?: ScanLine;
	/** Capabilities the new version declares beyond those accepted (D20). */
	added: readonly Capability[];
	/** `update`, `switch`... */
	action: string;
	acceptFindings: boolean;
	acceptImpersonation: boolean;
	grantCapabilities: boolean;
}

/**
 * The same screen for an update, where trust was agreed to at install: only what changed or
 * needs a yes of its own is shown (how trust was decided, notable scan results, new
 * capabilities), then the questions in the screen's order.
 */
export async function obtainUpdateConsent(
	request: UpdateConsentRequest,
	deps: ConsentDeps,
): Promise<void> {
	for (const notice of request.notices)
		deps.reporter.warn(sanitizeText(notice, { maxLength: 500 }));
	const scan = describeScan(request.scan, request.trust.level, {
		quietWhenClean: true,
		...(request.reportHint === undefined ? {} : { reportHint: request.reportHint }),
	});
	for (const line of scan.lines) {
		if (line.warn) deps.reporter.warn(line.text);
		else deps.reporter.info(line.text);
	}
	// Shown even when clean: it is the registry's word on the very commit being moved to.
	if (request.registryScan !== undefined) {
		if (request.registryScan.warn) deps.reporter.warn(request.registryScan.text);
		else deps.reporter.info(request.registryScan.text);
	}
	if (request.added.length > 0) {
		for (const line of newCapabilityLines(request.pluginName, request.added))
			deps.reporter.warn(line);
	}
	await confirmImpersonation(
		{
			trust: request.trust,
			pluginName: request.pluginName,
			action: request.action,
			acceptImpersonation: request.acceptImpersonation,
		},
		deps,
	);
	await confirmFindings(request, scan, deps);
	if (request.added.length > 0) {
		await confirmNewCapabilities(request.pluginName, request.added, request, deps);
	}
}

function capitalise(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}
