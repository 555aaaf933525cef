/** Injection token of the validated {@link GatewayConfig}. */
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

/** Injection token of the gateway's pino logger. */
export const GATEWAY_LOGGER = Symbol('GATEWAY_LOGGER');
