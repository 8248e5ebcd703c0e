/**
 * `vouch registry ref add | edit | list | remove <id> <name>`: a plugin's refs and their API
 * bounds, as in Picard's registry tool. An empty `--description`, `--min-api-version` or
 * `--max-api-version` removes that field.
 */
import type { Command } from '@commander-js/extra-typings';
import {
	listRefs,
	planRefAdd,
	planRefEdit,
	planRefRemove,
	type RefFields,
} from '@vouch/library/internal/registry/edit/ref-plans';
import { jsonOption, profileOption } from '../common-options.ts';
import type { RegistryRefListJson } from '../json/registry-edit.ts';
import { createOutput } from '../output.ts';
import type { CommandContext } from '../program.ts';
import { safe } from '../style.ts';
import {
	actorOption,
	keyOption,
	openRegistryFile,
	reasonOption,
	registryFileOption,
	runEdit,
	yesOption,
} from './registry-edit-session.ts';

interface RefOptions {
	description?: string;
	minApiVersion?: string;
	maxApiVersion?: string;
}

function fieldsOf(options: RefOptions): RefFields {
	return {
		...(options.description === undefined ? {} : { description: options.description }),
		...(options.minApiVersion === undefined ? {} : { minApiVersion: options.minApiVersion }),
		...(options.maxApiVersion === undefined ? {} : { maxApiVersion: options.maxApiVersion }),
	};
}

function refCommand(parent: Command, name: string, description: string) {
	return parent
		.command(name)
		.description(description)
		.argument('<id>', 'the plugin id')
		.argument('<name>', 'the branch or tag name')
		.addOption(registryFileOption())
		.addOption(actorOption())
		.addOption(keyOption())
		.addOption(reasonOption())
		.addOption(yesOption())
		.addOption(profileOption())
		.addOption(jsonOption());
}

export function registerRegistryRef(registry: Command, { io }: CommandContext): void {
	const ref = registry.command('ref').description("add, edit, list or remove a plugin's refs");

	refCommand(ref, 'add', 'add a ref')
		.option('--description <text>', 'what the ref is for')
		.option('--min-api-version <version>', 'lowest host API version (inclusive)')
		.option('--max-api-version <version>', 'highest host API version (inclusive)')
		.action(async (id, name, options) => {
			const output = createOutput(io, options.json === true);
			const session = await openRegistryFile(options, io);
			const plan = planRefAdd(session.context, id, name, fieldsOf(options));
			plan.change.reason = options.reason;
			await runEdit(session, plan, options, io, output);
		});

	refCommand(ref, 'edit', 'change a ref (--name renames it)')
		.option('--name <new>', 'a new name')
		.option('--description <text>', 'what the ref is for ("" removes it)')
		.option('--min-api-version <version>', 'lowest host API version ("" removes it)')
		.option('--max-api-version <version>', 'highest host API version ("" removes it)')
		.action(async (id, name, options) => {
			const output = createOutput(io, options.json === true);
			const session = await openRegistryFile(options, io);
			const plan = planRefEdit(session.context, id, name, {
				...fieldsOf(options),
				...(options.name === undefined ? {} : { newName: options.name }),
			});
			plan.change.reason = options.reason;
			await runEdit(session, plan, options, io, output);
		});

	refCommand(ref, 'remove', 'remove a ref (the refs key goes with the last one)').action(
		async (id, name, options) => {
			const output = createOutput(io, options.json === true);
			const session = await openRegistryFile(options, io);
			const plan = planRefRemove(session.context, id, name);
			plan.change.reason = options.reason;
			await runEdit(session, plan, options, io, output);
		},
	);

	ref
		.command('list')
		.description("list a plugin's refs; the first is the default")
		.argument('<id>', 'the plugin id')
		.addOption(registryFileOption())
		.addOption(profileOption())
		.addOption(jsonOption())
		.action(async (id, options) => {
			const output = createOutput(io, options.json === true);
			const session = await openRegistryFile(options, io);
			const refs = listRefs(session.context, id).map((raw) => {
				const out: RegistryRefListJson['refs'][number] = { name: String(raw.name) };
				for (const key of ['description', 'min_api_version', 'max_api_version'] as const) {
					if (typeof raw[key] === 'string') out[key] = raw[key];
				}
				return out;
			});
			if (output.json) {
				output.result({ ok: true, file: session.path, id, refs } satisfies RegistryRefListJson);
				return;
			}
			for (const r of refs) {
				const bounds = [r.min_api_version ?? '', r.max_api_version ?? ''].join('–');
				const api = bounds === '–' ? '' : `  API ${bounds}`;
				const about = r.description === undefined ? '' : `  ${safe(r.description)}`;
				output.line(`${output.style.bold(safe(r.name))}${api}${about}`);
			}
		});
}
