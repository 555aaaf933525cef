/** An app-specific condition for readiness, beside the database (e.g. the gateway's listener). */
export interface ReadinessProbe {
  readonly name: string;
  isReady(): boolean;
  /** Why it is not ready, for the operator reading `/health/ready`. */
  readonly notReadyMessage: string;
}

/** Injection token of the app's {@link ReadinessProbe} list. */
export const READINESS_PROBES = Symbol('READINESS_PROBES');
