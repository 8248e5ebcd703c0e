/**
 * `vouch registry validate`: everything `registry lint` checks (the same rules, called, not
 * copied), and then, per plugin and with bounded concurrency, what only the repositories can
 * show (`check-plugin.ts`). Offline, the repository checks are skipped and the report names
 * them, so a pass offline is never mistaken for a full one. A plugin whose checks fail becomes
 * issues naming it, never an exception: one broken repository must not hide the others.
 */
import { sanitizeText } from '../../core/sanitize.ts';
import type { TransportUse } from '../../core/transport-policy.ts';
import { lintRegistry } from '../lint.ts';
import type { Registry } from '../model.ts';
import { checkPluginRepository } from './check-plugin.ts';
import { NETWORK_CHECKS, type NetworkCheck, type ValidateIssue } from './issues.ts';
import { mapBounded } from './pool.ts';
import type { RepositoryProbe } from './repository-port.ts';

export interface ValidateOptions {
	/** The host's categories; unknown ones are warned about (as lint does). */
	categories?: readonly string[];
	/** The transport rule for git URLs (D11); see `LintOptions.transport`. */
	transport?: TransportUse;
	/** Without a probe, the repository checks are skipped (`--offline`). */
	probe?: RepositoryProbe;
	/** Plugins checked at once. Default 4. */
	concurrency?: number;
	signal?: AbortSignal;
	/** Milliseconds, for the time each plugin took. */
	now?: () => number;
	/** Called as each plugin's checks start and end, for progress. */
	onPlugin?: (event: { id: string; phase: 'start' | 'done'; done: number; total: number }) => void;
}

export interface PluginTiming {
	id: string;
	durationMs: number;
	errors: number;
}

export interface ValidateReport {
	errors: ValidateIssue[];
	warnings: ValidateIssue[];
	offline: boolean;
	/** The checks not run (all network checks offline). */
	skippedChecks: NetworkCheck[];
	/** Per plugin, when the repository checks ran. */
	plugins: PluginTiming[];
}

export const DEFAULT_VALIDATE_CONCURRENCY = 4;

export async function validateRegistry(
	registry: Registry,
	options: ValidateOptions = {},
): Promise<ValidateReport> {
	const lint = lintRegistry(registry, {
		...(options.categories === undefined ? {} : { categories: options.categories }),
		...(options.transport === undefined ? {} : { transport: options.transport }),
	});
	const errors: ValidateIssue[] = [...lint.errors];
	const warnings: ValidateIssue[] = [...lint.warnings];
	const probe = options.probe;
	if (probe === undefined) {
		return { errors, warnings, offline: true, skippedChecks: [...NETWORK_CHECKS], plugins: [] };
	}
	const now = options.now ?? (() => performance.now());
	const total = registry.plugins.length;
	let done = 0;
	const results = await mapBounded(
		registry.plugins,
		options.concurrency ?? DEFAULT_VALIDATE_CONCURRENCY,
		async (plugin) => {
			options.onPlugin?.({ id: plugin.id, phase: 'start', done, total });
			const started = now();
			const result = await checkPluginRepository(plugin, probe, options.signal);
			done++;
			options.onPlugin?.({ id: plugin.id, phase: 'done', done, total });
			return { plugin, result, durationMs: now() - started };
		},
	);
	const plugins: PluginTiming[] = [];
	for (const { plugin, result, durationMs } of results) {
		errors.push(...result.errors);
		warnings.push(...result.warnings);
		plugins.push({ id: sanitizeText(plugin.id), durationMs, errors: result.errors.length });
	}
	return { errors, warnings, offline: false, skippedChecks: [], plugins };
}
