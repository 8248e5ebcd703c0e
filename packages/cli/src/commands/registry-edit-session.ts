/**
 * What every registry edit command shares: the `--registry <file>` it edits (default
 * `plugins.toml`, as Picard's tool), who makes the change (`--actor`, or `--key`: the TUF
 * signing key whose id is recorded), the question an edit may need (`--yes`, refused without a
 * terminal), and the write: atomic, only when the file is still what was read, and printed as
 * the library's change record.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Option } from '@commander-js/extra-typings';
import { writeFileAtomic } from '@vouch/library/internal/core/atomic-fs';
import { ExitCode, VouchError } from '@vouch/library/internal/core/errors';
import { lifecycleError } from '@vouch/library/internal/lifecycle/errors';
import { sniffRegistryFormat } from '@vouch/library/internal/registry/decode';
import { type RegistryFileText, sha256Hex } from '@vouch/library/internal/registry/edit/apply';
import {
	appendJournal,
	checkChangeRecord,
	journalPathFor,
} from '@vouch/library/internal/registry/edit/journal';
import {
	type CommittedEdit,
	commitPlan,
	type EditContext,
	type EditParseOptions,
	type EditPlan,
	editContext,
} from '@vouch/library/internal/registry/edit/plan';
import { registryError } from '@vouch/library/internal/registry/errors';
import { formatFromPath } from '@vouch/library/internal/registry/load';
import type { Registry } from '@vouch/library/internal/registry/model';
import { parseRegistryText } from '@vouch/library/internal/registry/parse';
import { formatIsoUtcTimestamp } from '@vouch/library/internal/registry/timestamps';
import { keyIdOf, parsePrivateKey, publicHexOf } from '@vouch/library/internal/tuf/ed25519';
import { profileFor, urlContextFor } from '../context.ts';
import type { CliIO } from '../io.ts';
import type { RegistryEditJson } from '../json/registry-edit.ts';
import type { Output } from '../output.ts';
import { createTerminalPrompter } from '../prompter.ts';
import { readRegistryFile } from '../registry-file.ts';
import { safe } from '../style.ts';

export const DEFAULT_REGISTRY_FILE = 'plugins.toml';

export const registryFileOption = () =>
	new Option(
		'--registry <file>',
		`the registry file (TOML or JSON; default ${DEFAULT_REGISTRY_FILE})`,
	);
export const yesOption = () => new Option('-y, --yes', 'agree to the question the edit asks');
export const actorOption = () =>
	new Option('--actor <name>', 'who makes the change, recorded with it');
export const keyOption = () =>
	new Option(
		'--key <file>',
		'a TUF signing key (PEM): its key id is recorded as who made the change',
	);
export const reasonOption = () =>
	new Option('--reason <text>', 'why: required for trust and URL changes');
export const reportOption = () => new Option('--report <url>', 'a link to the report this answers');

export interface SessionOptions {
	registry?: string;
	profile?: string;
	actor?: string;
	key?: string;
}

export interface RegistrySession {
	path: string;
	file: RegistryFileText;
	registry: Registry;
	context: EditContext;
	parseOptions: EditParseOptions;
}

export async function openRegistryFile(
	options: SessionOptions,
	io: CliIO,
): Promise<RegistrySession> {
	const location = options.registry ?? DEFAULT_REGISTRY_FILE;
	if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
		throw new VouchError(
			'USAGE',
			`--registry ${safe(location)} is a URL; only a local file can be edited.`,
			{
				hint: "Edit the registry repository's plugins.toml, then publish it.",
				exitCode: ExitCode.usage,
			},
		);
	}
	const path = resolve(io.cwd, location);
	// Without --registry the file was looked for here: say how to point elsewhere.
	const text = await readRegistryFile(path, {
		cwd: io.cwd,
		...(options.registry === undefined
			? { hint: 'Pass --registry <file>, or run in the directory that holds plugins.toml.' }
			: {}),
	});
	const format = formatFromPath(path) ?? sniffRegistryFormat(text);
	const file: RegistryFileText = { text, format, label: path };
	const profile = profileFor(options, io);
	// D11: relative local paths in a registry file are read next to it.
	const parseOptions: EditParseOptions = { ...urlContextFor(profile, io), cwd: dirname(path) };
	const registry = parseRegistryText(text, { ...parseOptions, label: path, format });
	const actor = await actorOf(options, io);
	const context = editContext(file, registry, {
		urlContext: parseOptions,
		registryIsLocal: true,
		at: formatIsoUtcTimestamp(io.now()),
		...(actor === undefined ? {} : { actor }),
	});
	return { path, file, registry, context, parseOptions };
}

export async function actorOf(options: SessionOptions, io: CliIO): Promise<string | undefined> {
	if (options.key !== undefined && options.actor !== undefined) {
		throw new VouchError('USAGE', 'Give --actor or --key, not both.', { exitCode: ExitCode.usage });
	}
	if (options.key !== undefined) {
		const pem = await readFile(resolve(io.cwd, options.key));
		return `key:${keyIdOf(publicHexOf(parsePrivateKey(pem)))}`;
	}
	const actor = options.actor?.trim();
	return actor === undefined || actor === '' ? undefined : actor;
}

/** Shows the plan's notes, then asks its question (if any): `--yes`, a terminal, or a refusal. */
export async function confirmPlan(
	plan: EditPlan,
	yes: boolean,
	io: CliIO,
	output: Output,
): Promise<void> {
	for (const note of plan.notes) output.warn(safe(note));
	if (plan.confirm === undefined || yes) return;
	const prompter = createTerminalPrompter(io);
	if (!prompter.interactive) {
		throw lifecycleError(
			'CONFIRMATION_REQUIRED',
			`${safe(plan.confirm)} This needs your confirmation, and there is no terminal to ask on.`,
			{ hint: 'Pass --yes after reading the notes above.' },
		);
	}
	if (!(await prompter.confirm({ message: safe(plan.confirm), defaultAnswer: false }))) {
		throw lifecycleError('DECLINED', 'Nothing was changed.');
	}
}

