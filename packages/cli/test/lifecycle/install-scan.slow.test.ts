/**
 * The scan inside install runs beside the digest and the other checks (D21), on the same one
 * read of each file: these drive `installPlugin` as `vouch install` wires it, with the scanner
 * replaced where a test needs it to fail or to show what it was handed.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isVouchError } from '@vouch/library/internal/core/errors';
import type { FetchedScanOptions } from '@vouch/library/internal/lifecycle/deps';
import { type InstallOptions, installPlugin } from '@vouch/library/internal/lifecycle/install';
import { scanPlugin } from '@vouch/library/internal/scan/index';
import type { ScanReport } from '@vouch/library/internal/scan/types';
import type { CliIO } from '../../src/io.ts';
import { lifecycleContext, pluginWorkDeps } from '../../src/lifecycle-context.ts';
import { createOutput } from '../../src/output.ts';
import { CLI_TEST_NOW } from '../helpers/cli.ts';
import { createWorld, type ServedPlugin, type World } from './world.ts';

const PLUGIN = { name: 'side-by-side', uuid: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d' };
const FILES = {
	'__init__.py': 'from .pkg import helper\n\ndef enable(api):\n    helper.run(api)\n',
	'pkg/__init__.py': '',
	'pkg/helper.py': 'def run(api):\n    return api.name\n',
	'README.md': '# side by side\n',
};

let world: World;
let served: ServedPlugin;

before(async () => {
	world = await createWorld();
	served = world.serve({ ...PLUGIN, files: FILES });
});
after(() => world.close());

function io(): CliIO {
	return {
		stdout: { write: () => true },
		stderr: { write: () => true },
		env: world.env,
		cwd: world.root,
		stdoutIsTTY: false,
		stderrIsTTY: false,
		fetch: async () => {
			throw new Error('tests must not reach the network');
		},
		now: () => CLI_TEST_NOW,
	};
}

async function install(
	scan: (dir: string, options?: FetchedScanOptions) => Promise<ScanReport>,
	options: Partial<InstallOptions> = {},
) {
	const cliIO = io();
	const context = await lifecycleContext(
		{ registry: world.registryFile, json: true },
		cliIO,
		createOutput(cliIO, true),
	);
	const deps = { ...pluginWorkDeps(context, cliIO, false), scan };
	return installPlugin(
		{
			target: served.url,
			pre: false,
			reinstall: false,
			forceBlacklisted: false,
			allowInsecureTransport: false,
			allowStaleBlacklist: false,
			yes: true,
			enable: true,
			...options,
		},
		deps,
	);
}

function leftovers(): string[] {
	try {
		return readdirSync(join(world.profile.pluginsDir, '.staging'));
	} catch {
		return [];
	}
}

describe('install with the scan beside the other checks', () => {
	it('a scan that fails still stops the install of an unreviewed plugin, leaving nothing', async () => {
		await assert.rejects(
			install(async () => {
				throw new Error('the scanner fell over');
			}),
			(error: unknown) => isVouchError(error) && error.code === 'FINDINGS_NOT_ACCEPTED',
		);
		assert.equal((await world.state()).plugins[PLUGIN.uuid], undefined);
		assert.deepEqual(leftovers(), [], 'staging is removed');
		assert.ok(!world.pluginDirs().some((name) => name.startsWith('side_by_side')));
	});

	it('a failed scan is accepted only with --accept-findings, and recorded as failed', async () => {
		const result = await install(
			async () => {
				throw new Error('the scanner fell over');
			},
			{ acceptFindings: true },
		);
		assert.equal(result.plugin.scan?.failed, true);
	});

	it('the scanner is handed the bytes that were digested, and the manifest already read', async () => {
		const seen = new Map<string, string>();
		let handed: FetchedScanOptions | undefined;
		const result = await install(
			async (dir, options) => {
				handed = options;
				const reader = options?.reader;
				assert.ok(reader !== undefined, 'install passes the shared reads');
				for (const path of Object.keys(FILES)) {
					const read = await reader.bounded(join(dir, ...path.split('/')), 1 << 20);
					assert.equal(read.status, 'ok');
					if (read.status === 'ok') {
						seen.set(path, createHash('sha256').update(read.bytes).digest('hex'));
					}
				}
				return scanPlugin(dir, options);
			},
			{ reinstall: true },
		);
		assert.equal(handed?.capabilities?.status, 'undeclared');
		for (const [path, digest] of seen) {
			assert.equal(result.plugin.files[path], `sha256:${digest}`, `${path} as digested`);
		}
		assert.equal(seen.size, Object.keys(FILES).length);
		assert.ok(result.plugin.scan !== undefined && result.plugin.scan.failed !== true);
	});
});
