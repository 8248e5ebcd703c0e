/**
 * A possible impersonation (D6, D12): the plugin carries the UUID of a registered plugin but
 * does not come from that plugin's address. This is the one place that decides whether to go
 * on. `--yes` never answers it: `--yes` is typed before anyone has seen the warning, and a
 * fork posing as a known plugin is exactly what a user would refuse on reading it. Only a yes
 * of its own at a terminal, or the explicit `--accept-impersonation`, passes.
 */
import { sanitizeText } from '../core/sanitize.ts';
import type { TrustResult } from '../registry/trust.ts';
import { lifecycleError } from './errors.ts';
import type { LifecycleReporter, Prompter } from './prompter.ts';

export interface ImpersonationRequest {
	trust: TrustResult;
	pluginName: string;
	/** `install`, `update`... */
	action: string;
	acceptImpersonation: boolean;
}

/** Resolves when no impersonation is flagged or it was accepted; throws otherwise. */
export async function confirmImpersonation(
	request: ImpersonationRequest,
	deps: { prompter: Prompter; reporter: LifecycleReporter },
): Promise<void> {
	const flagged = request.trust.impersonation;
	if (flagged === undefined) return;
	const name = sanitizeText(request.pluginName, { maxLength: 100 });
	const owner = sanitizeText(flagged.plugin.id, { maxLength: 100 });
	if (request.acceptImpersonation) {
		deps.reporter.warn(
			`Going on although ${name} may impersonate "${owner}", because of --accept-impersonation.`,
		);
		return;
	}
	if (!deps.prompter.interactive) {
		throw lifecycleError(
			'IMPERSONATION_NOT_ACCEPTED',
			`${name} may impersonate the registered plugin "${owner}"; nothing was changed.`,
			{
				hint: `Install "${owner}" from the registry instead. Only if you know this copy is genuine: --accept-impersonation (--yes does not pass this).`,
				details: { impersonates: flagged.plugin.id },
			},
		);
	}
	const agreed = await deps.prompter.confirm({
		message: `${name} may impersonate "${owner}". ${capitalise(request.action)} it anyway?`,
		defaultAnswer: false,
	});
	if (!agreed) {
		throw lifecycleError('DECLINED', `Did not ${request.action} ${name}: nothing was changed.`);
	}
}

function capitalise(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}
