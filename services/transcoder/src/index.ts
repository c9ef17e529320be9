export { createTranscoder, type Transcoder, type TranscoderDeps, type TranscoderServiceConfig, type TranscoderStats } from './service.ts';
export { transcoderConfigKeys, transcoderConfigLoader, loadTranscoderConfig, defaultReplicaId, transcoderServiceConfig, type TranscoderEnvConfig } from './config.ts';
export { createMediaEngine, type MediaEngineOptions } from './media-engine.ts';
export type { TranscodeEngine, PreparedJob, EngineProcess, EngineExit, EngineProgress, SpawnOptions } from './engine.ts';
export { IdentityView, type OwnerStatus } from './identity-view.ts';
export { admit, credentialIat, type Admission } from './admission.ts';
