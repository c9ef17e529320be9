import type { CancelReason, JobDispatchEvent, UserState } from '@ffgate/contracts';
import { evaluate, type Policy } from '@ffgate/policy';
import type { RevocationView } from '@ffgate/verifier';
import type { IdentityView } from './identity-view.ts';

/** The decision taken before a job may start (and re-taken when identity or revocations change). */
export type Admission =
  | { kind: 'admit'; user: UserState }
  | { kind: 'cancel'; reason: CancelReason; message: string }
  /** this replica has not seen the owner (yet): retry later, then fail closed */
  | { kind: 'unknown-owner' };

export interface AdmissionDeps {
  identities: IdentityView;
  revocations: RevocationView;
  policy: () => Policy;
  /** job ids canceled by `job.cancel` before this replica saw the job */
  canceledEarlier: (jobId: string) => CancelReason | undefined;
}

/**
 * The credential's issue time: `owner.iat` when the gateway sends it, else the dispatch time (the
 * credential was issued before the submit, so every user-wide revocation decided after the
 * dispatch still matches). Not the expiry: a job may wait longer than a credential lives.
 */
export function credentialIat(job: JobDispatchEvent): number {
  return job.owner.iat ?? Math.floor(Date.parse(job.time) / 1000);
}

export function profileAllowed(policy: Policy, user: UserState, job: Pick<JobDispatchEvent, 'profile' | 'queue'>): boolean {
  const roles = evaluate(policy, user);
  return roles.profiles.includes(job.profile) && roles.queues.includes(job.queue);
}

export function credentialRevoked(revocations: RevocationView, job: JobDispatchEvent): boolean {
  return revocations.isRevoked({ jti: job.owner.jti, sub: job.owner.userId, iat: credentialIat(job) });
}

/** Checks in the contract's precedence order, so the first failing one is the reason that wins. */
export function admit(deps: AdmissionDeps, job: JobDispatchEvent): Admission {
  const status = deps.identities.status(job.owner.userId);
  if (status === 'unknown') return { kind: 'unknown-owner' };
  if (status !== 'active') return { kind: 'cancel', reason: 'owner_deprovisioned', message: `the owner is ${status}` };
  const user = deps.identities.activeState(job.owner.userId) as UserState;
  if (!profileAllowed(deps.policy(), user, job)) {
    return { kind: 'cancel', reason: 'role_revoked', message: `profile ${job.profile} on queue ${job.queue} is no longer allowed for the owner` };
  }
  if (credentialRevoked(deps.revocations, job)) return { kind: 'cancel', reason: 'credential_revoked', message: 'the credential was revoked' };
  const canceled = deps.canceledEarlier(job.jobId);
  if (canceled) return { kind: 'cancel', reason: canceled, message: 'the job was canceled before it started' };
  return { kind: 'admit', user };
}
