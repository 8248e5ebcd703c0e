/**
 * The small HTML page every non-API error gets (and the web pages can reuse). Every piece of
 * text in it is escaped: an error message can carry a plugin id or a path from the request.
 */
import { escapeHtml } from '@vouch/library/internal/core/sanitize';
import type { PublicError } from './error-status.ts';

export function renderErrorPage(error: PublicError): string {
	const title = `${error.status} ${escapeHtml(error.code)}`;
	const hint = error.hint === undefined ? '' : `\n<p class="hint">${escapeHtml(error.hint)}</p>`;
	return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="/assets/site.css">
</head>
<body>
<main class="error">
<h1>${title}</h1>
<p>${escapeHtml(error.message)}</p>${hint}
<p><a href="/">Back to the plugin list</a></p>
</main>
</body>
</html>
`;
}
