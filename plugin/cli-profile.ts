/**
 * The profile the CDK CLI was started with (`--profile`). The CLI hands a
 * context-provider plugin neither its SDK nor its credentials, but the plugin
 * runs in the CLI's process: reading the option there keeps the plugin on the
 * account the user chose for the CLI.
 */

/** The value of `--profile <name>` or `--profile=<name>` in `argv`, if any. */
export function cliProfile(argv: readonly string[] = process.argv): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--profile' && argv[i + 1] !== undefined && !argv[i + 1].startsWith('-')) {
      return argv[i + 1];
    }
    if (argv[i].startsWith('--profile=')) {
      return argv[i].slice('--profile='.length);
    }
  }
  return undefined;
}
