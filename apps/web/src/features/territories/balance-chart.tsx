import type { Balance } from './balance.ts';
import { formatPercent } from './balance.ts';

interface BalanceChartProps {
  readonly balance: Balance;
  readonly names: readonly string[];
  readonly colours: readonly string[];
  readonly tolerance: number;
  /** Click on a territory's row (e.g. to move the selected area there). */
  readonly onPick?: (territory: number) => void;
}

const ROW = 24;
const LABEL = 118;
const WIDTH = 360;
const VALUE = 62;
const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

/** One bar per territory: its load against the mean (dashed line) and the ±τ band (shaded). */
export const BalanceChart = ({ balance, names, colours, tolerance, onPick }: BalanceChartProps) => {
  const { loads, mean, deviations } = balance;
  const barWidth = WIDTH - LABEL - VALUE;
  const top = Math.max(mean * (1 + tolerance), ...loads) * 1.08 || 1;
  const x = (v: number): number => LABEL + (v / top) * barWidth;
  const height = loads.length * ROW + 18;
  return (
    <svg viewBox={`0 0 ${String(WIDTH)} ${String(height)}`} width="100%" role="img" aria-label="Balance of the territories" data-testid="territory-balance-chart">
      <rect x={x(mean * (1 - tolerance))} y={0} width={x(mean * (1 + tolerance)) - x(mean * (1 - tolerance))} height={loads.length * ROW} fill="#16a34a" opacity={0.13} />
      {loads.map((load, t) => {
        const dev = deviations[t] ?? 0;
        const ok = Math.abs(dev) <= tolerance + 1e-9;
        return (
          <g
            key={t}
            transform={`translate(0 ${String(t * ROW)})`}
            onClick={onPick ? () => onPick(t) : undefined}
            style={onPick ? { cursor: 'pointer' } : undefined}
            data-testid="territory-bar"
          >
            <title>{`${names[t] ?? ''}: ${compact.format(load)} (${formatPercent(dev, true)} from the mean)`}</title>
            <rect x={0} y={2} width={WIDTH} height={ROW - 4} fill="transparent" />
            <rect x={2} y={7} width={10} height={10} rx={2} fill={colours[t] ?? '#999'} />
            <text x={18} y={16} fontSize={11} fill="#334155">
              {(names[t] ?? '').slice(0, 16)}
            </text>
            <rect x={LABEL} y={5} width={Math.max(0, x(load) - LABEL)} height={ROW - 10} rx={2} fill={colours[t] ?? '#999'} />
            <text x={WIDTH - 2} y={16} fontSize={11} textAnchor="end" fill={ok ? '#166534' : '#b91c1c'} fontWeight={ok ? 400 : 700}>
              {formatPercent(dev, true)}
            </text>
          </g>
        );
      })}
      <line x1={x(mean)} x2={x(mean)} y1={0} y2={loads.length * ROW} stroke="#0f172a" strokeDasharray="3 3" />
      <text x={x(mean)} y={loads.length * ROW + 13} fontSize={10} textAnchor="middle" fill="#475569">
        mean {compact.format(mean)} · band ±{Math.round(tolerance * 100)} %
      </text>
    </svg>
  );
};
