/**
 * Pins the image references of one stack: a lookup per repository, tag and
 * platform, shared by every reference to them, and the reference rewritten
 * to the lookup's `repo@sha256:...`.
 */
import { createHash } from 'crypto';
import { Annotations, CfnResource, Duration, Stack, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ImageSources, Recognised } from './ecr-image-reference';
import { FoundImage, imagesOf, namesImages } from './image-locations';
import { PinRecord, PinReport } from './pin-report';
import { ImageDigestLookup } from '../image-digest-lookup';
import { ImageDigestLookupProps } from '../image-digest-lookup-props';
import { Refresh } from '../refresh';
import { Attribute } from '../shared/contract';

/** The warning on every reference that could not be pinned. */
export const NOT_PINNED_WARNING = 'cdk-image-digest-lookup:imageNotPinned';

/** What decides which references are pinned, and how. */
export interface PinningOptions {
  readonly includePaths?: string[];
  readonly excludePaths?: string[];
  readonly includeRepositories?: string[];
  readonly excludeRepositories?: string[];
  readonly refresh?: Refresh;
  readonly pinAssets?: boolean;
  readonly lookupOptions?: LookupOptions;
}

/** What the aspect passes on to each lookup: a subset of the lookup's own props, so that they mean the same. */
export type LookupOptions = Pick<ImageDigestLookupProps,
'holdImage' | 'failOnLifecycleRisk' | 'restoreArchived' | 'requireSignature' | 'requireScan' | 'waitFor'>;

/** The options each pinning lookup was created with, to tell two aspects that disagree about one lookup. */
const createdWith = new WeakMap<ImageDigestLookup, string>();

/** The construct id of the scope that holds a stack's pinning lookups. */
const PINS_ID = 'ImageDigestPins';

type Verdict =
  | { readonly pin: true; readonly repository: ecr.IRepository; readonly tag: string; readonly asset: boolean }
  | { readonly pin: false; readonly reason: string; readonly warn: boolean };

/**
 * Pins every image reference of the resources that `stack` itself holds
 * (a nested stack's resources are pinned when the nested stack is visited,
 * by lookups of its own). Resources are visited by path, so that the lookups'
 * ids and the order they are created in are the same at each synth.
 */
export function pinStack(stack: Stack, sources: ImageSources, options: PinningOptions): void {
  const resources = stack.node.findAll()
    .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && Stack.of(c) === stack && namesImages(c))
    .sort((a, b) => (a.node.path < b.node.path ? -1 : 1));
  const report = PinReport.of(stack);
  const pinnedFunctions = new Map<string, ImageDigestLookup>();
  for (const resource of resources) {
    const platform = lambdaPlatform(resource);
    for (const found of imagesOf(resource)) {
      const recognised = sources.recognise(resource, found.resolved);
      const verdict = judge(stack, found, recognised, options);
      const base = { path: resource.node.path, resourceType: resource.cfnResourceType, property: found.propertyPath, image: recognised.display };
      if (!verdict.pin) {
        skip(resource, base, verdict, report);
        continue;
      }
      // An asset's tag is the hash of its source, published once: looking it up again would only ever find the same image.
      const refresh = options.refresh ?? (verdict.asset ? Refresh.onPropertyChange() : undefined);
      const lookupOptions = forImage(options.lookupOptions, verdict.asset);
      const left = Object.keys(options.lookupOptions ?? {}).filter((key) => !(key in lookupOptions));
      if (left.length > 0) {
        Annotations.of(resource).addInfo(`PinImageDigests: the lookup of the image asset in ${base.property} of ${base.path} leaves out ${left.join(', ')}: CDK keeps an asset in the bootstrap repository for as long as a template names its hash, and signs no asset.`);
      }
      const lookup = lookupFor(stack, verdict.repository, verdict.tag, platform, { refresh, ...lookupOptions }, resource.node.path);
      resource.addPropertyOverride(found.propertyPath, lookup.imageUri);
      // A tag that is a token is written as the intrinsic it resolves to: its token string differs at each synth.
      const tag = Token.isUnresolved(verdict.tag) ? JSON.stringify(stack.resolve(verdict.tag)) : verdict.tag;
      report.record({ ...base, status: 'pinned', lookup: lookup.node.path, tag, platform });
      if (resource instanceof lambda.CfnFunction) {
        pinnedFunctions.set(JSON.stringify(stack.resolve({ Ref: resource.logicalId })), lookup);
      }
    }
  }
  pinVersions(stack, pinnedFunctions);
}

