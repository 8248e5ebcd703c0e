/**
 * A registry service process reduced to its publisher, for the takeover test: it runs the
 * real publisher loop against the database named in its argument and reports on stdout, one
 * JSON object per line. While the file `pauseFile` exists, a publish stops after signing and
 * before the commit, says `paused`, and waits there for ever, so the test's SIGKILL lands in
 * the middle of a publish every time. SIGTERM stops it cleanly (the lease is released).
 *
 * Run as: node --conditions=vouch-source --import tsx publisher-process.ts '<json config>', or
 * as the plain JavaScript `scripts/test-build.mjs` makes of it, without tsx.
 */
import { existsSync } from 'node:fs';
import { openServiceDb } from '../../../src/db/open.ts';
import { createPublisher } from '../../../src/publish/index.ts';

export interface ProcessConfig {
	database: { url?: string; dataDir?: string };
	keysDir: string;
	holder: string;
	leaseMs: number;
	intervalMs: number;
	pauseFile: string;
}

const config = JSON.parse(process.argv[2] ?? '{}') as ProcessConfig;
const say = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);

const service = await openServiceDb(config.database);
const publisher = createPublisher({
	db: service.db,
	keysDir: config.keysDir,
	holder: config.holder,
	leaseMs: config.leaseMs,
	intervalMs: config.intervalMs,
	log: (event) => {
		if (event.type === 'published') {
			say({ event: 'published', revision: event.outcome.revision, id: event.outcome.publishId });
		} else if (event.type === 'publish-failed') {
			say({ event: event.type, code: event.code, message: event.message });
		} else {
			say({ event: event.type, epoch: event.epoch });
		}
	},
	beforeCommit: async () => {
		if (!existsSync(config.pauseFile)) return;
		say({ event: 'paused' });
		await new Promise(() => {});
	},
});
process.on('SIGTERM', () => {
	void publisher
		.stop()
		.then(() => service.close())
		.then(() => {
			say({ event: 'stopped' });
			process.exitCode = 0;
			process.stdin.destroy();
		});
});
publisher.start();
say({ event: 'ready' });
