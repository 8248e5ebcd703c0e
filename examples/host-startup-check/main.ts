/**
 * A host checking its plugins before it loads any: the blacklist, blacklist freshness (D1),
 * API compatibility and file integrity. Run it at every start, then load only `report.load`.
 *
 *   node --conditions=vouch-source --import tsx examples/host-startup-check/main.ts [profile]
 *
 * `profile` is a built-in name or a profile TOML file (default: VOUCH_PROFILE, else picard).
 */
import { createVouch, isVouchError, type StartupReport, sanitizeText } from '@vouch/library';

let report: StartupReport;
try {
	report = await createVouch({ profile: process.argv[2] }).startupCheck();
} catch (error) {
	// A profile that cannot be read, say. A host would start without plugins and tell the user.
	if (!isVouchError(error)) throw error;
	console.error(`error: ${sanitizeText(error.message)}`);
	if (error.hint !== undefined) console.error(`hint: ${sanitizeText(error.hint)}`);
	process.exit(1);
}

// Names and reasons come from plugins and the registry: sanitise before a terminal shows them.
const show = (text: string) => sanitizeText(text);

for (const plugin of report.load) {
	console.log(`load      ${show(plugin.name)} (${plugin.trust}) ${show(plugin.path)}`);
	// A real host would now import the plugin from plugin.path.
}
for (const plugin of report.disabled) {
	console.log(`disabled  ${show(plugin.name)}: ${show(plugin.reason)} [${plugin.kind}]`);
}
for (const plugin of report.quarantined) {
	console.log(`quarantined ${show(plugin.name)}: files kept in ${show(plugin.path)}`);
}
for (const plugin of report.heldBack) {
	console.log(`held back ${show(plugin.name)}: ${show(plugin.reason)}`);
}
for (const plugin of report.removed) {
	console.log(`removed   ${show(plugin.name)}: ${show(plugin.reason)}`);
}
for (const warning of report.warnings) console.log(`warning   ${show(warning)}`);
console.log(`blacklist ${report.blacklist.state}`);
