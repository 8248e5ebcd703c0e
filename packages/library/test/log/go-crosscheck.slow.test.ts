/**
 * Cross-check with Go's golang.org/x/mod/sumdb/tlog and note (Debian: golang-go and
 * golang-golang-x-mod-dev), an implementation written independently of ours. Go reads the tiles
 * our writer produced and verifies them against our signed checkpoint, checks our proofs and
 * makes its own (which must equal ours, and which we verify), computes the tree hash of every
 * prefix, and signs a note with a key it generated, which we must open and sign identically.
 * Runs offline: GOPATH is the Debian source tree, modules off, a private build cache.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { decodeBase64Strict, encodeBase64 } from '../../src/log/base64.ts';
import { MemoryTree } from '../../src/log/memory-tree.ts';
import { openNote, signNote } from '../../src/log/note.ts';
import { generateNoteKey, parseSignerKey, parseVerifierKey } from '../../src/log/note-keys.ts';
import { verifyConsistency, verifyInclusion } from '../../src/log/proof-verify.ts';
import { TileLog } from '../../src/log/tile-reader.ts';
import { appendEntries, directoryTileReader } from '../../src/log/tile-writer.ts';
import { makeTempDir } from '../helpers/temp.ts';
import { assertLogError } from './helpers.ts';

const GOPATH = '/usr/share/gocode';
const TLOG = join(GOPATH, 'src/golang.org/x/mod/sumdb/tlog');

function findGo(): string | undefined {
	for (const dir of (process.env.PATH ?? '').split(delimiter)) {
		if (dir !== '' && existsSync(join(dir, 'go'))) return join(dir, 'go');
	}
	for (const path of ['/usr/lib/go/bin/go', '/usr/bin/go']) if (existsSync(path)) return path;
	return undefined;
}

const GO = findGo();
const skip =
	GO === undefined
		? 'go is not installed (Debian: apt-get install golang-go)'
		: existsSync(TLOG)
			? false
			: 'golang.org/x/mod is not installed (Debian: apt-get install golang-golang-x-mod-dev)';

function runGo(program: string, input: string, work: string): Promise<string> {
	const env = {
		PATH: process.env.PATH ?? '',
		HOME: work,
		GOPATH,
		GO111MODULE: 'off',
		GOFLAGS: '',
		GOPROXY: 'off',
		GOTOOLCHAIN: 'local',
		GOCACHE: join(work, 'gocache'),
		CGO_ENABLED: '0',
	};
	return new Promise((resolve, reject) => {
		execFile(
			GO as string,
			['run', program, input],
			{ env, cwd: work, maxBuffer: 64 * 1024 * 1024 },
			(error, stdout, stderr) =>
				error === null ? resolve(stdout) : reject(new Error(`go run failed: ${stderr}`)),
		);
	});
}

const b64 = (bytes: Uint8Array) => encodeBase64(bytes);

/** The signature line with the last byte of its Ed25519 signature changed. */
function flipLastSignatureByte(line: string): string {
	const space = line.lastIndexOf(' ');
	const blob = Buffer.from(line.slice(space + 1, -1), 'base64');
	blob[blob.length - 1] = (blob[blob.length - 1] as number) ^ 1;
	return `${line.slice(0, space + 1)}${blob.toString('base64')}\n`;
}
const unb64 = (text: string) => decodeBase64Strict(text) as Uint8Array;

