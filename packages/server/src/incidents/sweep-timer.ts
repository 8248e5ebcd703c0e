/**
 * Runs `sweep` on a timer in the service process. The timer is unref'd (it never keeps the
 * process alive), rounds never overlap, and a failed round is logged and tried again at the
 * next tick: the sweep is idempotent, so running it in every process of a service is safe.
 */
import type { IncidentService } from './types.ts';

export interface SweepTimer {
	stop(): Promise<void>;
}

export function startSweeping(
	incidents: Pick<IncidentService, 'sweep'>,
	options: { intervalMs: number; log?: (line: string) => void },
): SweepTimer {
	let running: Promise<void> | undefined;
	let stopped = false;
	const round = () => {
		if (stopped || running !== undefined) return;
		running = incidents
			.sweep()
			.then(() => undefined)
			.catch((error: unknown) => {
				options.log?.(`incident sweep failed: ${(error as Error).stack ?? String(error)}`);
			})
			.finally(() => {
				running = undefined;
			});
	};
	const timer = setInterval(round, Math.max(1000, options.intervalMs));
	timer.unref();
	return {
		async stop() {
			stopped = true;
			clearInterval(timer);
			await running;
		},
	};
}
