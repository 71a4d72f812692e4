/**
 * The NPS trend with uPlot: the NPS as a line, its 95% interval as a shaded band between the
 * upper and lower bounds. The canvas is hidden from screen readers; a table beside it says the same.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Score } from '#shared/core/nps';
import { locale } from './i18n.ts';
import { formatNps, timeRange } from './format.ts';

export interface TrendPoint extends Score {
  /** The UTC day, or the Monday that starts the week. */
  readonly day: string;
}

const accent = '#4f46e5';

export const TrendChart = ({ points, label, from, to: until }: { points: readonly TrendPoint[]; label: string; from?: string; to?: string }) => {
  const holder = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = holder.current;
    if (!element) return;
    const xs = points.map((p) => Date.parse(`${p.day}T00:00:00Z`) / 1000);
    const data: uPlot.AlignedData = [xs, points.map((p) => p.nps), points.map((p) => p.ci95?.high ?? null), points.map((p) => p.ci95?.low ?? null)];
    const to = locale.value;
    const dayMonth = new Intl.DateTimeFormat(to, { day: 'numeric', month: 'short', timeZone: 'UTC' });
    const bound = { stroke: 'transparent', points: { show: false } } as const;
    const plot = new uPlot(
      {
        width: Math.max(280, element.clientWidth),
        height: 240,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true, range: () => timeRange(xs, from, until) }, y: { range: [-100, 100] } },
        axes: [
          {
            stroke: '#64748b',
            grid: { show: false },
            ticks: { stroke: '#e2e8f0' },
            space: 64,
            values: (_u, splits) => splits.map((s) => dayMonth.format(new Date(s * 1000))),
          },
          {
            stroke: '#64748b',
            grid: { stroke: '#eef2f7' },
            ticks: { show: false },
            values: (_u, splits) => splits.map((s) => formatNps(s, to)),
            size: 48,
          },
        ],
        series: [
          {},
          { stroke: accent, width: 2.5, points: { show: points.length < 40, size: 6, fill: accent } },
          bound,
          bound,
        ],
        bands: [{ series: [2, 3], fill: 'rgba(79, 70, 229, 0.14)' }],
      },
      data,
      element,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(280, element.clientWidth), height: 240 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [points, from, until, locale.value]);
  return <div class="trend" ref={holder} role="img" aria-label={label} />;
};
