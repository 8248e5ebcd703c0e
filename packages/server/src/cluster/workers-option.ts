/** `serve --workers N|auto`: how many processes serve the port. */
import { availableParallelism } from 'node:os';
import { sanitizeText } from '@vouch/library/internal/core/sanitize';
import { serverError } from '../errors.ts';

/** More processes than this is a typo, not a deployment (each holds a database connection). */
export const MAX_WORKERS = 64;

export function parseWorkers(value: string, cores: () => number = availableParallelism): number {
	if (value === 'auto') return Math.max(1, Math.min(MAX_WORKERS, cores()));
	const count = Number(value);
	if (!/^[0-9]{1,3}$/.test(value) || count < 1 || count > MAX_WORKERS) {
		throw serverError(
			'INVALID_OPTIONS',
			`--workers ${sanitizeText(value, { maxLength: 40 })} is not a number of processes.`,
			{ hint: `Give a whole number from 1 to ${MAX_WORKERS}, or auto (one per core).` },
		);
	}
	return count;
}
