import type { AccountKind, AccountStatus } from '@geocrm/domain';
import { KIND_STYLES, SHAPE_PATHS, STATUS_STYLES } from './kind-style.ts';

/** The map symbol of a kind (and status) as inline SVG, for legends, lists and badges. */
export const KindSymbol = ({ kind, status = 'active', size = 14 }: { kind: AccountKind; status?: AccountStatus; size?: number }) => {
  const style = KIND_STYLES[kind];
  const statusStyle = STATUS_STYLES[status];
  const stroke = statusStyle.ring === 'dark' ? '#1e293b' : '#ffffff';
  return (
    <svg viewBox="-1.2 -1.2 2.4 2.4" width={size} height={size} className="kind-symbol" aria-hidden="true">
      <path
        d={SHAPE_PATHS[style.shape]}
        fill={style.color}
        fillOpacity={statusStyle.opacity}
        stroke={statusStyle.ring === 'dashed' ? style.color : stroke}
        strokeWidth={0.3}
        strokeDasharray={statusStyle.ring === 'dashed' ? '0.35 0.25' : undefined}
      />
    </svg>
  );
};
