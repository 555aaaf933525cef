import { useEffect, useState } from 'preact/hooks';
import { path } from '../api/api-client.js';
import { useApi } from '../api/api-context.js';
import type { RefusalReason, Tenant, Traffic, TrafficWindow } from '../api/types.js';
import { ErrorNotice, Loading } from '../ui/feedback.js';
import { useAsync } from '../ui/use-async.js';
import { REASON_TEXT } from './reasons.js';
import { RefusalsInbox } from './refusals-inbox.js';
import { TrafficChart } from './traffic-chart.js';

const WINDOWS: readonly { value: TrafficWindow; label: string }[] = [
  { value: '1h', label: 'Last hour' },
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
];
/** Gateways write every 5 s; the view follows them while it is open. */
const REFRESH_MS = 5000;

/** The tenant's traffic: the chart of allowed, refused and preflight requests, and the refusals inbox. */
export function TrafficPanel({ tenant }: { tenant: Tenant }) {
  const api = useApi();
  const [window, setWindow] = useState<TrafficWindow>('1h');
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const { state, reload } = useAsync(
    (signal) => api.get<Traffic>(path('tenants', tenant.slug, 'traffic'), { signal, query: { window } }),
    [api, tenant.slug, window, tick],
  );
  const traffic = state.data;
  const reasons = Object.entries(traffic?.refusedByReason ?? {}) as [RefusalReason, number][];

  return (
    <div class="stack">
      <section class="card" aria-labelledby="traffic-title">
        <div class="card-head card-head-row">
          <div>
            <h2 id="traffic-title">Cross-origin traffic</h2>
            <p class="hint">Requests with an Origin other than their own, on every gateway.</p>
          </div>
          <div class="field traffic-window">
            <label for="traffic-window">Window</label>
            <select id="traffic-window" value={window} onChange={(event) => setWindow((event.currentTarget as HTMLSelectElement).value as TrafficWindow)}>
              {WINDOWS.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
          </div>
        </div>
        {traffic === undefined ? (
          state.status === 'error' ? (
            <ErrorNotice error={state.error} title="The traffic could not be loaded.">
              <button type="button" class="button" onClick={reload}>
                Try again
              </button>
            </ErrorNotice>
          ) : (
            <Loading label="Loading traffic…" />
          )
        ) : (
          <>
            <TrafficChart traffic={traffic} />
            <p class="hint" aria-label="Refusals by reason">
              {reasons.length === 0 ? 'No refusals in this window.' : reasons.map(([reason, count]) => `${REASON_TEXT[reason]}: ${count}`).join(' · ')}
            </p>
          </>
        )}
      </section>
      <RefusalsInbox tenant={tenant} version={tick} />
    </div>
  );
}
