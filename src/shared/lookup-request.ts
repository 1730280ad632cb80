/**
 * The request both sides share, and the only code that turns it into the
 * custom resource's properties (the construct's writer) and back (the
 * handler's reader). A round-trip test holds the two together.
 */
import type { LookupProperties, ScanRequirementProperties } from './contract';
import { ExpectedImage, expectedImageProblem, MovedImageAction } from './expected-image';
import { checkPlatform, checkRegion, checkRegistryId, checkRepositoryName, MAX_WAIT_SECONDS, readWholeNumber } from './rules';
import { ALL_SELECTOR_KINDS, Selector, SELECTOR_KINDS, selectorOf, selectorProblem, selectorValue, valueIf } from './selectors';
import { BOUNDED_SEVERITIES, BoundedSeverity, thresholdOf, ThresholdWireKey } from './severities';
import { readSignatureTrust, SignatureTrust, signatureTrustProperties } from './signature-trust';

/** The most findings of each bounded severity an image may have, and how long to wait for its scan. */
export interface ScanThresholds {
  /** An absent severity is not bounded. */
  readonly max: Partial<Record<BoundedSeverity, number>>;
  /** How long to wait for a scan that is not complete yet, in seconds; 0 for no wait. */
  readonly waitForSeconds: number;
}

/**
 * What a lookup asks for. On the construct's side any value may be a token;
 * on the handler's side every value has been checked.
 */
export interface LookupRequest {
  /** The 12-digit account that owns the repository. */
  readonly registryId: string;
  /** The region that holds the repository. */
  readonly region: string;
  readonly repositoryName: string;
  readonly selector: Selector;
  /** `os/architecture[/variant]` to resolve an image index to. */
  readonly platform?: string;
  /** How long to wait for the image to be pushed, in seconds; 0 for no wait. */
  readonly waitForSeconds: number;
  /** The scan's thresholds, when the lookup requires a scan. */
  readonly scanRequirement?: ScanThresholds;
  /** How the lookup holds its image, when it does. */
  readonly hold?: HoldRequest;
  /** Ask ECR to restore the image when it is archived; absent for no. */
  readonly restoreArchived?: true;
  /** The signers the image must be signed by, when the lookup requires a signature. */
  readonly signatureRequirement?: SignatureTrust;
  /** The image resolved at synth, compared at deploy time (Refresh.whenDigestChanges()). */
  readonly expectedImage?: ExpectedImage;
}

/** A lookup that holds its image: tags it while the resource exists. */
export interface HoldRequest {
  /** Fail, instead of only reporting, when a lifecycle rule could still expire or archive the held image. */
  readonly failOnLifecycleRisk: boolean;
}

/** What the properties carry besides the request. */
export interface WriteOptions {
  /** The lookup function's ARN. */
  readonly serviceToken: string;
  /** Changes whenever the lookup must run again; undefined for none. */
  readonly refreshToken?: string;
  /**
   * How a number is written. The construct passes a writer that turns a
   * number token into a reference, which `String()` would not.
   *
   * @default String
   */
  readonly writeNumber?: (value: number) => string;
  /**
   * Called with the written scan requirement; what it returns is written
   * instead. The construct defers the decision to the end of synth.
   *
   * @default - the scan requirement as written
   */
  readonly writeScanRequirement?: (written: ScanRequirementProperties) => ScanRequirementProperties | undefined;
}

/** Every key of the properties, each one present (maybe undefined), so that forgetting one fails to compile. */
export type WrittenProperties = { readonly [K in keyof Required<LookupProperties>]: LookupProperties[K] };

