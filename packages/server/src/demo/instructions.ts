/**
 * What `npm start` prints once the demo service is up: the web address and the `vouch`
 * commands to try against it, each with one line on what it shows. The commands are data
 * (`demoCommands`), so the test runs exactly what a person is told to type.
 */
import { join, resolve } from 'node:path';
import { DEMO_ROLES } from './plugins.ts';
import { DEMO_PROFILE_FILE } from './profile.ts';
import { demoGitUrl, normaliseBaseUrl } from './registry-document.ts';

export interface DemoInstructionsOptions {
	baseUrl: string;
	dataDir: string;
}

export interface DemoCommand {
	/** The arguments after `vouch`, `--profile <file>` excluded. */
	args: string[];
	/** What it shows, in one line. */
	shows: string;
}

export interface DemoStep {
	/** A heading, for steps of several commands. */
	title?: string;
	commands: DemoCommand[];
}

export function demoProfilePath(dataDir: string): string {
	return join(resolve(dataDir), DEMO_PROFILE_FILE);
}

export function demoSteps(options: DemoInstructionsOptions): DemoStep[] {
	const base = normaliseBaseUrl(options.baseUrl);
	return [
		{
			commands: [
				{
					args: ['refresh'],
					shows:
						'fetches the signed registry and blacklist, checked against the demo TUF root and log',
				},
				{
					args: ['install', DEMO_ROLES.official],
					shows: 'official: installs the reviewed, pinned release, no question asked',
				},
				{
					args: ['install', DEMO_ROLES.trusted],
					shows: 'trusted: a short note, then a question that defaults to yes',
				},
				{
					args: ['install', DEMO_ROLES.community],
					shows: 'community: a warning and the scan summary; the question defaults to no',
				},
				{
					args: ['install', DEMO_ROLES.flagged],
					shows:
						'the scanner flags a shell run at import time: refused unless you accept the findings too',
				},
				{
					args: ['install', DEMO_ROLES.blacklisted],
					shows: 'blacklisted: refused with the maintainers\u2019 reason (exit code 3)',
				},
				{
					args: ['install', demoGitUrl(base, DEMO_ROLES.unregistered)],
					shows: 'in no registry: the strongest warning, with everything it could reach',
				},
				{ args: ['list'], shows: 'what is installed, with trust badges' },
				{ args: ['startup-check'], shows: 'what a host checks before loading its plugins' },
			],
		},
		{
			title: 'Quarantine: a blacklisted plugin already installed is moved aside at startup',
			commands: [
				{
					args: ['install', DEMO_ROLES.blacklisted, '--force-blacklisted', '--yes'],
					shows: 'installs it anyway, with a danger notice (only install has this flag)',
				},
				{
					args: ['startup-check'],
					shows: 'disables it and moves it to quarantine, keeping its files',
				},
			],
		},
	];
}

/** The shell variable the printed commands name the demo profile by. */
export const DEMO_PROFILE_VARIABLE = 'demo';

/** A printed command line: `npx vouch <args> --profile "$demo"`. */
export function demoCommandLine(command: DemoCommand): string {
	return `npx vouch ${command.args.map(shellQuote).join(' ')} --profile "$${DEMO_PROFILE_VARIABLE}"`;
}

/** The text printed by `npm start`. */
export function demoInstructions(options: DemoInstructionsOptions): string {
	const base = normaliseBaseUrl(options.baseUrl);
	const lines = [
		`Vouch demo registry: ${base}`,
		`Its data: ${resolve(options.dataDir)} (remove it to start afresh)`,
		'',
		'In another terminal, from this directory, name the demo host profile once:',
		`  ${DEMO_PROFILE_VARIABLE}=${shellQuote(demoProfilePath(options.dataDir))}`,
		'then try these. The profile keeps them to the demo: your own plugins and settings are',
		'never touched.',
	];
	for (const step of demoSteps(options)) {
		lines.push('');
		if (step.title !== undefined) lines.push(`${step.title}:`);
		for (const command of step.commands) {
			lines.push(`  ${demoCommandLine(command)}`);
			lines.push(`      ${command.shows}`);
		}
	}
	lines.push(
		'',
		`Or blacklist "${DEMO_ROLES.community}" on the admin pages at ${base}admin, then run`,
		'`vouch refresh` and `vouch startup-check` with the profile above.',
		'',
	);
	return lines.join('\n');
}

/** A word the shell passes through unchanged. */
function shellQuote(word: string): string {
	if (/^[A-Za-z0-9_./:@=+-]+$/.test(word)) return word;
	return `'${word.replace(/'/g, `'\\''`)}'`;
}
