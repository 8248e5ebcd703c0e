/**
 * `vouch registry log verify | show | prove | monitor`: the registry's transparency log (D28)
 * for maintainers and for people who watch a registry. Every command checks the checkpoint's
 * signature first, and everything it prints was read from tiles verified against that
 * checkpoint. Logged text (subjects, reasons) is the registry's: sanitised before display.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError } from '@commander-js/extra-typings';
import { readFileBounded } from '@vouch/library/internal/core/atomic-fs';
import { ExitCode, VouchError } from '@vouch/library/internal/core/errors';
import { auditLog } from '@vouch/library/internal/log/audit';
import { leafHash } from '@vouch/library/internal/log/merkle';
import {
	consistencyProofRanges,
	inclusionProofRanges,
} from '@vouch/library/internal/log/proof-plan';
import { verifyConsistency, verifyInclusion } from '@vouch/library/internal/log/proof-verify';
import { readLogEntries } from '@vouch/library/internal/log/read-entries';
import { monitorLog } from '@vouch/library/internal/tuf/client/log-monitor';
import { type OpenedLog, openRegistryLog } from '@vouch/library/internal/tuf/client/open-log';
import { jsonOption } from '../common-options.ts';
import type {
	LogMonitorJson,
	LogProveJson,
	LogShowJson,
	LogVerifyJson,
} from '../json/registry-log.ts';
import { createOutput } from '../output.ts';
import type { CommandContext } from '../program.ts';
import { safe } from '../style.ts';

/** Entries `show` prints at most per call. */
const MAX_SHOW = 1000;

function count(value: string): number {
	const number = Number(value);
	if (!Number.isSafeInteger(number) || number < 0)
		throw new InvalidArgumentError('expected a whole number');
	return number;
}

