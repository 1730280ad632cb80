import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The ways a lookup re-runs, each with what it needs. */
type RefreshMode =
  | { readonly kind: 'everyDeployment' }
  | { readonly kind: 'onPropertyChange' }
  | { readonly kind: 'whenChanged'; readonly key: string }
  | { readonly kind: 'whenDigestChanges'; readonly onMoved: MovedImage };

/**
 * What the deployment does when the image moved between synth, which wrote
 * its digest into the template, and deploy time.
 */
export enum MovedImage {
  /**
   * Fail the lookup, naming the digest of synth and the digest of now: the
   * diff that was reviewed is not what would be deployed. Synth again to see
   * the new image in the diff.
   */
  FAIL = 'fail',
  /**
   * Deploy the image the tag points to now, and say so in the lookup
   * function's log.
   */
  FOLLOW = 'follow',
}

/** Options of `Refresh.whenDigestChanges()`. */
export interface DigestChangeOptions {
  /**
   * What the deployment does when the image moved after synth.
   *
   * @default MovedImage.FAIL
   */
  readonly onMovedImage?: MovedImage;
}

/**
 * When CloudFormation runs a lookup again.
 *
 * CloudFormation only invokes a custom resource when one of its properties
 * changes. A tag can move while the template stays the same, so the choice
 * here decides whether the next deployment sees the move.
 */
export class Refresh {
  /**
   * The context key that pins the token `Refresh.everyDeployment()` writes
   * into the template. Set it, for example
   * `new App({ context: { 'cdk-image-digest-lookup:refreshToken': 'test' } })`,
   * to get byte-identical templates across synths in snapshot tests.
   */
  public static readonly CONTEXT_KEY = 'cdk-image-digest-lookup:refreshToken';

  /**
   * Look the tag up again on every deployment, so a moved tag is picked up by
   * the next `cdk deploy` even when nothing else changed.
   *
   * Each synth writes a new token into the lookup's properties. Resources that
   * use the digest are only updated when the digest itself changed. To make
   * templates byte-identical across synths (snapshot tests), set the context
   * value `cdk-image-digest-lookup:refreshToken` to a fixed string.
   */
  public static everyDeployment(): Refresh {
    return new Refresh({ kind: 'everyDeployment' });
  }

  /**
   * Look the tag up only when the lookup's own properties change (repository,
   * tag). A moved tag is not picked up until one of them does: choose this
   * when tags are immutable, such as per-build tags.
   */
  public static onPropertyChange(): Refresh {
    return new Refresh({ kind: 'onPropertyChange' });
  }

  /**
   * Look the tag up again whenever `key` changes, for example a pipeline's
   * build or execution id, and only then.
   *
   * @param key any string, or a token that resolves to one at deploy time
   */
  public static whenChanged(key: string): Refresh {
    if (!Token.isUnresolved(key) && key.length === 0) {
      // A static factory has no construct yet, so the message names the call.
      throw new Error('Refresh.whenChanged(key): key "" is empty: pass a value that changes when the lookup must run again, such as a build id.');
    }
    return new Refresh({ kind: 'whenChanged', key });
  }

  /**
   * Resolve the image at synth, through the package's CDK CLI plugin, and
   * write its digest into the lookup's properties: `cdk diff` shows exactly
   * the lookups whose image moved (`api:main@sha256:old` to
   * `api:main@sha256:new`), and an app whose images did not move gives an
   * empty diff and no stack update. At deploy time the lookup resolves
   * again and compares; `onMovedImage` says what happens when they differ.
   *
   * Enable the plugin with `"plugin": ["cdk-image-digest-lookup/plugin"]` in
   * `cdk.json`. Without it, without AWS credentials (such as a pipeline's
   * build step), with `--no-lookups`, or when the repository's account,
   * region or the selector is a token, the lookup behaves as
   * `Refresh.everyDeployment()` and synth warns once: it never fails synth.
   */
  public static whenDigestChanges(options: DigestChangeOptions = {}): Refresh {
    return new Refresh({ kind: 'whenDigestChanges', onMoved: options.onMovedImage ?? MovedImage.FAIL });
  }

  private constructor(private readonly mode: RefreshMode) {}

  /**
   * What to do with a moved image when the lookup resolves at synth, or
   * undefined when it does not.
   * @internal
   */
  public _onMovedImage(): MovedImage | undefined {
    return this.mode.kind === 'whenDigestChanges' ? this.mode.onMoved : undefined;
  }

  /**
   * The value of the lookup's `RefreshToken` property, or undefined for none.
   * @internal
   */
  public _refreshToken(scope: IConstruct, perSynth: () => string): string | undefined {
    switch (this.mode.kind) {
      case 'onPropertyChange':
        return undefined;
      case 'whenChanged':
        return this.mode.key;
      case 'everyDeployment':
      // Resolving at synth replaces this token when it can (src/private/synth-resolution.ts).
      case 'whenDigestChanges': {
        const pinned = scope.node.tryGetContext(Refresh.CONTEXT_KEY);
        return pinned !== undefined ? String(pinned) : perSynth();
      }
    }
  }
}