function judge(stack: Stack, found: FoundImage, recognised: Recognised, options: PinningOptions): Verdict {
  const path = found.resource.node.path;
  switch (recognised.kind) {
    case 'digest':
      return { pin: false, reason: 'it is already pinned by digest', warn: false };
    case 'notEcr':
      return { pin: false, reason: 'its registry is not ECR, and only ECR images can be looked up: copy the image to ECR, or pin it by digest in the app', warn: true };
    case 'unknown':
      return { pin: false, reason: 'its repository and tag cannot be known at synth (the reference is built neither from a repository or image asset of this app nor as an ECR URI with a literal repository name): pin it with an ImageDigestLookup of its repository', warn: true };
  }
  if (!matchesFilter(path, options.includePaths, true) || matchesFilter(path, options.excludePaths, false)) {
    return { pin: false, reason: 'its construct path is excluded by the includePaths/excludePaths options', warn: false };
  }
  if (recognised.kind === 'tag' && recognised.asset && options.pinAssets === false) {
    return { pin: false, reason: 'it is an image asset, and pinAssets is false', warn: false };
  }
  const repository = recognised.kind === 'tag' ? recognised.repository : literalRepository(stack, recognised);
  const name = repositoryLabel(repository);
  if (!matchesFilter(name, options.includeRepositories, true) || matchesFilter(name, options.excludeRepositories, false)) {
    return { pin: false, reason: `its repository ${name} is excluded by the includeRepositories/excludeRepositories options`, warn: false };
  }
  return { pin: true, repository, tag: recognised.tag, asset: recognised.kind === 'tag' && recognised.asset };
}

function skip(resource: CfnResource, base: Omit<PinRecord, 'status'>, verdict: { reason: string; warn: boolean }, report: PinReport): void {
  const message = `PinImageDigests: ${base.path} names image ${base.image} in ${base.property}, which is not pinned: ${verdict.reason}.`;
  if (verdict.warn) {
    Annotations.of(resource).addWarningV2(NOT_PINNED_WARNING, message);
  } else {
    Annotations.of(resource).addInfo(message);
  }
  report.record({ ...base, status: 'skipped', reason: verdict.reason });
}

/**
 * The stack's lookup of `repository` and `tag` (for `platform`), found by
 * an id made of what it looks up, so that two references, two applications
 * of the aspect, or two imports of one repository share it.
 */
function lookupFor(stack: Stack, repository: ecr.IRepository, tag: string, platform: string | undefined,
  options: LookupOptions & { refresh?: Refresh }, pinnedFor: string): ImageDigestLookup {
  const pins = scopeOf(stack);
  // Resolved, so that tokens (a repository's ARN, a tag from a parameter) give the same id at each synth.
  const key = JSON.stringify(stack.resolve(repository.repositoryArn));
  const tagKey = Token.isUnresolved(tag) ? JSON.stringify(stack.resolve(tag)) : tag;
  // An asset's tag is its 64-character hash, and its repository's name a token: the label keeps them short.
  const name = Token.isUnresolved(repository.repositoryName) ? 'image' : repository.repositoryName.split('/').pop();
  const shortTag = Token.isUnresolved(tag) ? 'tag' : tag.slice(0, 20);
  const label = [name, shortTag, platform].filter((part) => part !== undefined).join('-').replace(/[^A-Za-z0-9.-]/g, '-');
  const id = `${label}-${hash(`${key} ${tagKey} ${platform ?? ''}`)}`;
  const { refresh: _refresh, ...lookupOptions } = options;
  const optionsKey = keyOf(lookupOptions);
  const existing = pins.node.tryFindChild(id);
  if (existing instanceof ImageDigestLookup) {
    const earlier = createdWith.get(existing);
    if (earlier !== undefined && earlier !== optionsKey) {
      throw new Error(`PinImageDigests: ${pinnedFor} would be pinned by ${existing.node.path}, which another PinImageDigests created with other lookupOptions (${earlier}, not ${optionsKey}): one lookup serves every reference to a repository, tag and platform in a stack, so give the aspects applied to one stack the same lookupOptions, or keep their includePaths/includeRepositories apart.`);
    }
    return existing;
  }
  let lookup: ImageDigestLookup;
  try {
    lookup = new ImageDigestLookup(pins, id, { repository, tag, platform, ...options });
  } catch (error) {
    // The lookup's own checks name the rule (of the lookupOptions, mostly); the user wrote no lookup, so say which resource asked for it.
    throw new Error(`PinImageDigests cannot pin the image of ${pinnedFor}: ${(error as Error).message}`);
  }
  createdWith.set(lookup, optionsKey);
  return lookup;
}

