/**
 * How platforms compare. Container runtimes treat `linux/arm64` and
 * `linux/arm64/v8` as one platform (and `linux/arm` as `linux/arm/v7`), so the
 * construct (matching a function's architecture to a lookup's platform) and
 * the handler (picking a manifest out of an index) both compare through here.
 */

/** The variant a platform means when it names none. */
const DEFAULT_VARIANT: Readonly<Record<string, string>> = { arm64: 'v8', arm: 'v7' };

/** `os/architecture/variant` with the implied variant written out: `linux/arm64` gives `linux/arm64/v8`. */
export function canonicalPlatform(platform: string): string {
  const [os, architecture, variant] = platform.split('/');
  const implied = variant ?? DEFAULT_VARIANT[architecture ?? ''];
  return [os, architecture, ...(implied ? [implied] : [])].join('/');
}

/** Whether two platforms, as `os/architecture[/variant]`, name the same one. */
export function samePlatform(a: string, b: string): boolean {
  return canonicalPlatform(a) === canonicalPlatform(b);
}
