/**
 * What an image reference names: an ECR repository and a tag, an image
 * already pinned by digest, another registry, or something synth cannot know.
 */
import { Stack, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { DockerImageAsset } from 'aws-cdk-lib/aws-ecr-assets';
import { Construct, IConstruct } from 'constructs';

/** How a reference was recognised. */
export type Recognised =
  | { readonly kind: 'tag'; readonly repository: ecr.IRepository; readonly tag: string; readonly asset: boolean; readonly display: string }
  | { readonly kind: 'literal'; readonly account: string; readonly region: string; readonly repositoryName: string; readonly tag: string; readonly display: string }
  | { readonly kind: 'digest'; readonly display: string }
  | { readonly kind: 'notEcr'; readonly display: string }
  | { readonly kind: 'unknown'; readonly display: string };

/** Stands in for the tag while rendering a repository's URI; never a valid tag, so it cannot collide with one. */
const TAG_MARK = '@@IMAGE-TAG@@';
/** Stands in for a tag that is a token (a parameter, an SSM value): it renders as an element of its own. */
const TOKEN_TAG_MARK = { Ref: '@@IMAGE-TAG-TOKEN@@' };
/** A tag by Docker's grammar, as the JSON of a rendered reference holds it (no quote, no backslash). */
const TAG = '([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})';
/** `<account>.dkr.ecr[-fips].<region>.<suffix>/<repository>[:tag]`. */
const LITERAL_ECR = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.[a-z0-9.-]+\/([a-z0-9][a-z0-9._/-]*?)(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?$/;
const DIGEST_SUFFIX = /@sha256:/;

/** An image source of the app, with its URI rendered for a tag. */
interface Candidate {
  readonly repository: ecr.IRepository;
  /** The resolved URI for TAG_MARK, as JSON, or the asset's whole URI. */
  readonly rendered: string;
  /** The resolved URI for TOKEN_TAG_MARK, as JSON. */
  readonly renderedForToken?: string;
  /** Set for an asset: the tag the asset is published under. */
  readonly assetTag?: string;
}

/**
 * The app's repositories and image assets, rendered in one stack.
 *
 * The L2s write an image as a token (`Fn::Join` over the repository ARN's
 * parts and its name, or the synthesizer's `Fn::Sub` for an asset), so a
 * reference is recognised by comparing it with what each repository of the
 * app renders for a tag in the same stack, rather than by parsing the JSON:
 * the repository object found that way carries its own ARN, grants and
 * cross-stack references, whichever way it was defined or imported.
 */
export class ImageSources {
  private readonly byStack = new Map<Stack, Candidate[]>();

  public constructor(private readonly root: IConstruct) {}

  /** What `resolved` (an image reference resolved in `scope`'s stack) names. */
  public recognise(scope: IConstruct, resolved: unknown): Recognised {
    const display = typeof resolved === 'string' ? resolved : JSON.stringify(resolved);
    if (DIGEST_SUFFIX.test(display)) {
      return { kind: 'digest', display };
    }
    const json = JSON.stringify(resolved);
    for (const candidate of this.candidates(Stack.of(scope))) {
      if (candidate.assetTag !== undefined) {
        if (candidate.rendered === json) {
          return { kind: 'tag', repository: candidate.repository, tag: candidate.assetTag, asset: true, display };
        }
        continue;
      }
      const tag = matchTag(candidate.rendered, json) ?? matchTokenTag(candidate.renderedForToken, json);
      if (tag !== undefined) {
        return { kind: 'tag', repository: candidate.repository, tag, asset: false, display };
      }
    }
    if (typeof resolved !== 'string') {
      return spelledUri(resolved, display) ?? { kind: 'unknown', display };
    }
    const literal = LITERAL_ECR.exec(resolved);
    if (literal !== null) {
      return { kind: 'literal', account: literal[1], region: literal[2], repositoryName: literal[3], tag: literal[4] ?? 'latest', display };
    }
    return { kind: /\.dkr\.ecr[.-]/.test(resolved) ? 'unknown' : 'notEcr', display };
  }

  private candidates(stack: Stack): Candidate[] {
    let found = this.byStack.get(stack);
    if (found === undefined) {
      found = this.root.node.findAll().flatMap((c) => candidateOf(stack, c));
      this.byStack.set(stack, found);
    }
    return found;
  }
}

function candidateOf(stack: Stack, construct: IConstruct): Candidate[] {
  if (construct instanceof DockerImageAsset) {
    return [{ repository: construct.repository, rendered: JSON.stringify(stack.resolve(construct.imageUri)), assetTag: construct.imageTag }];
  }
  if (isRepository(construct)) {
    return [{
      repository: construct,
      rendered: JSON.stringify(stack.resolve(construct.repositoryUriForTag(TAG_MARK))),
      renderedForToken: JSON.stringify(stack.resolve(construct.repositoryUriForTag(Token.asString(TOKEN_TAG_MARK)))),
    }];
  }
  return [];
}

/**
 * Duck-typed: `Repository.fromRepositoryName` and its siblings return
 * classes that aws-cdk-lib does not export, and a second copy of aws-cdk-lib
 * in the app would fail `instanceof`.
 */
function isRepository(construct: IConstruct): construct is ecr.IRepository & Construct {
  const candidate = construct as Partial<ecr.IRepository>;
  return typeof candidate.repositoryUriForTag === 'function' && typeof candidate.repositoryUriForDigest === 'function'
    && candidate.repositoryName !== undefined && candidate.repositoryArn !== undefined;
}

/** Marks where an intrinsic stood in a spelled-out URI; no URI holds the character. */
const HOLE = '\u0000';
/** `<account>.dkr.ecr.<region>.<suffix>/<repository>[:tag]`, where account, region and tag may be intrinsics (holes). */
const SPELLED_ECR = new RegExp(`^(\\d{12}|${HOLE}\\d+${HOLE})\\.dkr\\.ecr(?:-fips)?\\.([a-z0-9-]+|${HOLE}\\d+${HOLE})\\.[^/]+\\/([a-z0-9][a-z0-9._/-]*?)(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|${HOLE}\\d+${HOLE}))?$`);

/**
 * An ECR URI that an L1 spells out with intrinsics for its account and
 * region, such as `${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/api:v1`
 * (`Fn::Join` or `Fn::Sub`), with a literal repository. The account, region
 * and a tag that is an intrinsic of its own stay intrinsics, which
 * CloudFormation resolves for the lookup.
 */
function spelledUri(resolved: unknown, display: string): Recognised | undefined {
  const values: unknown[] = [];
  const hole = (value: unknown) => `${HOLE}${values.push(value) - 1}${HOLE}`;
  const intrinsic = resolved as Record<string, unknown>;
  let text: string;
  const join = intrinsic['Fn::Join'];
  const sub = intrinsic['Fn::Sub'];
  if (Object.keys(intrinsic).length === 1 && Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    text = (join[1] as unknown[]).map((part) => (typeof part === 'string' ? part : hole(part))).join(join[0]);
  } else if (Object.keys(intrinsic).length === 1 && typeof sub === 'string') {
    text = sub.replace(/\$\{([^!}][^}]*)\}/g, (_whole, name: string) => hole(name.includes('.') ? { 'Fn::GetAtt': name.split('.') } : { Ref: name }));
  } else {
    return undefined;
  }
  const match = SPELLED_ECR.exec(text);
  if (match === null) {
    return undefined;
  }
  const valueOf = (part: string) => (part.startsWith(HOLE) ? Token.asString(values[Number(part.slice(1, -1))]) : part);
  return { kind: 'literal', account: valueOf(match[1]), region: valueOf(match[2]), repositoryName: match[3], tag: valueOf(match[4] ?? 'latest'), display };
}

