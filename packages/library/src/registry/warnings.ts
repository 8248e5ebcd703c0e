/**
 * Load warnings, bounded: a registry with a hundred thousand broken entries yields a readable
 * list and one summary line, not a hundred thousand lines.
 */
import type { RegistryWarning } from './model.ts';

export class WarningCollector {
	readonly #max: number;
	readonly #kept: RegistryWarning[] = [];
	#dropped = 0;
	#droppedSkips = 0;

	constructor(max: number) {
		this.#max = max;
	}

	add(warning: RegistryWarning): void {
		if (this.#kept.length < this.#max) {
			this.#kept.push(warning);
			return;
		}
		this.#dropped++;
		if (warning.code === 'PLUGIN_SKIPPED') this.#droppedSkips++;
	}

	finish(): RegistryWarning[] {
		if (this.#dropped === 0) return this.#kept;
		const summary: RegistryWarning = {
			code: 'WARNINGS_TRUNCATED',
			message: `${this.#dropped} more warning(s) not shown, ${this.#droppedSkips} of them skipped plugin entries.`,
		};
		return [...this.#kept, summary];
	}
}
