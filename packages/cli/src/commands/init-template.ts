/**
 * The files `vouch init` writes: a MANIFEST.toml that `vouch validate` accepts as it stands,
 * with every capability declared false, an entry module that does nothing yet, and a README.
 * A plugin that starts by declaring nothing makes every capability it later needs a visible,
 * reviewed change (D20) rather than something nobody wrote down.
 */
import {
	CAPABILITIES,
	CAPABILITY_DESCRIPTIONS,
} from '@vouch/library/internal/manifest/capabilities';

export type PluginLanguage = 'python' | 'javascript';

export interface PluginTemplateInput {
	uuid: string;
	name: string;
	description: string;
	author?: string;
	/** The API versions the plugin declares: the host's newest. */
	api: string[];
	language: PluginLanguage;
	/** For the README: the host the plugin is for (the profile name). */
	host: string;
}

export interface TemplateFile {
	/** Relative to the plugin directory. */
	path: string;
	content: string;
}

/** A TOML basic string. JSON escapes are valid TOML; DEL is the one control JSON leaves raw. */
export function tomlString(text: string): string {
	return JSON.stringify(text).replace(/\u007f/g, '\\u007F');
}

export function entryModuleName(language: PluginLanguage): string {
	return language === 'python' ? '__init__.py' : 'index.js';
}

export function pluginTemplate(input: PluginTemplateInput): TemplateFile[] {
	return [
		{ path: 'MANIFEST.toml', content: manifestText(input) },
		{ path: entryModuleName(input.language), content: entryModule(input) },
		{ path: 'README.md', content: readme(input) },
		{ path: '.gitignore', content: gitignore(input.language) },
	];
}

function manifestText(input: PluginTemplateInput): string {
	const authors =
		input.author === undefined
			? '# authors = ["Your Name <you@example.org>"]'
			: `authors = [${tomlString(input.author)}]`;
	const capabilities = CAPABILITIES.map(
		(capability) => `# ${CAPABILITY_DESCRIPTIONS[capability]}\n${capability} = false`,
	).join('\n');
	return `# The plugin's identity and what it declares. \`vouch validate .\` checks this file.

# The plugin's permanent identity: the blacklist and trust levels refer to it. Never change it,
# and never copy it into another plugin.
uuid = ${tomlString(input.uuid)}
name = ${tomlString(input.name)}
# One line, shown in plugin lists and searches.
description = ${tomlString(input.description)}
${authors}
# The host plugin API versions this plugin works with.
api = [${input.api.map(tomlString).join(', ')}]
version = "0.1.0"
# license = "MIT"

# What the plugin's code reaches. Users see this list before they install, an update that
# turns one on asks them again, and \`vouch scan\` reports code that reaches further than it
# says. Turn on only what the plugin needs.
[capabilities]
${capabilities}
`;
}

function entryModule(input: PluginTemplateInput): string {
	if (input.language === 'python') {
		return `"""${input.name.replace(/["\\]/g, '')}: ${input.description.replace(/["\\]/g, '')}"""


def enable(api):
    """Called when the plugin is enabled: register what the plugin adds here."""


def disable():
    """Called when the plugin is disabled: undo what enable() registered."""
`;
	}
	return `// ${input.name.replace(/\n/g, ' ')}: ${input.description.replace(/\n/g, ' ')}

/** Called when the plugin is enabled: register what the plugin adds here. */
export function enable(api) {}

/** Called when the plugin is disabled: undo what enable() registered. */
export function disable() {}
`;
}

function readme(input: PluginTemplateInput): string {
	return `# ${input.name}

${input.description}

A plugin for ${input.host}.

## Development
- \`vouch validate .\` checks MANIFEST.toml.
- \`vouch scan .\` reports what the code can reach, against the capabilities the manifest
  declares. Declare a capability in \`[capabilities]\` before the code uses it.
- \`vouch install ./\` installs this directory in place, to try it in the host.

The \`uuid\` in MANIFEST.toml is this plugin's permanent identity: keep it when the plugin is
renamed or moves, and give a copy of the plugin a new one.
`;
}

function gitignore(language: PluginLanguage): string {
	return language === 'python' ? '__pycache__/\n*.py[cod]\n' : 'node_modules/\n';
}
