export * from './service-process.ts';
export * from './ffmpeg-processes.ts';
export * from './test-media.ts';
export * from './openapi.ts';
export * from './clients.ts';
export * from './system.ts';
