export { loadConfig, ConfigError } from './load-config.js';
export { envSchemas, type TrustProxySetting } from './env-schemas.js';
