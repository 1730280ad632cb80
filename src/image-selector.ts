import { Token } from 'aws-cdk-lib';
import { checkDigest, checkTag, checkTagPattern } from './private/rules';

/**
 * Options of `ImageSelector.newest()`.
 */
export interface NewestImageOptions {
  /**
   * Only images with a tag that matches this pattern are considered. `*`
   * matches any run of characters, as in ECR lifecycle rules: `release-*`,
   * `*-arm64`, `v1.*`.
   *
   * @default '*' - any tagged image
   */
  readonly tagPattern?: string;
}

/**
 * Which image of the repository a lookup resolves: the image a tag points to,
 * the image with a given digest, or the most recently pushed image.
 */
export class ImageSelector {
  /**
   * The image that `tag` points to at deploy time.
   *
   * @param tag a literal tag is checked against Docker's tag grammar at synth; a token at deploy time
   */
  public static tag(tag: string): ImageSelector {
    return new ImageSelector('tag', tag, `tag ${JSON.stringify(tag)}`);
  }

  /**
   * The image with this digest: the lookup verifies that the repository holds
   * it and that it is ACTIVE (not archived), and returns its metadata and tags.
   *
   * @param digest `sha256:` and 64 hex characters
   */
  public static digest(digest: string): ImageSelector {
    return new ImageSelector('digest', digest, `digest ${JSON.stringify(digest)}`);
  }

  /**
   * The most recently pushed ACTIVE image with a tag that matches the
   * pattern. Only runnable images count: SOCI indexes, signatures,
   * attestations and other OCI artifacts are skipped, judged by their
   * manifest and artifact media types. Untagged images never count.
   */
  public static newest(options: NewestImageOptions = {}): ImageSelector {
    const pattern = options.tagPattern ?? '*';
    return new ImageSelector('newest', pattern, `the newest image tagged ${JSON.stringify(pattern)}`);
  }

  private constructor(
    private readonly kind: 'tag' | 'digest' | 'newest',
    private readonly value: string,
    /** How errors name the selector. */
    private readonly description: string,
  ) {}

  /**
   * The tag the lookup resolves, when it resolves a tag.
   * @internal
   */
  public get _tag(): string | undefined {
    return this.kind === 'tag' ? this.value : undefined;
  }

  /**
   * The custom resource properties that carry the selector.
   * @internal
   */
  public _properties(): { Tag?: string; Digest?: string; NewestTagPattern?: string } {
    switch (this.kind) {
      case 'tag': return { Tag: this.value };
      case 'digest': return { Digest: this.value };
      default: return { NewestTagPattern: this.value };
    }
  }

  /**
   * The problem with a literal value, if any; tokens are checked at deploy time.
   * @internal
   */
  public _problem(): string | undefined {
    if (Token.isUnresolved(this.value)) {
      return undefined;
    }
    switch (this.kind) {
      case 'tag': return checkTag('tag', this.value);
      case 'digest': return checkDigest('digest', this.value);
      default: return checkTagPattern('tagPattern', this.value);
    }
  }

  /** @internal */
  public _describe(): string {
    return this.description;
  }
}
