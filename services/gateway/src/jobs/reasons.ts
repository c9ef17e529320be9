import { CANCEL_REASON_PRECEDENCE, TERMINAL_JOB_STATUSES, type CancelReason, type JobStatus } from '@ffgate/contracts';

/** The reason that wins when several apply: the first in the contracts' precedence list. */
export function strongerReason(a: CancelReason | string | null | undefined, b: CancelReason | string | null | undefined): CancelReason | null {
  const rank = (r: string | null | undefined) => (r ? CANCEL_REASON_PRECEDENCE.indexOf(r as CancelReason) : -1);
  const ra = rank(a);
  const rb = rank(b);
  if (ra < 0 && rb < 0) return null;
  if (ra < 0) return b as CancelReason;
  if (rb < 0) return a as CancelReason;
  return (ra <= rb ? a : b) as CancelReason;
}

/** Deprovisioning reasons: when one of these arrives for a job already canceled for another of them, the stronger one is kept. */
export const DEPROVISION_REASONS: readonly CancelReason[] = ['owner_deprovisioned', 'role_revoked', 'credential_revoked'];

export function isTerminal(status: string): boolean {
  return TERMINAL_JOB_STATUSES.includes(status as JobStatus);
}