/**
 * The options for one image: an asset's repository is the bootstrap
 * repository, which CDK manages and keeps the asset in for as long as a
 * template names its hash, and CDK signs no asset: a hold would only add
 * write access to that repository, and a signature requirement would fail
 * every deployment.
 */
function forImage(options: LookupOptions | undefined, asset: boolean): LookupOptions {
  if (options === undefined) {
    return {};
  }
  if (!asset) {
    return options;
  }
  const { holdImage: _hold, failOnLifecycleRisk: _risk, requireSignature: _signature, ...rest } = options;
  return rest;
}

/** The options as text, the same for equal options (a Duration by its length, a token by its token string). */
function keyOf(options: LookupOptions): string {
  return JSON.stringify(options, (_key, value) => (value instanceof Duration && !value.isUnresolved() ? `${value.toMilliseconds({ integral: false })}ms` : value instanceof Duration ? value.toString() : value));
}

function scopeOf(stack: Stack): Construct {
  const existing = stack.node.tryFindChild(PINS_ID);
  return existing instanceof Construct ? existing : new Construct(stack, PINS_ID);
}

/** A repository for an ECR URI written out (literally, or with intrinsics for account and region), imported once per stack. */
function literalRepository(stack: Stack, uri: { account: string; region: string; repositoryName: string }): ecr.IRepository {
  const pins = scopeOf(stack);
  // Resolved: the account and region of a URI spelled out with intrinsics are tokens.
  const id = `Repository-${hash(JSON.stringify(stack.resolve([uri.account, uri.region, uri.repositoryName])))}`;
  const existing = pins.node.tryFindChild(id);
  if (existing !== undefined) {
    return existing as unknown as ecr.IRepository;
  }
  const repositoryArn = stack.formatArn({
    // A region that is a token (AWS::Region) is the stack's, in the stack's partition.
    partition: Token.isUnresolved(uri.region) ? undefined : partitionOf(uri.region),
    service: 'ecr',
    account: uri.account,
    region: uri.region,
    resource: 'repository',
    resourceName: uri.repositoryName,
  });
  return ecr.Repository.fromRepositoryAttributes(pins, id, { repositoryArn, repositoryName: uri.repositoryName });
}

/** The partition of a region, by the prefixes AWS gives each partition's regions. */
function partitionOf(region: string): string {
  const prefixes: Array<[string, string]> = [
    ['cn-', 'aws-cn'], ['us-gov-', 'aws-us-gov'], ['us-isob-', 'aws-iso-b'], ['us-isof-', 'aws-iso-f'],
    ['eu-isoe-', 'aws-iso-e'], ['us-iso-', 'aws-iso'], ['eusc-', 'aws-eusc'],
  ];
  return prefixes.find(([prefix]) => region.startsWith(prefix))?.[1] ?? 'aws';
}

/** The repository's name when synth knows it, its construct path otherwise (an asset's or a generated name). */
function repositoryLabel(repository: ecr.IRepository): string {
  return Token.isUnresolved(repository.repositoryName) ? repository.node.path : repository.repositoryName;
}

/** Lambda's platform for a function's architecture: the manifest Lambda runs from a multi-architecture image. */
function lambdaPlatform(resource: CfnResource): string | undefined {
  if (!(resource instanceof lambda.CfnFunction)) {
    return undefined;
  }
  const architectures = Stack.of(resource).resolve(resource.architectures);
  return Array.isArray(architectures) && architectures[0] === 'arm64' ? 'linux/arm64' : 'linux/amd64';
}

/**
 * Gives each version of a pinned function the lookup's digest as its
 * `CodeSha256`, as `dockerImageCode()` does: a new digest then publishes a
 * new version, and aliases on `currentVersion` follow it.
 */
function pinVersions(stack: Stack, functions: Map<string, ImageDigestLookup>): void {
  if (functions.size === 0) {
    return;
  }
  for (const version of stack.node.findAll()) {
    if (!(version instanceof lambda.CfnVersion) || Stack.of(version) !== stack || version.codeSha256 !== undefined) {
      continue;
    }
    const lookup = functions.get(JSON.stringify(stack.resolve(version.functionName)));
    if (lookup !== undefined) {
      version.codeSha256 = Token.asString(lookup.resource.getAtt(Attribute.DIGEST_HEX));
    }
  }
}

/** `*` matches any run of characters; an absent list matches `otherwise`. */
function matchesFilter(value: string, patterns: string[] | undefined, otherwise: boolean): boolean {
  if (patterns === undefined || patterns.length === 0) {
    return otherwise;
  }
  return patterns.some((pattern) => new RegExp(`^${pattern.split('*').map(escape).join('.*')}$`).test(value));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}
