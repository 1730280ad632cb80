/**
 * Whether a repository's lifecycle policy could still expire or archive a
 * held image, judged by ECR's evaluation rules:
 * - rules apply in rulePriority order, and an image is expired by the first
 *   rule whose tag selection matches it, or by none: a later rule cannot
 *   expire an image that an earlier rule selects;
 * - `untagged` selects images with no tag (never a held image), `any` every
 *   image, `tagged` images that have, for every prefix of `tagPrefixList`
 *   (or pattern of `tagPatternList`, `*` matching any run), a tag that matches;
 * - `storageClass: archive` selects archived images only.
 * ECR's documentation states that precedence for expiry; the check does not
 * rely on it for transitions, so a transition to the archive that can select
 * the image is reported wherever it stands.
 */
import { SAFE_IMAGE_COUNT } from '../src/shared/hold';

interface Rule {
  readonly rulePriority?: number;
  readonly selection?: {
    readonly tagStatus?: string;
    readonly tagPrefixList?: string[];
    readonly tagPatternList?: string[];
    readonly storageClass?: string;
    readonly countType?: string;
    readonly countUnit?: string;
    readonly countNumber?: number;
  };
  readonly action?: { readonly type?: string; readonly targetStorageClass?: string };
}

/**
 * One sentence per rule that could expire or archive an active image with
 * these tags (its hold tag among them); none when the policy protects it.
 */
export function lifecycleRisks(policyText: string, imageTags: readonly string[]): string[] {
  let rules: Rule[];
  try {
    const parsed = JSON.parse(policyText) as { rules?: Rule[] };
    rules = [...(parsed.rules ?? [])].sort((a, b) => (a.rulePriority ?? 0) - (b.rulePriority ?? 0));
  } catch (error) {
    return [`The repository's lifecycle policy could not be read (${(error as Error).message}), so whether it keeps the held image is unknown.`];
  }
  const risks: string[] = [];
  let expiryDecided = false;
  for (const rule of rules) {
    if (!selects(rule, imageTags)) {
      continue;
    }
    if (rule.action?.type === 'transition') {
      risks.push(`Lifecycle rule ${describe(rule)} can move the held image to the archive, where it cannot be pulled: ECR states the precedence of earlier rules for expiry, and the check does not rely on it for transitions; select the image out of it, for example with tagStatus tagged and a tagPatternList that no hold tag matches.`);
      continue;
    }
    if (expiryDecided) {
      continue;
    }
    // The first selecting rule decides expiry, whatever it does.
    expiryDecided = true;
    const keepsMany = rule.selection?.countType === 'imageCountMoreThan' && (rule.selection.countNumber ?? 0) >= SAFE_IMAGE_COUNT;
    if (!keepsMany) {
      risks.push(`Lifecycle rule ${describe(rule)} can expire the held image despite its hold tag: it is the first rule that selects the image; add the protecting rule (tagStatus tagged, tagPrefixList ["cdk-hold-"], imageCountMoreThan ${SAFE_IMAGE_COUNT} or more) with a lower rulePriority.`);
    }
  }
  return risks;
}

function selects(rule: Rule, tags: readonly string[]): boolean {
  const selection = rule.selection ?? {};
  if ((selection.storageClass ?? 'standard') !== 'standard') {
    return false;
  }
  switch (selection.tagStatus) {
    case 'any':
      return true;
    case 'untagged':
      return tags.length === 0;
    case 'tagged': {
      const prefixes = (selection.tagPrefixList ?? []).map((prefix) => (tag: string) => tag.startsWith(prefix));
      const patterns = (selection.tagPatternList ?? []).map((pattern) => wildcard(pattern));
      const all = [...prefixes, ...patterns.map((re) => (tag: string) => re.test(tag))];
      return all.length > 0 && all.every((matches) => tags.some(matches));
    }
    default:
      return false;
  }
}

function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

function describe(rule: Rule): string {
  const s = rule.selection ?? {};
  const parts = [
    `tagStatus ${s.tagStatus ?? '?'}`,
    s.tagPrefixList ? `tagPrefixList ${JSON.stringify(s.tagPrefixList)}` : undefined,
    s.tagPatternList ? `tagPatternList ${JSON.stringify(s.tagPatternList)}` : undefined,
    `${s.countType ?? '?'} ${s.countNumber ?? '?'}${s.countUnit ? ` ${s.countUnit}` : ''}`,
    `${rule.action?.type ?? 'expire'}`,
  ].filter((part) => part !== undefined);
  return `${rule.rulePriority ?? '?'} (${parts.join(', ')})`;
}
