/**
 * The child processes of the crash and concurrency tests: `node` run with a world's
 * environment only, and the crash child set to kill itself, pause or signal at one stage.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childNodeArgv } from '../../../../library/test/helpers/child-entry.ts';
import { makeTempDir } from '../../../../library/test/helpers/temp.ts';
import { copyWorld, type World } from '../world.ts';
import type { CrashStage } from './stages.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));
const CHILD = new URL('./crash-child.ts', import.meta.url);

export interface ChildExit {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	pid: number;
}

/**
 * Spawns `node` with the world's environment (and nothing of this process's). The default
 * working directory is the repository, where `--import tsx` resolves.
 */
export function spawnInWorld(
	world: World,
	args: string[],
	extraEnv: Record<string, string> = {},
	cwd = REPO_ROOT,
): { pid: number; exit: Promise<ChildExit> } {
	const child = spawn(process.execPath, args, {
		cwd,
		env: { ...world.env, ...extraEnv },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => {
		stdout += chunk.toString();
	});
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	const pid = child.pid;
	if (pid === undefined) throw new Error('the child process did not start');
	const exit = new Promise<ChildExit>((resolve, reject) => {
		child.on('error', reject);
		child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, pid }));
	});
	return { pid, exit };
}

export interface StagedChild {
	pid: number;
	exit: Promise<ChildExit>;
	/** Resolves once the child is at its stage; rejects if it ends before getting there. */
	reached(): Promise<void>;
	/** Lets a paused child go on. */
	go(): void;
	/** SIGKILLs it if it still runs (a test that failed half-way must not leave it waiting). */
	stop(): void;
}

/** Starts `install`/`update` in the crash child, set to `action` at `stage`. */
export function startCrashChild(
	world: World,
	operation: 'install' | 'update',
	target: string,
	stage: CrashStage,
	action: 'kill' | 'pause' | 'signal' = 'kill',
	flags: string[] = [],
): StagedChild {
	const reachedFile = join(makeTempDir('vouch-crash-'), 'reached');
	const { pid, exit } = spawnInWorld(
		world,
		[...childNodeArgv(CHILD).slice(1), operation, target, world.registryFile, ...flags],
		{ VOUCH_CRASH_STAGE: stage, VOUCH_CRASH_REACHED: reachedFile, VOUCH_CRASH_ACTION: action },
	);
	let ended: ChildExit | undefined;
	void exit.then((result) => {
		ended = result;
	});
	return {
		pid,
		exit,
		async reached() {
			while (!existsSync(reachedFile)) {
				if (ended !== undefined) {
					throw new Error(`the child ended before ${stage}: ${ended.stdout}${ended.stderr}`);
				}
				await new Promise((done) => setTimeout(done, 10));
			}
		},
		go: () => writeFileSync(`${reachedFile}.go`, ''),
		stop() {
			if (ended === undefined) process.kill(pid, 'SIGKILL');
		},
	};
}

/**
 * Runs `install`/`update` in the crash child and checks that it died by SIGKILL at `stage`
 * itself: the child writes the stage it reached just before killing itself.
 */
export async function crashChild(
	world: World,
	operation: 'install' | 'update',
	target: string,
	stage: CrashStage,
	flags: string[] = [],
): Promise<ChildExit> {
	const child = startCrashChild(world, operation, target, stage, 'kill', flags);
	const result = await child.exit;
	assert.equal(
		result.signal,
		'SIGKILL',
		`the child was meant to die at ${stage} (exit ${result.code}): ${result.stdout}${result.stderr}`,
	);
	// Written just before the kill: the child died there, not earlier.
	await child.reached();
	return result;
}

/**
 * `operation` of `target` SIGKILLed at a stage, in a world `prepare` makes. Each stage is killed
 * once; every caller gets a copy of what that kill left (the dead child's lock, journal and
 * staging included), so several checks each settle a real kill's leftovers without killing
 * again.
 */
export function killedOncePerStage<Prepared extends { world: World }>(
	prepare: () => Promise<Prepared>,
	operation: 'install' | 'update',
	target: string,
): (stage: CrashStage) => Promise<Prepared & { pid: number }> {
	const killed = new Map<CrashStage, Promise<Prepared & { pid: number }>>();
	return async (stage) => {
		let made = killed.get(stage);
		if (made === undefined) {
			made = prepare().then(async (prepared) => {
				const child = await crashChild(prepared.world, operation, target, stage);
				return { ...prepared, pid: child.pid };
			});
			killed.set(stage, made);
		}
		const { world, ...rest } = await made;
		return { ...rest, world: copyWorld(world) } as Prepared & { pid: number };
	};
}
