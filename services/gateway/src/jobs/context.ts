import type { Drizzle } from '@ffgate/db';
import type { Policy } from '@ffgate/policy';

/** What the job logic needs; built once by the service. */
export interface JobsContext {
  db: Drizzle;
  /** the policy in force (reloadable) */
  policy: () => Policy;
  /** sent with every dispatch */
  limits: { maxRuntimeSec: number; maxOutputBytes: number };
  /** audit writer name of this service (`gateway`) */
  auditWriter: string;
  now: () => number;
}
