/**
 * D20: an update that asks for a capability the user did not accept must ask again. Without
 * an answer (no terminal, or no) the installed version stays. `--yes` is not an answer to this
 * question, because it is usually given before anyone has seen what the new version wants;
 * `--grant-capabilities` is the explicit, scriptable yes.
 */
import { sanitizeText } from '../core/sanitize.ts';
import {
	CAPABILITIES,
	CAPABILITY_DESCRIPTIONS,
	type Capability,
	type CapabilityDeclaration,
} from '../manifest/capabilities.ts';
import { lifecycleError } from './errors.ts';
import type { LifecycleReporter, Prompter } from './prompter.ts';
import type { CapabilityConsent } from './store/index.ts';

/** What the new version declares beyond what was accepted. Undeclared counts as everything. */
export function addedCapabilities(
	accepted: CapabilityConsent,
	next: CapabilityDeclaration,
): Capability[] {
	// "Undeclared" was accepted as "can do anything": nothing can be added to that.
	if (accepted.status === 'undeclared') return [];
	const granted = new Set(accepted.granted);
	const wanted = next.status === 'undeclared' ? [...CAPABILITIES] : next.granted;
	return wanted.filter((capability) => !granted.has(capability));
}

/** What the consent screen shows of the new capabilities, before any question. */
export function newCapabilityLines(name: string, added: readonly Capability[]): string[] {
	return [
		`The new version of ${sanitizeText(name)} asks for more than you accepted:`,
		...added.map((capability) => `  - ${CAPABILITY_DESCRIPTIONS[capability]}`),
	];
}

/** The question, after the screen showed `newCapabilityLines`. */
export async function confirmNewCapabilities(
	name: string,
	added: readonly Capability[],
	options: { grantCapabilities: boolean },
	deps: { prompter: Prompter; reporter: LifecycleReporter },
): Promise<void> {
	const shown = sanitizeText(name);
	if (options.grantCapabilities) return;
	const agreed =
		deps.prompter.interactive &&
		(await deps.prompter.confirm({
			message: `Allow ${shown} these new capabilities and update?`,
			defaultAnswer: false,
		}));
	if (!agreed) {
		throw lifecycleError(
			'DECLINED',
			`${shown} was not updated: the new capabilities were not accepted.`,
			{
				hint: 'The installed version stays. Run it at a terminal to decide, or pass --grant-capabilities.',
				details: { capabilities: added },
			},
		);
	}
}
