/**
 * The repository as clients see it: `repo_files` written out to a directory (what a service
 * process serves), then read with the library's own client side: the TUF workflow from the
 * shipped root 1 (which also checks the transparency log, D28), and the log's entries.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { readLogEntries } from '@vouch/library/internal/log/read-entries';
import type { RegistryLogEntry } from '@vouch/library/internal/log/registry-entry';
import { TileLog } from '@vouch/library/internal/log/tile-reader';
import { directoryTileReader, readLogCheckpoint } from '@vouch/library/internal/log/tile-writer';
import { createTufVerifier } from '@vouch/library/internal/tuf/client/verifier';
import { sha256Hex } from '@vouch/library/internal/tuf/metadata';
import { registryTargets } from '@vouch/library/internal/tuf/repository/registry-targets';
import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../../../src/db/schema.ts';

/** Writes every stored file under `dir` and checks each against its recorded SHA-256. */
export async function exportRepository(
	db: Kysely<ServiceDatabase>,
	dir: string,
): Promise<string[]> {
	const rows = await db.selectFrom('repo_files').selectAll().orderBy('path').execute();
	for (const row of rows) {
		const bytes = Buffer.from(row.bytes);
		assert.equal(sha256Hex(bytes), row.sha256, `${row.path} matches its SHA-256`);
		const file = join(dir, ...row.path.split('/'));
		await mkdir(dirname(file), { recursive: true });
		await writeFile(file, bytes);
	}
	return rows.map((row) => row.path);
}

/** A client that ships `shippedRoot` and refreshes from the directory `repoDir`. */
export async function verifyRepository(
	repoDir: string,
	clientDir: string,
	shippedRoot: string,
	now: () => Date,
) {
	const verifier = createTufVerifier({
		trustedRootPath: shippedRoot,
		metadataDir: join(clientDir, 'metadata'),
		targetsDir: join(clientDir, 'targets'),
		repositoryUrl: repoDir,
		now,
	});
	return verifier.refresh();
}

/** Every entry of the log in `repoDir/log`, verified against its checkpoint. */
export async function logEntries(repoDir: string, keysDir: string): Promise<RegistryLogEntry[]> {
	const logDir = join(repoDir, 'log');
	const verifierKey = (await readFile(join(keysDir, 'log-key.txt'), 'utf8')).trim();
	const checkpoint = await readLogCheckpoint(logDir, verifierKey);
	assert.ok(checkpoint !== undefined, 'the log has a checkpoint');
	const log = new TileLog({
		readTile: directoryTileReader(logDir),
		size: checkpoint.size,
		root: checkpoint.root,
	});
	return (await readLogEntries(log, 0, checkpoint.size)).map(({ entry }) => entry);
}

/** The bytes a publish of `text` signs as the `registry.json` target. */
export function registryTargetOf(text: string): Buffer {
	return registryTargets(text, { label: 'test' }).registry;
}

/** The `registry.json` target named by the newest stored targets metadata. */
export async function publishedRegistryTarget(db: Kysely<ServiceDatabase>): Promise<Buffer> {
	const latest = await db
		.selectFrom('publishes')
		.select('targets_version')
		.orderBy('targets_version', 'desc')
		.limit(1)
		.executeTakeFirstOrThrow();
	const targetsRow = await db
		.selectFrom('repo_files')
		.select('bytes')
		.where('path', '=', `metadata/${Number(latest.targets_version)}.targets.json`)
		.executeTakeFirstOrThrow();
	const targets = JSON.parse(Buffer.from(targetsRow.bytes).toString('utf8')) as {
		signed: { targets: Record<string, { hashes: { sha256: string } }> };
	};
	const hash = targets.signed.targets['registry.json']?.hashes.sha256;
	assert.ok(hash !== undefined, 'the targets metadata lists registry.json');
	const target = await db
		.selectFrom('repo_files')
		.select('bytes')
		.where('path', '=', `targets/${hash}.registry.json`)
		.executeTakeFirstOrThrow();
	return Buffer.from(target.bytes);
}