/** The custom resource's properties for `request`: the one place that writes them. */
export function toProperties(request: LookupRequest, options: WriteOptions): LookupProperties {
  const write = options.writeNumber ?? String;
  const scan = request.scanRequirement;
  const selector = request.selector;
  // One literal, no spreads: a renamed or unknown key fails to compile here.
  const properties: WrittenProperties = {
    ServiceToken: options.serviceToken,
    RepositoryName: request.repositoryName,
    RegistryId: request.registryId,
    Region: request.region,
    Tag: valueIf(selector, 'tag'),
    Digest: valueIf(selector, 'digest'),
    NewestTagPattern: valueIf(selector, 'newest'),
    Platform: request.platform,
    // 0 is no wait, which the handler reads from an absent key.
    WaitForSeconds: request.waitForSeconds === 0 ? undefined : write(request.waitForSeconds),
    ScanGate: scan === undefined ? undefined : (options.writeScanRequirement ?? ((written) => written))(scanRequirementProperties(scan, write)),
    SignatureRequirement: request.signatureRequirement === undefined ? undefined : signatureTrustProperties(request.signatureRequirement),
    RefreshToken: options.refreshToken,
    HoldImage: request.hold === undefined ? undefined : 'true',
    FailOnLifecycleRisk: request.hold?.failOnLifecycleRisk ? 'true' : undefined,
    RestoreArchived: request.restoreArchived ? 'true' : undefined,
    ExpectedImage: request.expectedImage?.reference,
    OnMovedImage: request.expectedImage?.onMoved,
  };
  return properties;
}

function scanRequirementProperties(scan: ScanThresholds, write: (value: number) => string): ScanRequirementProperties {
  const written: { [K in ThresholdWireKey | 'WaitForSeconds']?: string } = {};
  for (const severity of BOUNDED_SEVERITIES) {
    const max = scan.max[severity];
    written[thresholdOf(severity).wireKey] = max === undefined ? undefined : write(max);
  }
  written.WaitForSeconds = scan.waitForSeconds === 0 ? undefined : write(scan.waitForSeconds);
  return written;
}

/** The properties as the handler receives them: anything may be missing or of another type. */
export type ReceivedProperties = Partial<Record<keyof LookupProperties, unknown>>;

/**
 * Reads and checks the custom resource's properties: the one place that
 * reads them. Values that were tokens at synth arrive here unchecked, so
 * every rule runs again; `fail` makes the error the handler reports.
 */
export function fromProperties(properties: ReceivedProperties | undefined, fail: (message: string) => Error): LookupRequest {
  const props = properties ?? {};
  const text = (key: keyof LookupProperties): string => {
    const value = props[key];
    // An empty string is left to the naming rules, whose message says what the value must be.
    if (typeof value !== 'string') {
      throw fail(`The lookup's property ${key} is ${value === undefined ? 'missing' : `${JSON.stringify(value)}, not a string`}: deploy the resource with the ImageDigestLookup construct, which always sets it.`);
    }
    return value;
  };
  const request: LookupRequest = {
    repositoryName: text('RepositoryName'),
    registryId: text('RegistryId'),
    region: text('Region'),
    selector: readSelector(props, text, fail),
    platform: props.Platform === undefined ? undefined : text('Platform'),
    waitForSeconds: props.WaitForSeconds === undefined ? 0 : readSeconds(props.WaitForSeconds, 'WaitForSeconds', 'waitFor', fail),
    scanRequirement: props.ScanGate === undefined ? undefined : readScanRequirement(props.ScanGate, fail),
    hold: readHold(props, fail),
    restoreArchived: readFlag(props, 'RestoreArchived', fail) || undefined,
    signatureRequirement: props.SignatureRequirement === undefined ? undefined : readSignatureTrust(props.SignatureRequirement, fail),
    expectedImage: props.ExpectedImage === undefined ? undefined : readExpectedImage(text('ExpectedImage'), props.OnMovedImage, fail),
  };
  const [problem] = requestProblems(request, 'wireKey', () => true);
  if (problem !== undefined) {
    throw fail(problem);
  }
  return request;
}

function readSelector(props: ReceivedProperties, text: (key: keyof LookupProperties) => string, fail: (message: string) => Error): Selector {
  const given = ALL_SELECTOR_KINDS.filter((kind) => props[SELECTOR_KINDS[kind].wireKey] !== undefined);
  if (given.length === 0) {
    // Most lookups select by tag, so the tag is what a request without a selector lacks.
    text(SELECTOR_KINDS.tag.wireKey);
  }
  if (given.length !== 1) {
    const keys = ALL_SELECTOR_KINDS.map((kind) => SELECTOR_KINDS[kind].wireKey);
    const all = `${keys.slice(0, -1).join(', ')} and ${keys[keys.length - 1]}`;
    throw fail(`The lookup's properties set ${given.length === 0 ? 'none' : given.map((kind) => SELECTOR_KINDS[kind].wireKey).join(' and ')} of ${all}, but exactly one selects the image: deploy the resource with the ImageDigestLookup construct.`);
  }
  return selectorOf(given[0], text(SELECTOR_KINDS[given[0]].wireKey));
}

