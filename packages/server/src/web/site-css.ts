/**
 * The one stylesheet, served from `/assets/site.css` (the CSP allows styles only from this
 * site, and no inline ones). Colours keep at least 4.5:1 contrast on their backgrounds, and
 * every focusable element shows a visible outline.
 */
export const SITE_CSS = `
:root {
	--text: #1b1f24;
	--muted: #4a5360;
	--bg: #ffffff;
	--panel: #f4f6f8;
	--line: #c9d1d9;
	--link: #0b57a4;
	--focus: #b35900;
	--official-bg: #0f5132; --official-fg: #ffffff;
	--trusted-bg: #0b57a4; --trusted-fg: #ffffff;
	--community-bg: #7a4b00; --community-fg: #ffffff;
	--danger: #a4161a;
	font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
	line-height: 1.5;
	color: var(--text);
	background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; display: flex; flex-direction: column; min-height: 100vh; }
a { color: var(--link); }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip-link { position: absolute; left: 0.5rem; top: -3rem; background: var(--bg); padding: 0.5rem 1rem; border: 2px solid var(--focus); z-index: 10; }
.skip-link:focus { top: 0.5rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.site-header { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 2rem; padding: 0.75rem 2rem; border-bottom: 1px solid var(--line); background: var(--panel); }
.site-name { margin: 0; font-weight: 700; font-size: 1.15rem; }
.site-name a { color: var(--text); text-decoration: none; }
.site-header nav ul { display: flex; gap: 1.25rem; list-style: none; margin: 0; padding: 0; }
.site-header nav a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
.sign-out { margin-left: auto; display: flex; align-items: center; gap: 0.75rem; }
main { flex: 1; width: 100%; max-width: 72rem; margin: 0 auto; padding: 1.5rem 2rem 3rem; }
main:focus { outline: none; }
.site-footer { border-top: 1px solid var(--line); padding: 1rem 2rem; color: var(--muted); font-size: 0.9rem; }
h1 { font-size: 1.8rem; margin: 0.5rem 0 1rem; line-height: 1.25; }
h2 { font-size: 1.3rem; margin: 2rem 0 0.75rem; }
h3 { font-size: 1.05rem; margin: 0 0 0.25rem; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.92em; overflow-wrap: anywhere; }
pre.command { background: #1b1f24; color: #f4f6f8; padding: 0.75rem 1rem; border-radius: 6px; overflow-x: auto; }
.badge { display: inline-block; padding: 0.1rem 0.55rem; border-radius: 999px; font-size: 0.8rem; font-weight: 700; vertical-align: middle; letter-spacing: 0.02em; }
.badge-official { background: var(--official-bg); color: var(--official-fg); }
.badge-trusted { background: var(--trusted-bg); color: var(--trusted-fg); }
.badge-community, .badge-unregistered { background: var(--community-bg); color: var(--community-fg); }
.trust-meaning { font-size: 1.05rem; }
.trust-warning { border-left: 4px solid var(--community-bg); background: #fff4e0; padding: 0.5rem 0.75rem; }
.filters { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 0.75rem 1.25rem; padding: 1rem; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; }
.field { display: flex; flex-direction: column; gap: 0.25rem; }
.stacked { display: flex; flex-direction: column; gap: 1rem; max-width: 40rem; }
.stacked button { align-self: flex-start; }
label, legend { font-weight: 600; }
input[type="text"], input[type="search"], input[type="password"], select, textarea { font: inherit; padding: 0.4rem 0.55rem; border: 1px solid #6b7580; border-radius: 4px; background: var(--bg); color: var(--text); min-width: 12rem; }
textarea { width: 100%; }
fieldset { border: 1px solid var(--line); border-radius: 6px; padding: 0.5rem 1rem 0.75rem; }
.check { display: flex; align-items: center; gap: 0.4rem; }
.check label { font-weight: 400; }
button, .button-link { font: inherit; font-weight: 600; padding: 0.45rem 1rem; border-radius: 4px; border: 1px solid var(--link); background: var(--link); color: #ffffff; cursor: pointer; text-decoration: none; display: inline-block; }
.sign-out button { background: var(--bg); color: var(--link); padding: 0.25rem 0.75rem; }
button.danger { background: var(--danger); border-color: var(--danger); }
.plugin-list, .plain-list { list-style: none; padding: 0; margin: 0; }
.plugin-card { border: 1px solid var(--line); border-radius: 6px; padding: 0.75rem 1rem; margin-bottom: 0.75rem; }
.plugin-card p { margin: 0.25rem 0; }
.meta { color: var(--muted); font-size: 0.9rem; }
.plain-list li { padding: 0.3rem 0; }
.pager { display: flex; gap: 1.5rem; align-items: center; margin-top: 1rem; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding: 0.25rem 0; color: var(--muted); }
th, td { text-align: left; vertical-align: top; padding: 0.45rem 0.6rem; border-bottom: 1px solid var(--line); }
thead th { background: var(--panel); }
.why { color: var(--muted); font-size: 0.9rem; }
tr.undeclared { background: #fff4e0; }
.mark-yes { font-weight: 700; }
.mark-no { color: var(--muted); }
.hash { font-size: 0.8rem; }
.counts { display: flex; gap: 1.5rem; list-style: none; padding: 0; }
.sev { display: inline-block; margin-right: 0.3rem; font-weight: 700; }
.findings .sev { min-width: 4.5rem; }
th code { white-space: nowrap; }
.sev-high { color: var(--danger); }
.sev-medium { color: #7a4b00; }
.sev-low, .sev-info { color: var(--muted); }
.findings li { margin-bottom: 0.4rem; }
.rule { color: var(--muted); }
.blocked { border: 2px solid var(--danger); border-radius: 6px; padding: 0 1rem 0.5rem; }
.blocked h2 { color: var(--danger); }
.severity-hard { color: var(--danger); font-weight: 700; }
.severity-soft { color: #7a4b00; font-weight: 700; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1.25rem; }
.facts dt { font-weight: 600; }
.facts dd { margin: 0; }
.notice { border-left: 4px solid var(--official-bg); background: #e8f5ee; padding: 0.5rem 0.75rem; }
.problem { border-left: 4px solid var(--danger); background: #fdecec; padding: 0.5rem 0.75rem; }
.tasks { line-height: 2; }
.breadcrumb { margin: 0; font-size: 0.95rem; }
.translations { list-style: none; padding: 0; }
.incident-state { display: inline-block; padding: 0.05rem 0.55rem; border-radius: 999px; font-size: 0.85rem; font-weight: 700; border: 1px solid currentColor; }
.state-received, .state-investigating { color: #7a4b00; }
.state-confirmed { color: var(--danger); }
.state-dismissed, .state-resolved, .state-unknown { color: var(--muted); }
.state-appealed { color: var(--link); }
.timeline li { margin-bottom: 0.4rem; }
.timeline time { font-variant-numeric: tabular-nums; }
.log-entry { white-space: nowrap; font-size: 0.9rem; }
.evidence li { margin-bottom: 0.3rem; }
.advice { border-left: 4px solid var(--danger); background: #fdecec; padding: 0 0.75rem 0.25rem; }
.advice h2 { margin-top: 0.5rem; }
article.action, article.appeal { border: 1px solid var(--line); border-radius: 6px; padding: 0.25rem 1rem 0.75rem; margin-bottom: 1rem; }
article.action h3, article.appeal h3 { margin-top: 0.5rem; }
.inline-action { margin-top: 0.75rem; }
blockquote { margin: 0.5rem 0; padding: 0.25rem 0.75rem; border-left: 4px solid var(--line); white-space: pre-wrap; }
`;
