/**
 * `prepareDemoEcosystem`: what `npm start` needs besides the service itself, made once in a
 * data directory and reused by every later start: TUF keys (with the transparency log's key)
 * and the demo plugins' git repositories, with the pins of their reviewed releases.
 *
 * Nothing half-made is ever used. The ecosystem is built in a scratch directory beside its
 * final place and renamed into place only once complete, with a record (`ecosystem.json`)
 * written last inside it. A later start reuses it only when that record is readable and every
 * file it names is there; otherwise it is set aside and built again. A crash therefore leaves
 * either no ecosystem or a whole one, and the scratch leftovers are removed at the next start.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { writeFileAtomic } from '@vouch/library/internal/core/atomic-fs';
import { initKeys } from '@vouch/library/internal/tuf/repository/init-keys';
import { DEMO_PLUGINS, type DemoTrust } from './plugins.ts';
import { buildDemoRepositories, type DemoPin } from './repositories.ts';

/** The ecosystem's directory inside the data directory. */
export const DEMO_ECOSYSTEM_DIR = 'ecosystem';
export const DEMO_ECOSYSTEM_RECORD = 'ecosystem.json';
/** Bumped whenever the demo's content changes, so an old ecosystem is rebuilt, not reused. */
export const DEMO_ECOSYSTEM_FORMAT = 'vouch-demo-ecosystem/1';
const SCRATCH_PREFIX = '.ecosystem-';
const MAX_RECORD_BYTES = 256 * 1024;

export interface DemoEcosystemPlugin {
	id: string;
	uuid: string;
	name: string;
	description: string;
	trust: DemoTrust;
	blacklistReason?: string;
	/** The bare repository (absolute). */
	repository: string;
	/** Every release, oldest first; the registry pins them when the plugin is pinned. */
	releases: DemoPin[];
	pinned: boolean;
}

export interface DemoEcosystem {
	dataDir: string;
	/** `<dataDir>/ecosystem`. */
	dir: string;
	/** The TUF key set, private keys included (demo keys: never for a real registry). */
	keysDir: string;
	/** The bare repositories, as `<id>.git`: what the service serves under `/git/`. */
	reposDir: string;
	/** When the ecosystem was made: the dates of its registry entries and blacklist. */
	createdAt: Date;
	log: { origin: string; verifierKey: string };
	plugins: DemoEcosystemPlugin[];
	/** False when this call built it (first start, or the old one was damaged). */
	reused: boolean;
}

export interface PrepareDemoOptions {
	dataDir: string;
	clock: () => Date;
	/** The environment git runs with. Default `process.env`. */
	env?: Readonly<Record<string, string | undefined>>;
}

/** What `ecosystem.json` holds: paths relative to the ecosystem directory. */
interface EcosystemRecord {
	format: string;
	createdAt: string;
	log: { origin: string; verifierKey: string };
	/** Every file a complete ecosystem has, checked before it is reused. */
	files: string[];
	plugins: (Omit<DemoEcosystemPlugin, 'repository'> & { repository: string })[];
}

export async function prepareDemoEcosystem(options: PrepareDemoOptions): Promise<DemoEcosystem> {
	const dataDir = resolve(options.dataDir);
	await mkdir(dataDir, { recursive: true });
	await removeScratch(dataDir);
	const dir = join(dataDir, DEMO_ECOSYSTEM_DIR);
	const existing = await readIntact(dir);
	if (existing !== undefined) return toEcosystem(dataDir, existing, true);

	const scratch = join(dataDir, `${SCRATCH_PREFIX}${randomBytes(6).toString('hex')}`);
	await mkdir(scratch, { mode: 0o700 });
	try {
		const record = await buildEcosystem(scratch, options);
		await setAside(dir, dataDir);
		await rename(scratch, dir);
		return toEcosystem(dataDir, record, false);
	} catch (error) {
		await rm(scratch, { recursive: true, force: true });
		throw error;
	}
}

