/**
 * Help texts are for users: they never cite the design notes' internal rule numbers (`D20`),
 * which mean nothing outside the project. The walk follows the command lists that `--help`
 * itself prints, so every command and subcommand a user can reach is read, however the
 * program registers them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runVouch } from './helpers/cli.ts';

const DECISION_NUMBER = /\bD\d{1,2}\b/;

/** The names in the "Commands:" section of a help page, `help` itself aside. */
function subcommandsOf(help: string): string[] {
	const section = help.split(/^Commands:\n/m)[1];
	if (section === undefined) return [];
	const names: string[] = [];
	for (const line of section.split('\n')) {
		if (!line.startsWith('  ')) break;
		// An entry starts at two spaces; a wrapped description is indented much further.
		const match = /^ {2}([a-z][a-z0-9-]*)(?:\|[a-z0-9-]+)?\b/.exec(line);
		if (match?.[1] !== undefined && match[1] !== 'help') names.push(match[1]);
	}
	return names;
}

async function helpPages(): Promise<Map<string, string>> {
	const pages = new Map<string, string>();
	const queue: string[][] = [[]];
	while (queue.length > 0) {
		const path = queue.shift() as string[];
		const run = await runVouch([...path, '--help']);
		assert.equal(run.code, 0, `vouch ${path.join(' ')} --help: ${run.stderr}`);
		pages.set(['vouch', ...path].join(' '), run.stdout);
		for (const name of subcommandsOf(run.stdout)) queue.push([...path, name]);
	}
	return pages;
}

test('no help page cites an internal decision number', async () => {
	const pages = await helpPages();
	// The walk must actually reach nested commands, or the check would pass on nothing.
	assert.ok(pages.has('vouch install'), [...pages.keys()].join(', '));
	assert.ok(pages.has('vouch registry keys init'), [...pages.keys()].join(', '));
	for (const [command, text] of pages) {
		const found = DECISION_NUMBER.exec(text);
		assert.equal(found, null, `${command} --help says ${found?.[0]}:\n${text}`);
	}
});

test('the about text cites no internal decision number', async () => {
	const run = await runVouch(['about']);
	assert.equal(run.code, 0);
	assert.doesNotMatch(run.stdout, DECISION_NUMBER);
});

test('the check itself fails on a decision number', () => {
	assert.match('accept capabilities a new version adds (D20)', DECISION_NUMBER);
	assert.doesNotMatch('DANGEROUS: install even if blocked; see --json', DECISION_NUMBER);
});
