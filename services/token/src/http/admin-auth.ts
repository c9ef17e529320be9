import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

export interface AdminAuth {
  /** true when the admin API is configured */
  readonly enabled: boolean;
  /** `Authorization: Bearer <FFGATE_ADMIN_TOKEN>`, compared in constant time */
  isAdmin(req: Request): boolean;
}

/** Digests of equal length compared with timingSafeEqual: neither the token nor its length leaks. */
export function createAdminAuth(adminToken: string | undefined): AdminAuth {
  const expected = adminToken ? createHash('sha256').update(adminToken).digest() : undefined;
  return {
    enabled: expected !== undefined,
    isAdmin(req) {
      if (!expected) return false;
      const m = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
      if (!m) return false;
      return timingSafeEqual(createHash('sha256').update(m[1]!).digest(), expected);
    },
  };
}