function usage(message: string): VouchError {
	return new VouchError('USAGE', message, { exitCode: ExitCode.usage });
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

export function registerRegistryLog(registry: Command, { io }: CommandContext): void {
	const log = registry
		.command('log')
		.description('the registry transparency log: verify, show, prove, monitor');

	/** A URL as given; anything else is a path from the working directory. */
	const locationOf = (value: string) =>
		/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : resolve(io.cwd, value);
	/** `--key`: a file holding the verifier key, or the key text itself. */
	const keyOf = async (value: string | undefined) => {
		if (value === undefined) return undefined;
		const path = resolve(io.cwd, value);
		return existsSync(path) ? (await readFileBounded(path, 4096)).toString('utf8') : value;
	};
	const open = async (location: string, key: string | undefined): Promise<OpenedLog> => {
		const verifierKey = await keyOf(key);
		return openRegistryLog({
			location: locationOf(location),
			fetch: io.fetch,
			...(verifierKey === undefined ? {} : { verifierKey }),
		});
	};
	const keyHelp =
		"the log's verifier key, or a file holding it (default: a local repository's own log-key.txt target)";

	log
		.command('verify')
		.description(
			'check the whole log: signature, every tile against the root, entries, sequence, registry hash chain',
		)
		.argument('<repo>', 'the repository directory or URL')
		.option('--key <key>', keyHelp)
		.addOption(jsonOption())
		.action(async (repo, options) => {
			const output = createOutput(io, options.json === true);
			const opened = await open(repo, options.key);
			const audit = await auditLog(opened.log);
			const facts = {
				origin: opened.checkpoint.origin,
				size: opened.checkpoint.size,
				rootHash: hex(opened.checkpoint.root),
			};
			if (output.json) {
				output.result({ ok: true, ...facts, ...audit } satisfies LogVerifyJson);
				return;
			}
			output.line(
				`${output.style.green('✓')} The log ${safe(facts.origin)} verifies: ${facts.size} entries`,
			);
			output.line(`  root ${facts.rootHash}`);
			if (audit.lastPublishedTargets !== undefined) {
				output.line(`  last published targets version: ${audit.lastPublishedTargets}`);
			}
			for (const [action, n] of Object.entries(audit.actions).sort())
				output.line(`  ${safe(action)}: ${n}`);
		});

	log
		.command('show')
		.description('print log entries, each checked against the signed checkpoint')
		.argument('<repo>', 'the repository directory or URL')
		.option('--from <n>', 'the first entry (default: the last --limit entries)', count)
		.option('--limit <n>', `how many entries (at most ${MAX_SHOW})`, count, 20)
		.option('--key <key>', keyHelp)
		.addOption(jsonOption())
		.action(async (repo, options) => {
			const output = createOutput(io, options.json === true);
			const opened = await open(repo, options.key);
			const size = opened.checkpoint.size;
			const limit = Math.min(options.limit, MAX_SHOW);
			const from = Math.min(options.from ?? Math.max(0, size - limit), size);
			const read = await readLogEntries(opened.log, from, Math.min(size, from + limit));
			const entries = read.map(({ index, entry }) => ({ index, ...entry }));
			if (output.json) {
				output.result({
					ok: true,
					origin: opened.checkpoint.origin,
					size,
					rootHash: hex(opened.checkpoint.root),
					entries,
				} satisfies LogShowJson);
				return;
			}
			output.line(`The log ${safe(opened.checkpoint.origin)}: ${size} entries`);
			for (const entry of entries) {
				output.line(
					`#${entry.index} ${entry.time} ${safe(entry.action)} ${safe(entry.subject, { maxLength: 200 })} (targets v${entry.targets_version})`,
				);
				output.line(`    ${safe(entry.reason, { maxLength: 500 })}`);
				if (entry.report !== undefined) output.line(`    report: ${safe(entry.report)}`);
			}
		});

	log
		.command('prove')
		.description(
			'print an inclusion proof (<index> [--size n]) or a consistency proof (--consistency <m> <n>)',
		)
		.argument('<repo>', 'the repository directory or URL')
		.argument(
			'<index-or-m>',
			'the entry to prove, or with --consistency the smaller tree size',
			count,
		)
		.argument('[n]', 'with --consistency: the larger tree size (default: the log size)', count)
		.option('--size <n>', 'the tree size the inclusion proof is for (default: the log size)', count)
		.option('--consistency', 'prove that the tree of <m> entries is a prefix of the tree of <n>')
		.option('--key <key>', keyHelp)
		.addOption(jsonOption())
		.action(async (repo, first, second, options) => {
			const output = createOutput(io, options.json === true);
			const opened = await open(repo, options.key);
			const tree = opened.log;
			const facts = {
				origin: opened.checkpoint.origin,
				size: opened.checkpoint.size,
				rootHash: hex(opened.checkpoint.root),
			};
			const rootOf = (size: number) => tree.rangeHash({ start: 0, end: size });
			let result: LogProveJson;
			if (options.consistency === true) {
				const n = second ?? facts.size;
				if (first > n || n > facts.size) {
					throw usage(`A consistency proof needs m <= n <= ${facts.size} (the log size).`);
				}
				const proof = await Promise.all(
					consistencyProofRanges(first, n).map((range) => tree.rangeHash(range)),
				);
				const [firstRoot, secondRoot] = [await rootOf(first), await rootOf(n)];
				// What is printed is checked first: a proof that does not verify is never shown.
				verifyConsistency(first, n, proof, firstRoot, secondRoot);
				result = {
					ok: true,
					...facts,
					kind: 'consistency',
					first,
					firstRootHash: hex(firstRoot),
					treeSize: n,
					treeRootHash: hex(secondRoot),
					proof: proof.map(hex),
				};
			} else {
				if (second !== undefined)
					throw usage('An inclusion proof takes one entry index; use --size for the tree.');
				const size = options.size ?? facts.size;
				if (size > facts.size || first >= size) {
					throw usage(`Entry ${first} is not in a tree of ${size} (the log has ${facts.size}).`);
				}
				const [read] = await readLogEntries(tree, first, first + 1);
				const leaf = leafHash((read as { bytes: Uint8Array }).bytes);
				const proof = await Promise.all(
					inclusionProofRanges(first, size).map((range) => tree.rangeHash(range)),
				);
				const root = await rootOf(size);
				verifyInclusion(leaf, first, size, proof, root);
				result = {
					ok: true,
					...facts,
					kind: 'inclusion',
					index: first,
					leafHash: hex(leaf),
					treeSize: size,
					treeRootHash: hex(root),
					proof: proof.map(hex),
				};
			}
			if (output.json) {
				output.result(result);
				return;
			}
			output.line(
				result.kind === 'inclusion'
					? `Inclusion of entry ${result.index} (leaf ${result.leafHash}) in the tree of ${result.treeSize}:`
					: `Consistency of the tree of ${result.first} (${result.firstRootHash}) with the tree of ${result.treeSize}:`,
			);
			output.line(`  root ${result.treeRootHash}`);
			for (const hash of result.proof) output.line(`  ${hash}`);
		});

	log
		.command('monitor')
		.description('follow a log and write an Atom feed of its blacklist and trust changes')
		.argument('<repo>', 'the repository directory or URL')
		.requiredOption('--feed <file>', 'the Atom feed to write')
		.option(
			'--state <file>',
			'where the last verified checkpoint is kept (default: <feed>.state.json)',
		)
		.option('--key <key>', keyHelp)
		.addOption(jsonOption())
		.action(async (repo, options) => {
			const output = createOutput(io, options.json === true);
			const feed = resolve(io.cwd, options.feed);
			const verifierKey = await keyOf(options.key);
			const result = await monitorLog({
				location: locationOf(repo),
				feedPath: feed,
				statePath:
					options.state === undefined ? `${feed}.state.json` : resolve(io.cwd, options.state),
				fetch: io.fetch,
				now: io.now(),
				...(verifierKey === undefined ? {} : { verifierKey }),
			});
			if (output.json) {
				output.result({ ok: true, ...result, feed } satisfies LogMonitorJson);
				return;
			}
			output.line(
				`${output.style.green('✓')} The log ${safe(result.origin)} is consistent: ${result.previousSize} → ${result.size} entries`,
			);
			for (const item of result.added)
				output.line(`  ${safe(item.updated)} ${safe(item.title, { maxLength: 200 })}`);
			output.line(`  feed: ${safe(feed)} (${result.feedItems} items)`);
		});
}
