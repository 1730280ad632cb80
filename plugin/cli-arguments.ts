/**
 * What the CDK CLI was started with. The CLI hands a context-provider plugin
 * neither its SDK, its credentials nor its settings, but the plugin runs in
 * the CLI's process: reading its arguments keeps the plugin on the account
 * the user chose (`--profile`) and off a synth that may not look up context
 * (`--no-lookups`, which fails synth on any query).
 */

/** The value of `--profile <name>` or `--profile=<name>` in `argv`, if any. */
export function cliProfile(argv: readonly string[] = process.argv): string | undefined {
  return optionValue(argv, 'profile');
}

/** Whether `argv` turns context lookups off: `--no-lookups`, `--lookups false` or `--lookups=false`. */
export function lookupsDisabled(argv: readonly string[] = process.argv): boolean {
  return argv.includes('--no-lookups') || optionValue(argv, 'lookups') === 'false';
}

function optionValue(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === `--${name}` && argv[i + 1] !== undefined && !argv[i + 1].startsWith('-')) {
      return argv[i + 1];
    }
    if (argv[i].startsWith(`--${name}=`)) {
      return argv[i].slice(`--${name}=`.length);
    }
  }
  return undefined;
}
