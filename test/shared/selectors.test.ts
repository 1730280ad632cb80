import { ImageSelector } from '../../src';
import {
  ALL_SELECTOR_KINDS, describeSelector, Selector, SELECTOR_KINDS, SelectorKind, selectorOf, selectorProblem, selectorValue, valueIf,
} from '../../src/shared/selectors';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const VALUES: Record<SelectorKind, string> = { tag: 'main', digest: DIGEST, newest: 'v1.*' };

// Each kind needs a public factory: a kind without one fails to compile here.
const FACTORIES: Record<SelectorKind, (value: string) => ImageSelector> = {
  tag: ImageSelector.tag,
  digest: ImageSelector.digest,
  newest: (tagPattern) => ImageSelector.newest({ tagPattern }),
};

describe.each(ALL_SELECTOR_KINDS)('selector kind %s', (kind) => {
  const selector = selectorOf(kind, VALUES[kind]);

  test('WHEN built from the table THEN it carries the value under its field', () => {
    expect(selector).toEqual({ kind, [SELECTOR_KINDS[kind].field]: VALUES[kind] });
    expect(selectorValue(selector)).toBe(VALUES[kind]);
  });

  test('WHEN its public factory is called THEN the construct holds the same selector', () => {
    expect(FACTORIES[kind](VALUES[kind])._selector()).toEqual(selector);
  });

  test('WHEN written THEN only its own kind carries the value', () => {
    for (const other of ALL_SELECTOR_KINDS) {
      expect(valueIf(selector, other)).toBe(other === kind ? VALUES[kind] : undefined);
    }
  });

  test('WHEN its value is bad THEN synth and the handler name the input their own way', () => {
    const bad = selectorOf(kind, 'not valid/');

    expect(selectorProblem(bad, 'input')).toMatch(new RegExp(`^${SELECTOR_KINDS[kind].input} "not valid/" is not a valid`));
    expect(selectorProblem(bad, 'wireKey')).toMatch(new RegExp(`^${SELECTOR_KINDS[kind].wireKey} "not valid/" is not a valid`));
    expect(selectorProblem(selector, 'input')).toBeUndefined();
  });
});

test.each<[Selector, string]>([
  [{ kind: 'tag', tag: 'main' }, 'tag "main"'],
  [{ kind: 'digest', digest: DIGEST }, `digest ${DIGEST}`],
  [{ kind: 'newest', tagPattern: 'v*' }, 'the newest image tagged "v*"'],
])('GIVEN %j WHEN described THEN messages name it as %s', (selector, description) => {
  expect(describeSelector(selector)).toBe(description);
});

test('GIVEN the table THEN each kind has its own wire key and field', () => {
  const entries = ALL_SELECTOR_KINDS.map((kind) => SELECTOR_KINDS[kind]);
  expect(new Set(entries.map((entry) => entry.wireKey)).size).toBe(entries.length);
  expect(new Set(entries.map((entry) => entry.field)).size).toBe(entries.length);
});
