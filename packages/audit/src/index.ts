export { canonicalJson } from './canonical.ts';
export {
  chainRecord,
  normalizeTime,
  verifyChains,
  type AuditContent,
  type BrokenLink,
  type ChainedAuditRecord,
  type ChainVerification,
} from './chain.ts';
export { auditRecord, auditMessage, publishAudit, type AuditRecordInput } from './publish.ts';
export { AuditStream, AuditRecordEvent, auditSubject, type AuditAction } from '@ffgate/contracts';
