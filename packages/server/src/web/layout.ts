/**
 * The page shell every page shares: language, title, the one stylesheet, a skip link, the
 * landmarks (banner, navigation, main, contentinfo) and no script at all. The CSP allows
 * styles only from `/assets/`, so nothing here is inline.
 */
import { html } from 'hono/html';
import type { Html } from './text.ts';

export interface PageOptions {
	title: string;
	/** Which top-level section to mark as current in the navigation. */
	section?: 'browse' | 'blacklist' | 'incidents' | 'admin';
	/** The signed-in maintainer's name, to show the admin links and the sign-out button. */
	signedIn?: { name: string; csrf: string };
	body: Html;
}

export const SITE_NAME = 'Vouch plugin registry';

function navLink(href: string, label: string, current: boolean): Html {
	return current
		? html`<li><a href="${href}" aria-current="page">${label}</a></li>`
		: html`<li><a href="${href}">${label}</a></li>`;
}

export function page(options: PageOptions): Html {
	const { section, signedIn } = options;
	return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · ${SITE_NAME}</title>
<link rel="stylesheet" href="/assets/site.css">
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="site-header">
<p class="site-name"><a href="/">${SITE_NAME}</a></p>
<nav aria-label="Site">
<ul>
${navLink('/', 'Plugins', section === 'browse')}
${navLink('/blacklist', 'Blacklist', section === 'blacklist')}
${navLink('/incidents', 'Incidents', section === 'incidents')}
${navLink('/admin', 'Maintainers', section === 'admin')}
</ul>
</nav>
${
	signedIn === undefined
		? ''
		: html`<form class="sign-out" method="post" action="/admin/sign-out">
<input type="hidden" name="csrf" value="${signedIn.csrf}">
<span>Signed in as <strong>${signedIn.name}</strong></span>
<button type="submit">Sign out</button>
</form>`
}
</header>
<main id="main" tabindex="-1">
${options.body}
</main>
<footer class="site-footer">
<p>Plugins are listed with their trust level; read what each level means before installing. The signed registry is under <a href="/tuf/timestamp.json">/tuf/</a>, Picard's own format at <a href="/picard/plugins.toml">/picard/plugins.toml</a>.</p>
</footer>
</body>
</html>`;
}