describe('cross-check with golang.org/x/mod/sumdb', { skip }, () => {
	it('agrees on tiles, tree hashes, proofs and signed notes', async () => {
		const work = makeTempDir('vouch-go-');
		const dir = join(work, 'log');
		const key = generateNoteKey('example.org/log');
		const signer = parseSignerKey(key.signerKey);
		const memory = new MemoryTree();
		let checkpoint = '';
		for (const count of [1, 2, 253, 1, 300, 65536, 700]) {
			const entries = Array.from({ length: count }, (_, i) =>
				new TextEncoder().encode(`entry ${memory.size + i}`),
			);
			for (const entry of entries) memory.append(entry);
			checkpoint = (await appendEntries(dir, entries, { signer })).checkpoint.note;
		}
		const size = memory.size;
		const log = new TileLog({ readTile: directoryTileReader(dir), size, root: memory.root() });
		const indexes = [0, 1, 2, 255, 256, 257, 1000, 65535, 65536, 65537, size - 2, size - 1];
		const firsts = [1, 2, 3, 4, 255, 256, 257, 557, 65536, 66093, size - 1, size];
		const inclusion = [];
		for (const index of indexes)
			inclusion.push({ index, size, proof: (await log.inclusionProof(index)).map(b64) });
		const consistency = [];
		for (const first of firsts) {
			consistency.push({
				first,
				firstRoot: b64(memory.root(first)),
				proof: (await log.consistencyProof(first)).map(b64),
			});
		}
		const body = checkpoint.slice(0, checkpoint.indexOf('\n\n') + 1);
		const signatureLine = checkpoint.slice(body.length + 1);
		const tamperedNotes = [
			checkpoint.replace(`\n${size}\n`, `\n${size + 1}\n`),
			checkpoint.replace('\u2014 example.org/log ', '\u2014 example.org/lag '),
			`${body}\n${flipLastSignatureByte(signatureLine)}`,
		];
		const smallLeaves = Array.from({ length: 300 }, (_, i) =>
			b64(new TextEncoder().encode(`entry ${i}`)),
		);
		const noteToSign = 'go.example/log\n42\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n';
		const input = join(work, 'request.json');
		await writeFile(
			input,
			JSON.stringify({
				dir,
				verifierKey: key.verifierKey,
				checkpoint,
				leaves: smallLeaves,
				inclusion,
				consistency,
				tamperedNotes,
				noteToSign,
			}),
		);
		const program = join(work, 'crosscheck.go');
		await copyFile(fileURLToPath(new URL('./go/crosscheck.go', import.meta.url)), program);
		const result = JSON.parse(await runGo(program, input, work));

		// Go opened our signed checkpoint, and none of the tampered ones.
		assert.equal(result.checkpointOpened, true);
		assert.equal(result.tamperedAccepted, 0);
		// Go's tree hash of every prefix equals ours; Go verified our tiles against our root.
		const small = new MemoryTree();
		for (let i = 0; i < 300; i++) small.append(new TextEncoder().encode(`entry ${i}`));
		assert.deepEqual(
			result.roots,
			Array.from({ length: 300 }, (_, i) => b64(small.root(i + 1))),
		);
		assert.equal(result.treeHashFromTiles, b64(memory.root()));
		// Our proofs are Go's proofs, accepted by Go; Go's proofs verify here.
		assert.equal(result.inclusionMatches, indexes.length);
		assert.equal(result.inclusionAccepted, indexes.length);
		assert.equal(result.consistencyMatches, firsts.length);
		assert.equal(result.consistencyAccepted, firsts.length);
		for (const c of result.goInclusion) {
			verifyInclusion(
				memory.hashAt({ level: 0, index: c.index }),
				c.index,
				size,
				c.proof.map(unb64),
				memory.root(),
			);
		}
		for (const c of result.goConsistency) {
			verifyConsistency(c.first, size, c.proof.map(unb64), unb64(c.firstRoot), memory.root());
			if (c.proof.length > 0 && c.first > 1) {
				assertLogError(
					() =>
						verifyConsistency(
							c.first - 1,
							size,
							c.proof.map(unb64),
							memory.root(c.first - 1),
							memory.root(),
						),
					'LOG_BAD_PROOF',
				);
			}
		}
		// A key Go generated: same verifier text derived here, its note opens here, and Ed25519
		// being deterministic, signing the same text here gives the very same note.
		const goSigner = parseSignerKey(result.goSignerKey);
		assert.equal(goSigner.verifierKey, result.goVerifierKey);
		const opened = openNote(result.goNote, [parseVerifierKey(result.goVerifierKey)]);
		assert.equal(opened.text, noteToSign);
		assert.equal(signNote(noteToSign, [goSigner]), result.goNote);
	});
});
