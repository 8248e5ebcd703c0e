/**
 * The transparency log (D28) at 1,000,000 entries, each figure beside a baseline from the same
 * run:
 * - consistency and inclusion proof sizes (targets: at most 1.3 KB and 0.7 KB), the largest
 *   over many random pairs and indexes;
 * - consistency and inclusion proof verification (target: at most 1 ms), against one Ed25519
 *   verification of a signed checkpoint, the check a client makes anyway;
 * - appends to a log directory (each one committed: tiles, bundle and checkpoint written and
 *   synced), in entries per second, one per append and many per append, against `sha256sum`
 *   over the same bytes.
 * The 1M-leaf tree is built in memory from leaf hashes, not through the writer: proof size and
 * verification do not depend on how the tree was stored.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCheckpoint, signCheckpoint } from '../packages/library/src/log/checkpoint.ts';
import { MemoryTree } from '../packages/library/src/log/memory-tree.ts';
import { leafHash } from '../packages/library/src/log/merkle.ts';
import {
	generateNoteKey,
	parseSignerKey,
	parseVerifierKey,
} from '../packages/library/src/log/note-keys.ts';
import { verifyConsistency, verifyInclusion } from '../packages/library/src/log/proof-verify.ts';
import { appendEntries } from '../packages/library/src/log/tile-writer.ts';
import { type Figure, formatMs, medianMs, printFigures, timed } from './measure.ts';

export interface LogBenchResult {
	entries: number;
	buildMs: number;
	/** Largest proofs seen, in bytes. */
	consistencyProofBytes: number;
	inclusionProofBytes: number;
	appends: {
		single: number;
		singlePerSecond: number;
		batch: number;
		batchPerSecond: number;
		sha256sumPerSecond: number;
	};
	figures: Figure[];
}

/** A deterministic spread of sizes, so runs compare (no Math.random). */
function spread(count: number, below: number, seed: number): number[] {
	const out: number[] = [];
	let x = seed;
	for (let i = 0; i < count; i++) {
		x = (x * 1103515245 + 12345) % 2 ** 31;
		out.push(1 + (x % (below - 1)));
	}
	return out;
}

