import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';
import type { Traffic } from '../api/types.js';

// Only the parts drawn here, so the bundle carries no other chart type.
Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

const COLOURS = { allowed: '#2f855a', refused: '#c53030', preflights: '#2b6cb0' } as const;

function label(iso: string, window: Traffic['window']): string {
  const date = new Date(iso);
  return window === '7d'
    ? date.toLocaleString(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' })
    : date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/**
 * Allowed and refused requests as stacked bars per bucket, preflights as a line over them,
 * drawn by Chart.js on a canvas; the same numbers are in a table for screen readers.
 */
export function TrafficChart({ traffic }: { traffic: Traffic }) {
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const labels = traffic.buckets.map((bucket) => label(bucket.start, traffic.window));
    const chart = new Chart(canvas.current!, {
      type: 'bar',
      data: {
        labels,
        datasets: [
          { label: 'Allowed', data: traffic.buckets.map((b) => b.allowed), backgroundColor: COLOURS.allowed, stack: 'decisions' },
          { label: 'Refused', data: traffic.buckets.map((b) => b.refused), backgroundColor: COLOURS.refused, stack: 'decisions' },
          {
            type: 'line',
            label: 'Preflights',
            data: traffic.buckets.map((b) => b.preflights),
            borderColor: COLOURS.preflights,
            backgroundColor: COLOURS.preflights,
            pointRadius: 2,
          },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: 'bottom' } },
      },
    });
    return () => chart.destroy();
  }, [traffic]);

  return (
    <figure class="traffic-chart">
      <div class="chart-box">
        <canvas ref={canvas} role="img" aria-label={`Allowed, refused and preflight requests over the last ${traffic.window}`} />
      </div>
      <table class="visually-hidden" aria-label="Traffic per interval">
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col">Allowed</th>
            <th scope="col">Refused</th>
            <th scope="col">Preflights</th>
          </tr>
        </thead>
        <tbody>
          {traffic.buckets.map((bucket) => (
            <tr key={bucket.start} data-start={bucket.start}>
              <th scope="row">{label(bucket.start, traffic.window)}</th>
              <td>{bucket.allowed}</td>
              <td>{bucket.refused}</td>
              <td>{bucket.preflights}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
