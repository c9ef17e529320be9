import SCIMMY from 'scimmy';

/**
 * SCIM protocol errors are scimmy's own `SCIMMY.Types.Error` (status, scimType, message): scimmy
 * throws them from PatchOp and schema coercion, and we throw the same type for our own protocol
 * errors so the HTTP boundary maps one kind of error.
 */
export type ScimProtocolError = InstanceType<typeof SCIMMY.Types.Error>;

export function scimError(status: number, scimType: string | null, detail: string): ScimProtocolError {
  return new SCIMMY.Types.Error(status, scimType as string, detail);
}

export function isScimProtocolError(error: unknown): error is ScimProtocolError {
  return error instanceof SCIMMY.Types.Error;
}