/**
 * Commits the plan and writes the file atomically, unless it changes nothing or the file
 * changed on disk since it was read (another edit would be lost).
 */
export async function writePlan(
	session: RegistrySession,
	plan: EditPlan,
): Promise<CommittedEdit | undefined> {
	if (plan.ops.length === 0) return undefined;
	const edit = commitPlan(session.file, plan, session.parseOptions);
	// A change its journal record could not hold is refused before the file is touched.
	checkChangeRecord(edit.change);
	const now = await readFile(session.path, 'utf8');
	if (sha256Hex(now) !== edit.sha256Before) {
		throw registryError(
			'REGISTRY_EDIT_REFUSED',
			`${safe(session.path)} changed while it was being edited; nothing was written.`,
			{
				hint: 'Run the command again.',
			},
		);
	}
	await writeFileAtomic(session.path, edit.text);
	// The journal carries the change's reason and actor to the next publish, which logs it
	// (D28). Written after the file: a crash in between leaves a change with no record, and the
	// publish then refuses it until a reason is given, never logging it without one.
	await appendJournal(journalPathFor(session.path), edit.change);
	return edit;
}

/** The whole flow of an edit command: confirm, write, print. */
export async function runEdit(
	session: RegistrySession,
	plan: EditPlan,
	options: { yes?: boolean },
	io: CliIO,
	output: Output,
	extra?: (json: RegistryEditJson) => void,
): Promise<CommittedEdit | undefined> {
	await confirmPlan(plan, options.yes === true, io, output);
	const edit = await writePlan(session, plan);
	const document: RegistryEditJson = {
		ok: true,
		file: session.path,
		changed: edit !== undefined,
		change: edit?.change ?? null,
		notes: plan.notes,
	};
	if (extra !== undefined) extra(document);
	else if (output.json) output.result(document);
	if (output.json) return edit;
	if (edit === undefined) {
		output.line(`${output.style.dim('=')} Nothing to change in ${safe(session.path)}.`);
		return edit;
	}
	const { change } = edit;
	output.line(
		`${output.style.green('✓')} ${change.action} ${output.style.bold(safe(change.subject))}`,
	);
	for (const field of change.fields) {
		output.line(`  ${safe(field.field)}: ${shown(field.from)} → ${shown(field.to)}`);
	}
	if (change.reason !== null) output.line(`  reason: ${safe(change.reason)}`);
	if (change.actor !== null) output.line(`  by: ${safe(change.actor)}`);
	output.line(output.style.dim(`  ${safe(session.path)} sha256 ${change.registrySha256After}`));
	return edit;
}

function shown(value: unknown): string {
	if (value === null || value === undefined) return '—';
	return safe(typeof value === 'string' ? value : JSON.stringify(value), { maxLength: 200 });
}
