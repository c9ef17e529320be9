import { validateEvent } from '@ffgate/contracts';

/**
 * Checks an event against the contract of its subject and returns the parsed event; throws
 * (normally a ContractError) when it does not conform. Pluggable per bus so a service can extend
 * the catalog; the default is @ffgate/contracts' `validateEvent`.
 */
export type EventValidator = (subject: string, event: unknown) => unknown;

export const defaultValidator: EventValidator = (subject, event) => validateEvent(subject, event);