/** Builds a whole ecosystem in `scratch`; the record is written last. */
async function buildEcosystem(
	scratch: string,
	options: PrepareDemoOptions,
): Promise<EcosystemRecord> {
	const createdAt = wholeSeconds(options.clock());
	const keys = await initKeys({ dir: join(scratch, 'keys') });
	const repositories = await buildDemoRepositories(scratch, DEMO_PLUGINS, createdAt, options.env);
	const record: EcosystemRecord = {
		format: DEMO_ECOSYSTEM_FORMAT,
		createdAt: createdAt.toISOString(),
		log: { origin: keys.log.origin, verifierKey: keys.log.verifierKey },
		files: [
			join('keys', 'keys.json'),
			...keys.keys.map((key) => join('keys', key.file)),
			// The log's signing key: without it no publish can extend the log (D28).
			join('keys', basename(keys.log.file)),
			...repositories.map((repository) => join(repository.path, 'HEAD')),
		],
		plugins: DEMO_PLUGINS.map((plugin) => {
			const built = repositories.find((repository) => repository.id === plugin.id);
			if (built === undefined) throw new Error(`The repository of ${plugin.id} was not built.`);
			return {
				id: plugin.id,
				uuid: plugin.uuid,
				name: plugin.name,
				description: plugin.description,
				trust: plugin.trust,
				...(plugin.blacklistReason === undefined
					? {}
					: { blacklistReason: plugin.blacklistReason }),
				repository: built.path,
				releases: built.pins,
				pinned: plugin.pinned,
			};
		}),
	};
	// Written last: its presence is what marks the ecosystem complete.
	await writeFileAtomic(
		join(scratch, DEMO_ECOSYSTEM_RECORD),
		`${JSON.stringify(record, null, '\t')}\n`,
	);
	return record;
}

/** The record of a complete ecosystem at `dir`, or undefined when it is missing or damaged. */
async function readIntact(dir: string): Promise<EcosystemRecord | undefined> {
	let record: EcosystemRecord;
	try {
		const path = join(dir, DEMO_ECOSYSTEM_RECORD);
		if ((await stat(path)).size > MAX_RECORD_BYTES) return undefined;
		record = JSON.parse(await readFile(path, 'utf8')) as EcosystemRecord;
	} catch {
		return undefined;
	}
	if (record.format !== DEMO_ECOSYSTEM_FORMAT || !Array.isArray(record.files)) return undefined;
	if (!Array.isArray(record.plugins) || Number.isNaN(Date.parse(record.createdAt))) {
		return undefined;
	}
	const expected = DEMO_PLUGINS.map((plugin) => plugin.id).join(' ');
	if (record.plugins.map((plugin) => plugin.id).join(' ') !== expected) return undefined;
	for (const file of record.files) {
		// Only names the record itself made: plain relative paths inside the ecosystem.
		if (typeof file !== 'string' || file.startsWith('/') || file.split(/[\\/]/).includes('..')) {
			return undefined;
		}
		try {
			if (!(await stat(join(dir, file))).isFile()) return undefined;
		} catch {
			return undefined;
		}
	}
	return record;
}

/** Moves a damaged ecosystem out of the way, then removes it (demo keys, nothing to keep). */
async function setAside(dir: string, dataDir: string): Promise<void> {
	const aside = join(dataDir, `${SCRATCH_PREFIX}damaged-${randomBytes(6).toString('hex')}`);
	try {
		await rename(dir, aside);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
		throw error;
	}
	await rm(aside, { recursive: true, force: true });
}

/** Scratch directories of a start that crashed before its rename. */
async function removeScratch(dataDir: string): Promise<void> {
	for (const name of await readdir(dataDir)) {
		if (name.startsWith(SCRATCH_PREFIX)) {
			await rm(join(dataDir, name), { recursive: true, force: true });
		}
	}
}

function toEcosystem(dataDir: string, record: EcosystemRecord, reused: boolean): DemoEcosystem {
	const dir = join(dataDir, DEMO_ECOSYSTEM_DIR);
	return {
		dataDir,
		dir,
		keysDir: join(dir, 'keys'),
		reposDir: join(dir, 'repos'),
		createdAt: new Date(record.createdAt),
		log: record.log,
		plugins: record.plugins.map((plugin) => ({
			...plugin,
			repository: join(dir, plugin.repository),
		})),
		reused,
	};
}

/** Registry dates are written to the second. */
function wholeSeconds(date: Date): Date {
	return new Date(Math.floor(date.getTime() / 1000) * 1000);
}