export async function benchLogProofs(options: {
	entries: number;
	appendsSingle: number;
	appendsBatch: number;
}): Promise<LogBenchResult> {
	const size = options.entries;
	const tree = new MemoryTree();
	const build = timed(() => {
		for (let i = 0; i < size; i++) tree.appendLeafHash(leafHash(Buffer.from(`entry ${i}`)));
	});
	const root = tree.root();

	const firsts = spread(1000, size, 7);
	const indexes = spread(1000, size, 11).map((i) => i - 1);
	let consistencyBytes = 0;
	let inclusionBytes = 0;
	for (const m of firsts)
		consistencyBytes = Math.max(consistencyBytes, tree.consistencyProof(m).length * 32);
	for (const i of indexes)
		inclusionBytes = Math.max(inclusionBytes, tree.inclusionProof(i).length * 32);

	// Verification of the worst proofs of a few shapes, each checked first (a benchmark of a
	// verifier that refuses would measure the refusal).
	const m = firsts[0] as number;
	const consistency = { proof: tree.consistencyProof(m), first: tree.root(m) };
	verifyConsistency(m, size, consistency.proof, consistency.first, root);
	const index = indexes[0] as number;
	const inclusion = { proof: tree.inclusionProof(index), leaf: tree.hashAt({ level: 0, index }) };
	verifyInclusion(inclusion.leaf, index, size, inclusion.proof, root);
	const key = generateNoteKey('bench.example/log');
	const note = signCheckpoint({ origin: 'bench.example/log', size, root, extensions: [] }, [
		parseSignerKey(key.signerKey),
	]);
	const verifier = parseVerifierKey(key.verifierKey);
	const repeat = 200;
	const consistencyMs =
		medianMs(15, () => {
			for (let r = 0; r < repeat; r++)
				verifyConsistency(m, size, consistency.proof, consistency.first, root);
		}) / repeat;
	const inclusionMs =
		medianMs(15, () => {
			for (let r = 0; r < repeat; r++)
				verifyInclusion(inclusion.leaf, index, size, inclusion.proof, root);
		}) / repeat;
	const signatureMs =
		medianMs(15, () => {
			for (let r = 0; r < repeat; r++) openCheckpoint(note, verifier);
		}) / repeat;

	// Appends, committed to disk, against sha256sum reading the same bytes.
	const dir = mkdtempSync(join(tmpdir(), 'vouch-bench-log-'));
	try {
		const signer = parseSignerKey(key.signerKey);
		const entry = (i: number) => Buffer.from(`{"sequence":${i},"subject":"bench entry ${i}"}`);
		const singleStart = process.hrtime.bigint();
		for (let i = 0; i < options.appendsSingle; i++)
			await appendEntries(join(dir, 'single'), [entry(i)], { signer });
		const singleMs = Number(process.hrtime.bigint() - singleStart) / 1e6;
		const batchEntries = Array.from({ length: options.appendsBatch }, (_, i) => entry(i));
		const batchStart = process.hrtime.bigint();
		await appendEntries(join(dir, 'batch'), batchEntries, { signer });
		const batchMs = Number(process.hrtime.bigint() - batchStart) / 1e6;
		const bytesFile = join(dir, 'entries.bin');
		writeFileSync(bytesFile, Buffer.concat(batchEntries));
		const sha256sumMs = medianMs(5, () => execFileSync('sha256sum', [bytesFile]));
		// The one-entry append's own baseline: sha256sum of that one entry, so both sides pay
		// for one whole operation (a process start for the one, a committed append for the other).
		const oneFile = join(dir, 'entry.bin');
		writeFileSync(oneFile, entry(0));
		const sha256sumOneMs = medianMs(5, () => execFileSync('sha256sum', [oneFile]));
		const singlePerSecond = (options.appendsSingle / singleMs) * 1000;
		const batchPerSecond = (options.appendsBatch / batchMs) * 1000;
		const sha256sumPerSecond = (options.appendsBatch / sha256sumMs) * 1000;
		assert.ok(consistencyBytes > 0 && inclusionBytes > 0);
		return {
			entries: size,
			buildMs: build.ms,
			consistencyProofBytes: consistencyBytes,
			inclusionProofBytes: inclusionBytes,
			appends: {
				single: options.appendsSingle,
				singlePerSecond,
				batch: options.appendsBatch,
				batchPerSecond,
				sha256sumPerSecond,
			},
			figures: [
				{
					name: `verify consistency proof (${consistency.proof.length} hashes)`,
					ms: consistencyMs,
					baselineName: 'Ed25519 checkpoint check',
					baselineMs: signatureMs,
					targetMs: 1,
				},
				{
					name: `verify inclusion proof (${inclusion.proof.length} hashes)`,
					ms: inclusionMs,
					baselineName: 'Ed25519 checkpoint check',
					baselineMs: signatureMs,
					targetMs: 1,
				},
				{
					name: `append ${options.appendsBatch} entries, one commit`,
					ms: batchMs,
					baselineName: 'sha256sum, same bytes',
					baselineMs: sha256sumMs,
				},
				{
					name: `append 1 entry, committed (mean of ${options.appendsSingle})`,
					ms: singleMs / options.appendsSingle,
					baselineName: 'sha256sum of that one entry',
					baselineMs: sha256sumOneMs,
				},
			],
		};
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

export async function runLogProofsBench(): Promise<LogBenchResult> {
	const result = await benchLogProofs({
		entries: 1_000_000,
		appendsSingle: 200,
		appendsBatch: 100_000,
	});
	printFigures(
		`Transparency log: ${result.entries.toLocaleString('en')} entries (tree built in ${formatMs(result.buildMs)})`,
		result.figures,
	);
	const kb = (bytes: number) => `${(bytes / 1000).toFixed(2)} KB`;
	console.log(
		`  largest consistency proof: ${kb(result.consistencyProofBytes)} (target at most 1.3 KB: ${result.consistencyProofBytes <= 1300 ? 'met' : 'MISSED'}); ` +
			`largest inclusion proof: ${kb(result.inclusionProofBytes)} (target at most 0.7 KB: ${result.inclusionProofBytes <= 700 ? 'met' : 'MISSED'})`,
	);
	const a = result.appends;
	console.log(
		`  appends: ${a.batchPerSecond.toFixed(0)} entries/s in one append of ${a.batch}, ${a.singlePerSecond.toFixed(0)} appends/s one entry each; ` +
			`sha256sum over the same bytes: ${a.sha256sumPerSecond.toFixed(0)} entries/s (batch ratio ${(a.batchPerSecond / a.sha256sumPerSecond).toFixed(3)})`,
	);
	return result;
}
