/**
 * The report as `vouch report` shows it before asking: first what Vouch attaches on its own
 * (the plugin's facts and the host), then what the user wrote. Every value is sanitised: the
 * facts come from registries and plugin manifests.
 */
import type { ParsedReportRequest } from '@vouch/library/internal/report/report-schema';
import type { Output } from '../output.ts';
import { safe } from '../style.ts';

export function printReport(output: Output, service: string, request: ParsedReportRequest): void {
	const { plugin, host } = request;
	output.line(`This report will be sent to ${safe(service)}:`);
	output.line();
	output.line(output.style.bold('Attached by Vouch (what this machine knows about the plugin)'));
	const fact = (label: string, value: string | undefined) => {
		if (value !== undefined) output.line(`  ${label.padEnd(13)}${safe(value, { maxLength: 300 })}`);
	};
	fact('Plugin:', plugin.id);
	fact('UUID:', plugin.uuid);
	fact('Source:', plugin.url);
	fact('Ref:', plugin.ref);
	fact('Commit:', plugin.commit);
	fact('Tree digest:', plugin.treeDigest);
	fact('Trust:', plugin.trust);
	fact('Version:', plugin.version);
	fact('Host:', host === undefined ? undefined : `${host.profile} (${host.version})`);
	output.line();
	output.line(output.style.bold('From you'));
	fact('Reason:', request.kind.replaceAll('_', '-'));
	if (request.details.length === 0) fact('Details:', '(none)');
	else {
		output.line('  Details:');
		for (const line of request.details.split('\n'))
			output.line(`    ${safe(line, { maxLength: 500 })}`);
	}
	if (request.evidence.length === 0) fact('Evidence:', '(none)');
	for (const item of request.evidence) {
		const where =
			item.path === undefined
				? item.url
				: `${item.commit ?? ''}${item.commit === undefined ? '' : ':'}${item.path}${item.line === undefined ? '' : `:${item.line}`}`;
		fact('Evidence:', where);
	}
	output.line();
}
