export { loadConfig, ConfigError } from './load-config.js';
export { envSchemas } from './env-schemas.js';
