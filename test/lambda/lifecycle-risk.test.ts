/**
 * The lifecycle check's judgement of one rule, or of a policy, against a
 * held image's tags, by ECR's evaluation rules.
 */
import { lifecycleRisks } from '../../lambda/lifecycle-risk';

const HOLD = 'cdk-hold-0123456789abcdef-0123456789ab';

type Selection = Record<string, unknown>;
const rule = (rulePriority: number, selection: Selection, action: Record<string, string> = { type: 'expire' }) => ({ rulePriority, selection, action });
const policy = (...rules: object[]) => JSON.stringify({ rules });

const UNTAGGED_EXPIRY = rule(1, { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 });
const COUNT_OF_ANY = rule(10, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 20 });
const TAG_PREFIX = rule(5, { tagStatus: 'tagged', tagPrefixList: ['cdk'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 30 });
const ARCHIVE = rule(7, { tagStatus: 'any', countType: 'sinceImagePulled', countUnit: 'days', countNumber: 90 }, { type: 'transition', targetStorageClass: 'archive' });
const PROTECTING = rule(1, { tagStatus: 'tagged', tagPrefixList: ['cdk-hold-'], countType: 'imageCountMoreThan', countNumber: 9999 });

describe('the four representative rules, each alone', () => {
  test('GIVEN untagged expiry WHEN judged THEN no risk: a held image is tagged', () => {
    expect(lifecycleRisks(policy(UNTAGGED_EXPIRY), ['main', HOLD])).toEqual([]);
  });

  test('GIVEN a count of any image WHEN judged THEN a risk naming the rule', () => {
    expect(lifecycleRisks(policy(COUNT_OF_ANY), [HOLD])).toEqual([
      expect.stringMatching(/^Lifecycle rule 10 \(tagStatus any, imageCountMoreThan 20, expire\) can expire the held image despite its hold tag/),
    ]);
  });

  test('GIVEN a tag prefix that the hold tag matches WHEN judged THEN a risk', () => {
    expect(lifecycleRisks(policy(TAG_PREFIX), [HOLD])).toEqual([expect.stringContaining('Lifecycle rule 5 (tagStatus tagged, tagPrefixList ["cdk"]')]);
  });

  test('GIVEN an archive transition WHEN judged THEN a risk that says the image could not be pulled', () => {
    expect(lifecycleRisks(policy(ARCHIVE), [HOLD])).toEqual([expect.stringContaining('can move the held image to the archive, where it cannot be pulled')]);
  });
});

describe('the protecting rule', () => {
  test.each([
    ['a count of any image', COUNT_OF_ANY],
    ['a tag prefix the hold tag matches', TAG_PREFIX],
    ['untagged expiry', UNTAGGED_EXPIRY],
  ])('GIVEN it before %s WHEN judged THEN no risk: the first rule that selects an image decides its expiry', (_name, later) => {
    expect(lifecycleRisks(policy({ ...later, rulePriority: 50 }, PROTECTING), ['main', HOLD])).toEqual([]);
  });

  test('GIVEN it before an archive transition WHEN judged THEN the transition is still reported: the check relies on the precedence ECR states for expiry only', () => {
    expect(lifecycleRisks(policy(PROTECTING, ARCHIVE), [HOLD])).toHaveLength(1);
  });

  test('GIVEN it after a rule that selects the image WHEN judged THEN the earlier rule is the risk', () => {
    expect(lifecycleRisks(policy({ ...PROTECTING, rulePriority: 99 }, TAG_PREFIX), [HOLD])).toEqual([expect.stringContaining('Lifecycle rule 5 ')]);
  });

  test('GIVEN it with a count under 1000 WHEN judged THEN a risk: that many newer held images would expire it', () => {
    const small = rule(1, { tagStatus: 'tagged', tagPrefixList: ['cdk-hold-'], countType: 'imageCountMoreThan', countNumber: 5 });
    expect(lifecycleRisks(policy(small), [HOLD])).toHaveLength(1);
  });
});

describe('the image\'s other tags', () => {
  test('GIVEN a rule on a prefix of another tag of the image WHEN judged THEN a risk: the rule selects the image by that tag', () => {
    const releases = rule(3, { tagStatus: 'tagged', tagPrefixList: ['release-'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 30 });
    expect(lifecycleRisks(policy(releases), ['release-7', HOLD])).toHaveLength(1);
    expect(lifecycleRisks(policy(releases), [HOLD])).toEqual([]);
  });

  test.each([
    [['cdk-hold-*'], true],
    [['*'], true],
    [['release-*'], false],
    [['cdk-hold-*', 'main'], false],
  ])('GIVEN tagPatternList %j WHEN judged for an image tagged only with its hold THEN a risk is %s', (patterns, risky) => {
    const byPattern = rule(2, { tagStatus: 'tagged', tagPatternList: patterns, countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 });
    expect(lifecycleRisks(policy(byPattern), [HOLD]).length > 0).toBe(risky);
  });

  test('GIVEN a rule for archived images (storageClass archive) WHEN judged THEN no risk for an active image', () => {
    const archived = rule(2, { tagStatus: 'any', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 90 });
    expect(lifecycleRisks(policy(archived), [HOLD])).toEqual([]);
  });
});

test('GIVEN rules out of priority order WHEN judged THEN they apply in rulePriority order', () => {
  expect(lifecycleRisks(policy({ ...COUNT_OF_ANY, rulePriority: 90 }, { ...PROTECTING, rulePriority: 2 }), [HOLD])).toEqual([]);
});

test('GIVEN a policy that is not JSON WHEN judged THEN one finding says it could not be read', () => {
  expect(lifecycleRisks('{rules', [HOLD])).toEqual([expect.stringContaining('could not be read')]);
});
