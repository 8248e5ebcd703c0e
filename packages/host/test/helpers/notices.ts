/** Collects a host's notices and lets a test wait for one, without any time limit of its own. */
import type { HostNotice, HostNoticeKind } from '../../src/types.ts';

export class NoticeLog {
	readonly all: HostNotice[] = [];
	readonly #waiters: { test: (n: HostNotice) => boolean; resolve: (n: HostNotice) => void }[] = [];

	readonly push = (notice: HostNotice): void => {
		this.all.push(notice);
		for (const waiter of [...this.#waiters]) {
			if (waiter.test(notice)) {
				this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
				waiter.resolve(notice);
			}
		}
	};

	/** The `count`-th notice of this kind (1 = the first), now or when it comes. */
	waitFor(kind: HostNoticeKind, count = 1): Promise<HostNotice> {
		const seen = () => this.all.filter((n) => n.kind === kind);
		if (seen().length >= count) return Promise.resolve(seen()[count - 1] as HostNotice);
		return new Promise((resolve) => {
			this.#waiters.push({ test: (n) => n.kind === kind && seen().length >= count, resolve });
		});
	}

	of(kind: HostNoticeKind): HostNotice[] {
		return this.all.filter((n) => n.kind === kind);
	}
}
