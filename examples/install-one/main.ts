/**
 * A script that installs one plugin: from the registry (id or UUID), a git URL, or a local
 * directory. Nobody is there to answer questions, so a plugin that needs agreement (the
 * community and unregistered trust warning, D12) is installed only with `--yes`, after the
 * warnings are printed; anything else that needs a person fails with a typed error.
 *
 *   node --conditions=vouch-source --import tsx examples/install-one/main.ts <profile> <plugin> [--yes]
 */
import { createVouch, hasCode, isVouchError, missingConsent, sanitizeText } from '@vouch/library';

const [profile, target, ...flags] = process.argv.slice(2);
if (profile === undefined || target === undefined) {
	console.error('usage: main.ts <profile> <plugin> [--yes]');
	process.exit(2);
}

const vouch = createVouch({
	profile,
	// Warnings are shown whatever the answer: the user must see what they agree to.
	reporter: {
		progress: () => {},
		info: (text) => console.error(sanitizeText(text, { multiline: true })),
		warn: (text) => console.error(`warning: ${sanitizeText(text, { multiline: true })}`),
	},
});

try {
	const { plugin, enabled, trust, path } = await vouch.install(target, {
		yes: flags.includes('--yes'),
	});
	console.log(`installed ${sanitizeText(plugin.name)} (${trust.level}) at ${sanitizeText(path)}`);
	console.log(enabled ? 'enabled' : 'not enabled');
} catch (error) {
	if (!isVouchError(error)) throw error;
	console.error(`error: ${sanitizeText(error.message)}`);
	if (error.hint !== undefined) console.error(`hint: ${sanitizeText(error.hint)}`);
	if (hasCode(error, 'BLACKLISTED')) process.exitCode = 3;
	else if (missingConsent(error) !== undefined) process.exitCode = 4;
	else process.exitCode = 1;
}
