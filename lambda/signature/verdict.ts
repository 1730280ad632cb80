/** What verifying one signature ends in: who signed and when, or why it was rejected. */
export type Verdict =
  | { readonly valid: true; readonly signedBy: string; readonly signedAt?: Date }
  | { readonly valid: false; readonly signedBy?: string; readonly reason: string };

export function rejected(reason: string, signedBy?: string): Verdict {
  return { valid: false, reason, signedBy };
}
