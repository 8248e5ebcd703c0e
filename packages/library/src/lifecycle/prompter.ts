/**
 * How the lifecycle asks the user something. Injected, so tests drive prompts through their
 * own streams and hosts can show their own dialogs; `interactive: false` means there is nobody
 * to ask, and every question that is due becomes a refusal (D12).
 */
export interface ConfirmQuestion {
	/** Sanitised already. */
	message: string;
	/** What Enter (or an empty answer) means. */
	defaultAnswer: boolean;
}

export interface Prompter {
	readonly interactive: boolean;
	confirm(question: ConfirmQuestion): Promise<boolean>;
}

/** For scripts and CI: nobody is there to answer. */
export const NON_INTERACTIVE: Prompter = {
	interactive: false,
	confirm: async () => false,
};

/** What the lifecycle tells the user while it works; the CLI prints it, a host may show it. */
export interface LifecycleReporter {
	/** A step of slow work (clone, fetch); the CLI shows a spinner on a TTY. */
	progress(text: string): void;
	info(text: string): void;
	/** Trust warnings, danger notices: always shown, also with `--yes`. */
	warn(text: string): void;
}

export const SILENT_REPORTER: LifecycleReporter = {
	progress: () => {},
	info: () => {},
	warn: () => {},
};
