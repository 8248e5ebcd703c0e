/**
 * Every `--json` document the CLI prints, by command, with the file its JSON Schema is published
 * as. `npm run schemas` renders them into `schemas/cli/`; a test fails while they differ, and the
 * CLI tests validate real output against the committed files.
 *
 * Commands build documents through these types (`satisfies`), and `Output.result` accepts
 * nothing else. A document that spreads a library result (`...report`) escapes TypeScript's
 * excess-property check, so a field the library adds is caught by the real-output tests
 * instead: the published objects are closed.
 */
import type * as z from 'zod';
import { blacklistListDocument, blacklistSearchDocument } from './blacklist.ts';
import { browseDocument, searchDocument } from './browse.ts';
import { checkBlacklistDocument } from './check-blacklist.ts';
import { configGetDocument, configListDocument, configSetDocument } from './config.ts';
import { errorDocument } from './error.ts';
import { infoDocument } from './info.ts';
import { initDocument } from './init.ts';
import { enablementDocument, installDocument, uninstallDocument } from './install.ts';
import { listDocument } from './list.ts';
import { cleanDocument, doctorDocument } from './maintenance.ts';
import { refreshDocument } from './refresh.ts';
import { registryDiffDocument } from './registry-diff.ts';
import {
	registryBlacklistListDocument,
	registryEditDocument,
	registryPluginListDocument,
	registryPluginShowDocument,
	registryRedirectDocument,
	registryRefListDocument,
	registryStatsDocument,
} from './registry-edit.ts';
import { registryHuntDocument } from './registry-hunt.ts';
import { registryLintDocument } from './registry-lint.ts';
import {
	logMonitorDocument,
	logProveDocument,
	logShowDocument,
	logVerifyDocument,
} from './registry-log.ts';
import { registryPinDocument } from './registry-pin.ts';
import { registryReviewDocument } from './registry-review.ts';
import {
	keysInitDocument,
	logKeyDocument,
	publishDocument,
	rootStatusDocument,
} from './registry-signing.ts';
import { registryValidateDocument } from './registry-validate.ts';
import { reportDocument, reportStatusDocument } from './report.ts';
import { scanDocument } from './scan.ts';
import { startupCheckDocument } from './startup-check.ts';
import { checkUpdatesDocument, switchRefDocument, updateDocument } from './update.ts';
import { validateDocument } from './validate.ts';

/** Command (as typed after `vouch`) → the document its `--json` prints on success. */
export const CLI_JSON_DOCUMENTS = {
	browse: browseDocument,
	search: searchDocument,
	info: infoDocument,
	'check-blacklist': checkBlacklistDocument,
	'blacklist list': blacklistListDocument,
	'blacklist search': blacklistSearchDocument,
	init: initDocument,
	'config list': configListDocument,
	'config get': configGetDocument,
	'config set': configSetDocument,
	'config unset': configSetDocument,
	refresh: refreshDocument,
	validate: validateDocument,
	scan: scanDocument,
	'registry lint': registryLintDocument,
	'registry pin': registryPinDocument,
	'registry validate': registryValidateDocument,
	'registry hunt': registryHuntDocument,
	'registry diff': registryDiffDocument,
	'registry review': registryReviewDocument,
	'registry plugin add': registryEditDocument,
	'registry plugin update': registryEditDocument,
	'registry plugin edit': registryEditDocument,
	'registry plugin remove': registryEditDocument,
	'registry plugin redirect': registryRedirectDocument,
	'registry plugin list': registryPluginListDocument,
	'registry plugin show': registryPluginShowDocument,
	'registry ref add': registryEditDocument,
	'registry ref edit': registryEditDocument,
	'registry ref remove': registryEditDocument,
	'registry ref list': registryRefListDocument,
	'registry blacklist add': registryEditDocument,
	'registry blacklist remove': registryEditDocument,
	'registry blacklist list': registryBlacklistListDocument,
	'registry blacklist show': registryBlacklistListDocument,
	'registry stats': registryStatsDocument,
	'registry keys init': keysInitDocument,
	'registry keys log-key': logKeyDocument,
	'registry publish': publishDocument,
	'registry sign': rootStatusDocument,
	'registry root propose': rootStatusDocument,
	'registry log verify': logVerifyDocument,
	'registry log show': logShowDocument,
	'registry log prove': logProveDocument,
	'registry log monitor': logMonitorDocument,
	install: installDocument,
	uninstall: uninstallDocument,
	enable: enablementDocument,
	disable: enablementDocument,
	update: updateDocument,
	'switch-ref': switchRefDocument,
	'check-updates': checkUpdatesDocument,
	list: listDocument,
	clean: cleanDocument,
	doctor: doctorDocument,
	'startup-check': startupCheckDocument,
	report: reportDocument,
	'report status': reportStatusDocument,
} as const satisfies Record<string, z.ZodType>;

export type JsonCommand = keyof typeof CLI_JSON_DOCUMENTS;

/** Any success document: what `Output.result` accepts, so no command prints an undescribed one. */
export type CliJsonDocument = z.infer<(typeof CLI_JSON_DOCUMENTS)[JsonCommand]>;

/** `schemas/cli/<command>.schema.json`, spaces in the command becoming dashes. */
export function schemaFileOf(command: JsonCommand | 'error'): string {
	return `schemas/cli/${command.replaceAll(' ', '-')}.schema.json`;
}

export interface CliPublishedSchema {
	file: string;
	schema: z.ZodType;
	io: 'output';
}

export const CLI_SCHEMA_FILES: readonly CliPublishedSchema[] = [
	{ file: schemaFileOf('error'), schema: errorDocument, io: 'output' },
	...Object.entries(CLI_JSON_DOCUMENTS).map(([command, schema]) => ({
		file: schemaFileOf(command as JsonCommand),
		schema,
		io: 'output' as const,
	})),
];
