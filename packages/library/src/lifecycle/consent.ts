/**
 * Asking before a plugin gets to run (D12, D20). The warning is printed for every level but
 * official, with `--yes` too; `--yes` only skips the question. Without a terminal and without
 * `--yes` the answer is no: an unattended script never installs something nobody agreed to.
 */
import { sanitizeText } from '../core/sanitize.ts';
import {
	CAPABILITIES,
	CAPABILITY_DESCRIPTIONS,
	type CapabilityDeclaration,
} from '../manifest/capabilities.ts';
import type { TrustLevel } from '../registry/model.ts';
import { pluginNameLabel, TRUST_DISPLAY } from '../registry/trust-display.ts';
import { lifecycleError } from './errors.ts';
import type { LifecycleReporter, Prompter } from './prompter.ts';

export interface ConsentRequest {
	/** Sanitised for display by this module. */
	pluginName: string;
	trust: TrustLevel;
	capabilities: CapabilityDeclaration;
	/** Extra lines to show before the question: impersonation, redirects, scan findings. */
	notices: readonly string[];
	/** A verb in lower case: `install`, `update`, `switch to`... */
	action: string;
	yes: boolean;
}

export interface ConsentDeps {
	prompter: Prompter;
	reporter: LifecycleReporter;
}

/** Lines describing what the plugin says it will reach; undeclared means everything. */
export function describeCapabilities(capabilities: CapabilityDeclaration): string[] {
	if (capabilities.status === 'undeclared') {
		return [
			'It does not declare what it needs, so assume it can do anything you can:',
			...CAPABILITIES.map((capability) => `  - ${CAPABILITY_DESCRIPTIONS[capability]}`),
		];
	}
	if (capabilities.granted.length === 0) {
		return ['It declares that it needs none of the sensitive capabilities.'];
	}
	return [
		'It declares that it will:',
		...capabilities.granted.map((capability) => `  - ${CAPABILITY_DESCRIPTIONS[capability]}`),
		'Declarations are the author’s word: nothing in the host can hold a plugin to them.',
	];
}

/** Resolves when the user agreed (or no question was due); throws DECLINED or CONFIRMATION_REQUIRED. */
export async function obtainConsent(request: ConsentRequest, deps: ConsentDeps): Promise<void> {
	const display = TRUST_DISPLAY[request.trust];
	// Quoted and unable to draw a badge: the question names Vouch's badge beside it.
	const name = pluginNameLabel(request.pluginName);
	for (const notice of request.notices)
		deps.reporter.warn(sanitizeText(notice, { maxLength: 500 }));
	if (display.warning !== undefined) deps.reporter.warn(display.warning);
	// The strongest warning lists everything the plugin will be able to reach (D12).
	if (request.trust === 'unregistered' || request.trust === 'community') {
		for (const line of describeCapabilities(request.capabilities)) deps.reporter.warn(line);
	} else {
		for (const line of describeCapabilities(request.capabilities)) deps.reporter.info(line);
	}
	if (display.promptDefault === 'none') return;
	if (request.yes) return;
	if (!deps.prompter.interactive) {
		throw lifecycleError(
			'CONFIRMATION_REQUIRED',
			`To ${request.action} ${display.label} plugin ${name}, Vouch needs your confirmation, and there is no terminal to ask on.`,
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

function capitalise(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}
