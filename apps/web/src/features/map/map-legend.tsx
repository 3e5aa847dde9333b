import { useState } from 'react';
import { ACCOUNT_KINDS, ACCOUNT_STATUSES } from '@geocrm/domain';
import { KIND_LABELS, STATUS_LABELS } from '../accounts/account-labels.ts';
import { KindSymbol } from '../accounts/kind-symbol.tsx';
import { useAccountFilters } from '../accounts/account-filters.ts';

const toggle = <T,>(list: readonly T[], value: T): T[] => (list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);

/** Kinds and statuses with their map symbols; clicking one filters the map (and the list) by it. */
export const MapLegend = () => {
  const [open, setOpen] = useState(() => window.innerWidth > 1100);
  const { filters, setFilters } = useAccountFilters();
  const dimmed = (active: readonly string[], value: string) => active.length > 0 && !active.includes(value);

  return (
    <div className="map-legend card" data-testid="map-legend">
      <button type="button" className="legend-toggle" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
        Legend <span aria-hidden="true">{open ? '▾' : '▸'}</span>
      </button>
      {open ? (
        <div className="legend-body">
          <div className="legend-title">Kinds</div>
          <ul className="legend-list">
            {ACCOUNT_KINDS.map((kind) => (
              <li key={kind}>
                <button
                  type="button"
                  className={`legend-item${dimmed(filters.kind, kind) ? ' dimmed' : ''}`}
                  aria-pressed={filters.kind.includes(kind)}
                  title={`Filter by kind: ${KIND_LABELS[kind]}`}
                  onClick={() => setFilters({ kind: toggle(filters.kind, kind) })}
                  data-testid={`legend-kind-${kind}`}
                >
                  <KindSymbol kind={kind} size={16} />
                  {KIND_LABELS[kind]}
                </button>
              </li>
            ))}
          </ul>
          <div className="legend-title">Statuses</div>
          <ul className="legend-list">
            {ACCOUNT_STATUSES.map((status) => (
              <li key={status}>
                <button
                  type="button"
                  className={`legend-item${dimmed(filters.status, status) ? ' dimmed' : ''}`}
                  aria-pressed={filters.status.includes(status)}
                  onClick={() => setFilters({ status: toggle(filters.status, status) })}
                  data-testid={`legend-status-${status}`}
                >
                  <KindSymbol kind="client" status={status} size={16} />
                  {STATUS_LABELS[status]}
                </button>
              </li>
            ))}
          </ul>
          <div className="legend-title">Groups</div>
          <ul className="legend-list">
            <li className="legend-item">
              <span className="legend-cluster">12</span>
              Accounts nearby: click to zoom in
            </li>
          </ul>
          <p className="legend-hint muted">Click a kind or status to filter.</p>
        </div>
      ) : null}
    </div>
  );
};
