/**
 * npm runs a package's `preinstall`, `install`, `postinstall` and `prepare` scripts when it is
 * installed, before anyone has looked at it, and most malicious npm packages do their work
 * there. The scanner never runs them; it reads `package.json` and judges each hook's command:
 * a hook at all is `install-script`, medium (native builds use one honestly); a hook that runs
 * a stager (`curl ... | sh`, encoded PowerShell), inline code (`node -e`, `python -c`) or a
 * network tool is high. A script file the hook names is scanned anyway as the code it is.
 */
import type { RuleId } from '../rules/catalog.ts';
import { stagerOf } from '../rules/stager.ts';
import type { Finding } from '../types.ts';
import { fileFinding } from './file-finding.ts';

const INSTALL_HOOKS = [
	'preinstall',
	'install',
	'postinstall',
	'preprepare',
	'prepare',
	'postprepare',
];

/** `package.json` files larger than this are not read for scripts. */
export const MAX_PACKAGE_JSON = 256 * 1024;

/** Commands an install hook runs for itself: code given inline, or the network from a shell. */
const INLINE_OR_NETWORK =
	/\b(?:node|nodejs|bun|deno)\b[^;&|]*\s(?:-e|--eval|-p|--print)\b|\bpython[\d.]*\s+-c\b|\b(?:curl|wget|nc|ncat|netcat|socat|nslookup|dig|host|ping)\s|\/dev\/(?:tcp|udp)\/|\bbase64\b|\beval\b|\$\(|`/i;

function finding(rule: RuleId, file: string, message: string, high: boolean): Finding {
	return fileFinding(rule, file, message, high ? 'high' : 'medium');
}

/** Shown in a message: printable ASCII only, bounded (the command is untrusted text). */
function shownCommand(command: string): string {
	const plain = command.replace(/[^\x20-\x7e]/g, '?');
	return plain.length > 80 ? `${plain.slice(0, 77)}...` : plain;
}

/** Findings for the install hooks of one `package.json`; none when it is not valid JSON. */
export function packageScriptFindings(file: string, text: string): Finding[] {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		return [];
	}
	if (typeof parsed !== 'object' || parsed === null) return [];
	const scripts = (parsed as { scripts?: unknown }).scripts;
	if (typeof scripts !== 'object' || scripts === null) return [];
	const findings: Finding[] = [];
	for (const hook of INSTALL_HOOKS) {
		const command = (scripts as Record<string, unknown>)[hook];
		if (typeof command !== 'string') continue;
		const stager = stagerOf(command);
		const high = stager !== undefined || INLINE_OR_NETWORK.test(command);
		const what =
			stager !== undefined
				? `runs ${stager.what}`
				: high
					? 'runs inline code or the network'
					: 'runs a command';
		findings.push(
			finding(
				'install-script',
				file,
				`the ${hook} script ${what} when the package is installed: ${shownCommand(command)}`,
				high,
			),
		);
	}
	return findings;
}
