/**
 * An edit must not leave the registry in a state the publisher refuses to sign (D19b's unpinned
 * official plugins, anything `vouch registry lint` calls an error): the publisher would stop, and
 * every later edit, by anyone, would wait behind it until someone undid this one. So the edited
 * text is checked here with the publisher's own check (`registryTargets`), and an edit that
 * turns a publishable registry into one that is not is refused before it is stored. A registry
 * that was already unpublishable (an import, not an edit, made it so) is not made the editor's
 * problem: the check compares with the text the edit started from.
 */
import { isVouchError } from '@vouch/library';
import { registryTargets } from '@vouch/library/internal/tuf/repository/registry-targets';
import { serverError } from '../errors.ts';

/** As the publisher checks it (no format given: the same reading as the publish). */
function publishProblem(text: string, label: string): unknown {
	try {
		registryTargets(text, { label });
		return undefined;
	} catch (error) {
		return error;
	}
}

export function assertStillPublishable(before: string, after: string, label: string): void {
	const problem = publishProblem(after, label);
	if (problem === undefined) return;
	if (publishProblem(before, label) !== undefined) return;
	if (!isVouchError(problem)) throw problem;
	throw serverError(
		'BAD_REQUEST',
		`This edit would leave a registry the publisher refuses to sign: ${problem.message}`,
		{ hint: problem.hint ?? 'Change the edit so that `vouch registry lint` passes.' },
	);
}
