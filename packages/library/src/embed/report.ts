/**
 * The report operations of `createVouch` (D22): `prepareReport` finds the plugin (installed,
 * else registered) and builds the report the host shows its user; `report` sends what the user
 * agreed to; `reportStatus` follows it with the reporter token. The service is the host's
 * choice (`VouchOptions.service`): there is no default that sends anything anywhere.
 */
import { isVouchError } from '../core/errors.ts';
import type { HostProfile } from '../core/profile.ts';
import { findInstalled } from '../lifecycle/installed.ts';
import type { RegistrySnapshot } from '../lifecycle/snapshot.ts';
import { checkReportRequest, reportStatus, sendReport } from '../report/client.ts';
import type { ReportRequest } from '../report/report-schema.ts';
import { buildReport, type ReportInput, type ReportSubject } from './build-report.ts';
import { type HostEnvironment, urlContextOf } from './environment.ts';
import type { Vouch } from './types.ts';
import type { LocalState } from './wiring.ts';

export interface ReportParts {
	profile: HostProfile;
	environment: HostEnvironment;
	state: LocalState;
	snapshot(): Promise<RegistrySnapshot>;
	service: string | undefined;
	hostVersion: string | undefined;
	accountToken: string | undefined;
	timeoutMs: number | undefined;
}

export function createReportOperations(
	parts: ReportParts,
): Pick<Vouch, 'prepareReport' | 'report' | 'reportStatus'> {
	const clientDeps = {
		fetch: parts.environment.fetch,
		...(parts.timeoutMs === undefined ? {} : { timeoutMs: parts.timeoutMs }),
	};
	return {
		async prepareReport(target: string, input: ReportInput) {
			const subject = await findReportSubject(target, parts);
			const request = buildReport(subject, input, {
				profile: parts.profile.name,
				version: parts.hostVersion ?? 'unknown',
			});
			checkReportRequest(request);
			return request;
		},
		report: (request: ReportRequest) =>
			sendReport(parts.service, request, {
				...clientDeps,
				...(parts.accountToken === undefined ? {} : { accountToken: parts.accountToken }),
			}),
		reportStatus: (token: string) => reportStatus(parts.service, token, clientDeps),
	};
}

/**
 * The installed copy `target` names (id, name, UUID or URL, as other operations accept), else
 * the registry entry it names: a plugin need not be installed to be reported.
 */
export async function findReportSubject(
	target: string,
	parts: Pick<ReportParts, 'profile' | 'environment' | 'state' | 'snapshot'>,
): Promise<ReportSubject> {
	const snapshot = await parts.snapshot();
	const index = snapshot.index;
	const context = { ...urlContextOf(parts.profile, parts.environment), index };
	try {
		const installed = findInstalled(await parts.state.store.read(), target, context);
		return { installed, index };
	} catch (error) {
		if (!isVouchError(error) || error.code !== 'NOT_INSTALLED') throw error;
		const entry = index?.lookup(target)?.plugin;
		if (entry === undefined) throw error;
		return { entry, index };
	}
}
