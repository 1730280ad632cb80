/**
 * The ways a lookup selects its image: one table that the construct (options,
 * synth checks), the contract (wire keys) and the handler (reading, messages)
 * all read. Adding a kind adds a row here; only the ECR selection itself
 * (lambda/resolve.ts) and the public factory (ImageSelector) differ per kind.
 */
import { checkDigest, checkTag, checkTagPattern } from './rules';

/** What a lookup knows of one way to select an image. */
export interface SelectorKindEntry {
  /** The field of the parsed `Selector` that holds the value. */
  readonly field: string;
  /** The custom resource property that carries the value. */
  readonly wireKey: string;
  /** How synth messages name the input. */
  readonly input: string;
  /** The rule the value must follow; messages name the input given. */
  readonly check: (input: string, value: string) => string | undefined;
  /** How messages name the selected image. */
  readonly describe: (value: string) => string;
}

/** Every selector kind. */
export const SELECTOR_KINDS = {
  tag: {
    field: 'tag', wireKey: 'Tag', input: 'tag', check: checkTag, describe: (tag: string) => `tag "${tag}"`,
  },
  digest: {
    field: 'digest', wireKey: 'Digest', input: 'digest', check: checkDigest, describe: (digest: string) => `digest ${digest}`,
  },
  newest: {
    field: 'tagPattern',
    wireKey: 'NewestTagPattern',
    input: 'tagPattern',
    check: checkTagPattern,
    describe: (pattern: string) => `the newest image tagged "${pattern}"`,
  },
} as const satisfies Record<string, SelectorKindEntry>;

type Table = typeof SELECTOR_KINDS;

/** A way to select an image. */
export type SelectorKind = keyof Table;

/** The custom resource property of each kind. */
export type SelectorWireKey = Table[SelectorKind]['wireKey'];

/** Which image of the repository to resolve, such as `{ kind: 'tag', tag: 'main' }`. */
export type Selector = {
  [K in SelectorKind]: { readonly kind: K } & { readonly [F in Table[K]['field']]: string };
}[SelectorKind];

/** Every selector kind, in the table's order. */
export const ALL_SELECTOR_KINDS = Object.keys(SELECTOR_KINDS) as SelectorKind[];

/** The selector of `kind` with `value`. */
export function selectorOf(kind: SelectorKind, value: string): Selector {
  return { kind, [SELECTOR_KINDS[kind].field]: value } as unknown as Selector;
}

/** The one value of a selector: its tag, digest or pattern. */
export function selectorValue(selector: Selector): string {
  return (selector as unknown as Record<string, string>)[SELECTOR_KINDS[selector.kind].field];
}

/** The selector's value when it is of `kind`, else undefined: what the writer puts under that kind's key. */
export function valueIf(selector: Selector, kind: SelectorKind): string | undefined {
  return selector.kind === kind ? selectorValue(selector) : undefined;
}

/** How messages name the selector: `tag "main"`, `digest sha256:...`, `the newest image tagged "v*"`. */
export function describeSelector(selector: Selector): string {
  return SELECTOR_KINDS[selector.kind].describe(selectorValue(selector));
}

/** The selector's problem, if any, naming the input as synth (`input`) or the handler (`wireKey`) calls it. */
export function selectorProblem(selector: Selector, naming: 'input' | 'wireKey'): string | undefined {
  const entry: SelectorKindEntry = SELECTOR_KINDS[selector.kind];
  return entry.check(entry[naming], selectorValue(selector));
}
