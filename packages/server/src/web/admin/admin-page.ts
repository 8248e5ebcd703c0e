/** The page shell for signed-in maintainers: their name and the sign-out form in the header. */
import { page } from '../layout.ts';
import type { Html } from '../text.ts';
import type { SignedIn } from './session.ts';

export function adminPage(session: SignedIn, title: string, body: Html): Html {
	return page({
		title,
		section: 'admin',
		signedIn: { name: session.account.name, csrf: session.csrfToken },
		body,
	});
}
