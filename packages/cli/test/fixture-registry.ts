/** A small registry, written for the CLI tests, with every kind of blacklist entry. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../../library/test/helpers/temp.ts';

export const OFFICIAL_UUID = '8c4f2a1e-5b7d-4e9a-9c3f-1d2e6a7b8c90';
export const COMMUNITY_UUID = '3f9e1b2c-7a6d-4c5e-8b1a-2d3c4e5f6a7b';
export const BLOCKED_UUID = 'b7e3c9d1-2f4a-4b6c-8d0e-1a2b3c4d5e6f';
export const MOVED_OLD_UUID = 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f';

export const REGISTRY_TOML = `api_version = "3.0"

[[plugins]]
id = "tagger-tools"
uuid = "${OFFICIAL_UUID}"
name = "Tagger Tools"
description = "Official helpers for tagging"
git_url = "https://github.com/examplehost/tagger-tools"
categories = ["metadata"]
trust_level = "official"
redirect_from = ["https://github.com/someone/old-tagger-tools"]
redirect_from_uuid = ["${MOVED_OLD_UUID}"]
added_at = "2026-01-02T03:04:05Z"
updated_at = "2026-01-02T03:04:05Z"
refs = [{ name = "main", min_api_version = "3.0" }, { name = "legacy", max_api_version = "2.9" }]

[[plugins]]
id = "cover-finder"
uuid = "${COMMUNITY_UUID}"
name = "Cover Finder \\u001b[31mRED"
description = "Finds cover art"
git_url = "https://gitlab.com/fans/cover-finder"
categories = ["coverart"]
added_at = "2026-01-02T03:04:05Z"
updated_at = "2026-01-02T03:04:05Z"

[[blacklist]]
url_regex = "^https://github\\\\.com/badorg/"
reason = "Organisation distributes malware"
blacklisted_at = "2026-02-01T00:00:00Z"

[[blacklist]]
uuid = "${BLOCKED_UUID}"
reason = "Steals credentials \\u001b[2J"
blacklisted_at = "2026-02-01T00:00:00Z"

[[blacklist]]
url = "https://gitlab.com/evil/thing.git"
reason = "Known bad repository"
blacklisted_at = "2026-02-01T00:00:00Z"
severity = "soft"
`;

export function writeRegistry(text = REGISTRY_TOML): string {
	const dir = makeTempDir('vouch-cli-');
	const file = join(dir, 'plugins.toml');
	writeFileSync(file, text);
	return file;
}
