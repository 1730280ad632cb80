import { LookupError } from './lookup-error';
import { readScanGate, ScanGate } from './scan-gate';
import type { LookupProperties } from '../src/private/contract';
import { checkDigest, checkPlatform, checkRegion, checkRegistryId, checkRepositoryName, checkTag, checkTagPattern, MAX_WAIT_SECONDS } from '../src/private/rules';

/** Which image of the repository to resolve. */
export type Selector =
  | { readonly kind: 'tag'; readonly tag: string }
  | { readonly kind: 'digest'; readonly digest: string }
  | { readonly kind: 'newest'; readonly tagPattern: string };

/** The image a lookup asks for, with every name checked. */
export interface ImageTarget {
  readonly registryId: string;
  readonly region: string;
  readonly repositoryName: string;
  readonly selector: Selector;
  /** `os/architecture[/variant]` to resolve an index to. */
  readonly platform?: string;
  /** How long to wait for the image, in seconds; 0 for no wait. */
  readonly waitForSeconds: number;
  readonly scanGate?: ScanGate;
}

export { LookupError };

type Props = Partial<Record<keyof LookupProperties, unknown>>;

/**
 * Reads the custom resource's properties. Values that were tokens at synth
 * arrive here unchecked, so the construct's rules run again.
 */
export function readTarget(properties: Props | undefined): ImageTarget {
  const props = properties ?? {};
  const text = (key: keyof LookupProperties): string => {
    const value = props[key];
    // An empty string is left to the naming rules, whose message says what the value must be.
    if (typeof value !== 'string') {
      throw new LookupError(`The lookup's property ${key} is ${value === undefined ? 'missing' : `${JSON.stringify(value)}, not a string`}: deploy the resource with the ImageDigestLookup construct, which always sets it.`);
    }
    return value;
  };
  const repositoryName = text('RepositoryName');
  const registryId = text('RegistryId');
  const region = text('Region');
  const selector = readSelector(props, text);
  const target: ImageTarget = {
    repositoryName,
    registryId,
    region,
    selector,
    platform: props.Platform === undefined ? undefined : text('Platform'),
    waitForSeconds: props.WaitForSeconds === undefined ? 0 : readSeconds(props.WaitForSeconds),
    scanGate: props.ScanGate === undefined ? undefined : readScanGate(props.ScanGate),
  };
  const problem = selectorProblem(selector)
    ?? checkRepositoryName('RepositoryName', target.repositoryName)
    ?? checkRegistryId('RegistryId', target.registryId)
    ?? checkRegion('Region', target.region)
    ?? (target.platform === undefined ? undefined : checkPlatform('Platform', target.platform));
  if (problem) {
    throw new LookupError(problem);
  }
  return target;
}

function readSelector(props: Props, text: (key: keyof LookupProperties) => string): Selector {
  const given = (['Tag', 'Digest', 'NewestTagPattern'] as const).filter((key) => props[key] !== undefined);
  if (given.length === 0) {
    // Most lookups select by tag, so the tag is what a request without a selector lacks.
    text('Tag');
  }
  if (given.length !== 1) {
    throw new LookupError(`The lookup's properties set ${given.length === 0 ? 'none' : given.join(' and ')} of Tag, Digest and NewestTagPattern, but exactly one selects the image: deploy the resource with the ImageDigestLookup construct.`);
  }
  switch (given[0]) {
    case 'Tag': return { kind: 'tag', tag: text('Tag') };
    case 'Digest': return { kind: 'digest', digest: text('Digest') };
    default: return { kind: 'newest', tagPattern: text('NewestTagPattern') };
  }
}

function selectorProblem(selector: Selector): string | undefined {
  switch (selector.kind) {
    case 'tag': return checkTag('Tag', selector.tag);
    case 'digest': return checkDigest('Digest', selector.digest);
    default: return checkTagPattern('NewestTagPattern', selector.tagPattern);
  }
}

/** Reads a number of seconds to wait; CloudFormation hands numbers over as strings. */
function readSeconds(value: unknown, name = 'WaitForSeconds'): number {
  const seconds = Number(value);
  if ((typeof value !== 'string' && typeof value !== 'number') || value === '' || !Number.isInteger(seconds) || seconds < 0 || seconds > MAX_WAIT_SECONDS) {
    throw new LookupError(`The lookup's property ${name} is ${JSON.stringify(value)}, not a whole number of seconds from 0 to ${MAX_WAIT_SECONDS}: deploy the resource with the ImageDigestLookup construct, which checks waitFor at synth.`);
  }
  return seconds;
}

/** How stack events name the image: every part a reader needs to find it. */
export function describeTarget(target: ImageTarget): string {
  return `${describeSelector(target.selector)} in repository "${target.repositoryName}" (registry ${target.registryId}, region ${target.region})`;
}

/** How messages name the selector: `tag "main"`, `digest sha256:...`, `the newest image tagged "v*"`. */
export function describeSelector(selector: Selector): string {
  switch (selector.kind) {
    case 'tag': return `tag "${selector.tag}"`;
    case 'digest': return `digest ${selector.digest}`;
    default: return `the newest image tagged "${selector.tagPattern}"`;
  }
}