function readHold(props: ReceivedProperties, fail: (message: string) => Error): HoldRequest | undefined {
  const failOnLifecycleRisk = readFlag(props, 'FailOnLifecycleRisk', fail);
  return readFlag(props, 'HoldImage', fail) ? { failOnLifecycleRisk } : undefined;
}

/** A flag property: `true` or `false` as a string, as CloudFormation passes booleans; absent is false. */
function readFlag(props: ReceivedProperties, key: 'HoldImage' | 'FailOnLifecycleRisk' | 'RestoreArchived', fail: (message: string) => Error): true | false {
  const value = props[key];
  if (value !== undefined && value !== 'true' && value !== 'false') {
    throw fail(`The lookup's property ${key} is ${JSON.stringify(value)}, not "true" or "false": deploy the resource with the ImageDigestLookup construct.`);
  }
  return value === 'true';
}

function readSeconds(value: unknown, key: string, option: string, fail: (message: string) => Error): number {
  const seconds = readWholeNumber(value, 0, MAX_WAIT_SECONDS);
  if (seconds === undefined) {
    throw fail(`The lookup's property ${key} is ${JSON.stringify(value)}, not a whole number of seconds from 0 to ${MAX_WAIT_SECONDS}: deploy the resource with the ImageDigestLookup construct, which checks ${option} at synth.`);
  }
  return seconds;
}

function readScanRequirement(value: unknown, fail: (message: string) => Error): ScanThresholds {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw fail(`The lookup's property ScanGate is ${JSON.stringify(value)}, not an object of thresholds: deploy the resource with the ImageDigestLookup construct.`);
  }
  const received = value as Record<string, unknown>;
  const max: Partial<Record<BoundedSeverity, number>> = {};
  for (const severity of BOUNDED_SEVERITIES) {
    const key = thresholdOf(severity).wireKey;
    if (received[key] === undefined) {
      continue;
    }
    const count = readWholeNumber(received[key], 0);
    if (count === undefined) {
      throw fail(`The lookup's property ScanGate.${key} is ${JSON.stringify(received[key])}, not a whole number of findings of 0 or more: set requireScan's thresholds to whole numbers.`);
    }
    max[severity] = count;
  }
  const waitForSeconds = received.WaitForSeconds === undefined ? 0 : readSeconds(received.WaitForSeconds, 'ScanGate.WaitForSeconds', 'requireScan.waitForScan', fail);
  return { max, waitForSeconds };
}

function readExpectedImage(reference: string, onMoved: unknown, fail: (message: string) => Error): ExpectedImage {
  const problem = expectedImageProblem(reference, onMoved);
  if (problem !== undefined) {
    throw fail(problem);
  }
  return { reference, onMoved: onMoved as MovedImageAction };
}

interface NamedInput {
  readonly field: keyof LookupRequest;
  readonly wireKey: keyof LookupProperties;
  readonly input: string;
  readonly check: (input: string, value: string) => string | undefined;
}

/** How each named input of a request is checked, and what synth (`input`) and the handler (`wireKey`) call it. */
const NAMED_INPUTS = [
  { field: 'repositoryName', wireKey: 'RepositoryName', input: 'repository name', check: checkRepositoryName },
  { field: 'registryId', wireKey: 'RegistryId', input: 'repository account', check: checkRegistryId },
  { field: 'region', wireKey: 'Region', input: 'repository region', check: checkRegion },
  { field: 'platform', wireKey: 'Platform', input: 'platform', check: checkPlatform },
] as const satisfies ReadonlyArray<NamedInput>;

/**
 * The problems of a request's names (selector, repository, account, region,
 * platform), in that order, naming each input as `naming` says. Values that
 * `checkable` refuses (tokens at synth) are skipped.
 */
export function requestProblems(request: LookupRequest, naming: 'input' | 'wireKey', checkable: (value: string) => boolean): string[] {
  const problems = [checkable(selectorValue(request.selector)) ? selectorProblem(request.selector, naming) : undefined];
  for (const named of NAMED_INPUTS) {
    const value = request[named.field];
    problems.push(value !== undefined && checkable(value) ? named.check(named[naming], value) : undefined);
  }
  return problems.filter((problem): problem is string => problem !== undefined);
}
