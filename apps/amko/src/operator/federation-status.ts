// AMKOCluster status.conditions as the Go AMKO's federator writes them (federator/controllers/status.go, spec amko.md
// §2.4): one condition per step reached, each with a success, "some failed" or "all failed" string; the reason is
// the hard error, or the failing members' errors joined with ",".
export interface Condition {
  type: string;
  status: string;
  reason?: string;
}

export const NOT_A_LEADER = "won't federate objects";
export const NOT_A_LEADER_REASON = 'AMKO not a leader';

const STEPS = {
  validation: { type: 'current AMKOCluster Validation', allFailed: 'invalid AMKOCluster object', someFailed: 'invalid AMKOCluster object', success: 'valid AMKOCluster object' },
  initialisation: { type: 'member cluster initialisation', allFailed: 'member cluster clients invalid', someFailed: "some member cluster clients couldn't be fetched", success: 'all cluster clients fetched' },
  memberValidation: { type: 'member cluster validation', allFailed: 'member cluster clients invalid', someFailed: 'error in validating some member clusters', success: 'validated all member clusters' },
  gslbConfig: { type: 'GSLBConfig Federation', allFailed: 'failure in federation', someFailed: 'error in federating to some clusters', success: 'federated to all valid clusters successfully' },
  gdp: { type: 'GDP Federation', allFailed: 'failure in federation', someFailed: 'error in federating to some clusters', success: 'federated to all valid clusters successfully' },
} as const;
export type Step = keyof typeof STEPS;

export interface MemberError {
  cluster: string;
  error: string;
}

/** The condition of STEP: a hard error (the run stops) wins, then member errors, else success. */
export function condition(step: Step, hardError: string | undefined, members: readonly MemberError[] = []): Condition {
  const s = STEPS[step];
  if (members.length > 0) return { type: s.type, status: s.someFailed, reason: members.map((m) => m.error).join(',') };
  if (hardError) return { type: s.type, status: s.allFailed, reason: hardError };
  return { type: s.type, status: s.success };
}

export const followerConditions = (): Condition[] => [{ type: STEPS.validation.type, status: NOT_A_LEADER, reason: NOT_A_LEADER_REASON }];

export const sameConditions = (a: readonly Condition[] | undefined, b: readonly Condition[]) =>
  JSON.stringify((a ?? []).map((c) => [c.type, c.status, c.reason ?? ''])) === JSON.stringify(b.map((c) => [c.type, c.status, c.reason ?? '']));
