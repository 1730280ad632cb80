import { Selector, selectorOf, valueIf } from './shared/selectors';

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
    return new ImageSelector(selectorOf('tag', tag));
  }

  /**
   * The image with this digest: the lookup verifies that the repository holds
   * it and that it is ACTIVE (not archived), and returns its metadata and tags.
   *
   * @param digest `sha256:` and 64 hex characters
   */
  public static digest(digest: string): ImageSelector {
    return new ImageSelector(selectorOf('digest', digest));
  }

  /**
   * The most recently pushed ACTIVE image with a tag that matches the
   * pattern. Only runnable images count: SOCI indexes, signatures,
   * attestations and other OCI artifacts are skipped, judged by their
   * manifest and artifact media types. Untagged images never count.
   */
  public static newest(options: NewestImageOptions = {}): ImageSelector {
    return new ImageSelector(selectorOf('newest', options.tagPattern ?? '*'));
  }

  private constructor(private readonly selector: Selector) {}

  /**
   * The tag the lookup resolves, when it resolves a tag.
   * @internal
   */
  public get _tag(): string | undefined {
    return valueIf(this.selector, 'tag');
  }

  /**
   * The selector as the shared request carries it; the rules and the
   * messages that differ per kind live in the shared SELECTOR_KINDS table.
   * @internal
   */
  public _selector(): Selector {
    return this.selector;
  }
}
