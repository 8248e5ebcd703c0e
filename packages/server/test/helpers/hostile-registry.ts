/**
 * A registry whose texts attack the pages: markup, event handlers, `javascript:` URLs, bidi
 * controls, quotes that would close an attribute, and badge look-alikes. Every page must show
 * them as text. Besides them, two ordinary plugins with translations, a pinned release and a
 * blacklist entry, so the pages have their usual content too.
 */
export const SCRIPT_NAME = '<script>window.__pwned=1</script>Evil';
export const IMG_DESCRIPTION = '"><img src=x onerror="window.__pwned=2">';
export const BIDI_NAME = 'Safe\u202eexe.txt\u202c name';
export const BLACKLIST_REASON =
	'<script>window.__pwned=3</script> steals tokens "><svg onload=window.__pwned=4>';

export const HOSTILE_REGISTRY = `api_version = "3.0"

[[plugins]]
id = "evil-one"
uuid = "2b1d2f1e-9a0c-4e8f-8a55-1d8f0b7c2a01"
name = ${JSON.stringify(SCRIPT_NAME)}
description = ${JSON.stringify(IMG_DESCRIPTION)}
git_url = "https://github.com/example/evil-one"
categories = ["metadata"]
trust_level = "community"
authors = ["<b onmouseover=window.__pwned=5>Mallory</b>"]

[plugins.name_i18n]
de = "<i onmouseover=window.__pwned=6>Böse</i>"

[[plugins]]
id = "bidi-name"
uuid = "2b1d2f1e-9a0c-4e8f-8a55-1d8f0b7c2a02"
name = ${JSON.stringify(BIDI_NAME)}
description = "Looks harmless 🛡️ official"
git_url = "https://github.com/example/bidi-name"
categories = ["ui"]
trust_level = "community"
authors = ["Eve"]

[[plugins]]
id = "cover-finder"
uuid = "2b1d2f1e-9a0c-4e8f-8a55-1d8f0b7c2a03"
name = "Cover Finder"
description = "Finds cover art for your releases from several sources."
git_url = "https://github.com/example/cover-finder"
categories = ["coverart"]
trust_level = "official"
authors = ["The Example Team"]
added_at = "2026-01-10T09:00:00Z"
updated_at = "2026-05-02T10:30:00Z"
versioning_scheme = "semver"

[plugins.name_i18n]
de = "Cover-Finder"
fr = "Chercheur de pochettes"

[plugins.description_i18n]
de = "Findet Cover-Bilder für Ihre Veröffentlichungen aus mehreren Quellen."

[[plugins.refs]]
name = "main"
description = "Stable releases"

[[plugins.refs]]
name = "beta"
description = "Next version, for testers"
min_api_version = "3.0"

[[plugins.releases]]
ref = "main"
commit = "${'a'.repeat(40)}"
tree = "sha256:${'b'.repeat(64)}"

[[plugins]]
id = "tag-tools"
uuid = "2b1d2f1e-9a0c-4e8f-8a55-1d8f0b7c2a04"
name = "Tag Tools"
description = "Small helpers for tagging scripts."
git_url = "https://github.com/example/tag-tools"
categories = ["metadata", "scripting"]
trust_level = "trusted"
authors = ["Bob"]

[[blacklist]]
url = "https://github.com/example/evil-one"
reason = ${JSON.stringify(BLACKLIST_REASON)}
blacklisted_at = "2026-05-01T00:00:00Z"

[[blacklist]]
url_regex = "^https://github\\\\.com/badorg/"
reason = "An organisation that published credential stealers."
severity = "soft"
blacklisted_at = "2026-04-01T00:00:00Z"
`;