/** The tag that makes `rendered` (a URI rendered for TAG_MARK) equal to `json`, if any. */
function matchTag(rendered: string, json: string): string | undefined {
  const tag = between(rendered, JSON.stringify(TAG_MARK).slice(1, -1), json);
  return tag !== undefined && new RegExp(`^${TAG}$`).test(tag) ? tag : undefined;
}

/**
 * The tag, a token again, that makes `rendered` (a URI rendered for
 * TOKEN_TAG_MARK) equal to `json`: a tag from a parameter or an SSM value
 * renders as an intrinsic of its own, which the lookup resolves at deploy
 * time (and the handler checks against the tag grammar).
 */
function matchTokenTag(rendered: string | undefined, json: string): string | undefined {
  const middle = rendered === undefined ? undefined : between(rendered, JSON.stringify(TOKEN_TAG_MARK), json);
  if (middle === undefined) {
    return undefined;
  }
  let intrinsic: unknown;
  try {
    intrinsic = JSON.parse(middle);
  } catch {
    return undefined;
  }
  return typeof intrinsic === 'object' && intrinsic !== null && !Array.isArray(intrinsic) ? Token.asString(intrinsic) : undefined;
}

/** What stands in `json` where `mark` stands in `rendered`, when the rest of the two is equal. */
function between(rendered: string, mark: string, json: string): string | undefined {
  const at = rendered.indexOf(mark);
  if (at < 0) {
    return undefined;
  }
  const before = rendered.slice(0, at);
  const after = rendered.slice(at + mark.length);
  if (!json.startsWith(before) || !json.endsWith(after) || json.length <= before.length + after.length) {
    return undefined;
  }
  return json.slice(before.length, json.length - after.length);
}
