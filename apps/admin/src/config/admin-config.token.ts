/** Injection token of the validated {@link AdminConfig}. */
export const ADMIN_CONFIG = Symbol('ADMIN_CONFIG');
