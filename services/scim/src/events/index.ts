export { toUserState, ENTERPRISE_USER_URN, type UserFacts } from './user-state.ts';
export { toGroupState, type GroupFacts } from './group-state.ts';
export { identityEventMessage, type EventFacts } from './envelope.ts';
export { userUpdateEventType } from './user-event-type.ts';
