/** `vouch about`: what Vouch is and how to use it. */
import type { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../program.ts';

const ABOUT = `Vouch keeps an application's users safe from the plugins they install.

Plugins written in Python or JavaScript run with everything the host can do, so
Vouch guards the way in: four trust levels with their own warnings, a central
registry, a blacklist that can block a plugin by UUID, URL or whole organisation,
and checks of every MANIFEST.toml. It reads MusicBrainz Picard's registry and
manifest formats, and serves any application through a host profile.

Try it (the real Picard registry ships with the tests):
  npx vouch browse   --registry packages/library/test/fixtures/registries/picard-plugins.toml
  npx vouch search   artist --registry packages/library/test/fixtures/registries/picard-plugins.toml
  npx vouch info     decade --registry packages/library/test/fixtures/registries/picard-plugins.toml
  npx vouch validate packages/library/test/fixtures/manifests/picard/replaygain2.toml
  npx vouch check-blacklist https://github.com/example/plugin --registry <file|url>
  npx vouch blacklist [search <text|url>] --registry <file|url>

Maintain a registry (Picard's registry tool's commands, and more):
  npx vouch registry validate packages/library/test/fixtures/registries/picard-plugins.toml --offline
  npx vouch registry plugin list --trust official --registry packages/library/test/fixtures/registries/picard-plugins.toml
  npx vouch registry stats --registry packages/library/test/fixtures/registries/picard-plugins.toml
  npx vouch registry plugin add <git URL> --trust community --registry <plugins.toml>
  npx vouch registry review <id | git URL> --registry <plugins.toml> --markdown
  npx vouch registry diff <old.toml> <new.toml>

Write a plugin:
  npx vouch init my-plugin      (then: vouch validate my-plugin, vouch scan my-plugin)

Manage plugins (install checks the blacklist before any network access):
  npx vouch install <id | git URL | ./directory> --registry <file|url>
  npx vouch list | check-updates | update --all | switch-ref <plugin> <ref>
  npx vouch enable | disable | uninstall <plugin>
  npx vouch startup-check | doctor | clean | refresh
  npx vouch report <plugin> --reason <kind> --service <url>   (shown before it is sent)

Every command takes --json and --profile <name|file>; those that read the
registry take --registry <file|url>. To stop repeating it:
  npx vouch config set registry <file|url>
Exit codes: 0 ok, 1 error, 2 usage, 3 blocked, 130 declined.
Run "npx vouch --help" for the full list.
Shell completion: npx vouch completion bash|zsh|fish (see the README).`;

export function registerAbout(program: Command, { io }: CommandContext): void {
	program
		.command('about')
		.description('explain what Vouch is and how to start')
		.action(() => {
			io.stdout.write(`${ABOUT}\n`);
		});
}
