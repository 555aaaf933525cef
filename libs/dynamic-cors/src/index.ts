export * from './core/index.js';
export { CorsPolicySource, type CorsTarget } from './cors-policy-source.js';
export { DynamicCorsModule } from './dynamic-cors.module.js';
export type { DynamicCorsOptions } from './dynamic-cors.options.js';
