import { useState } from 'react';
import { ACCOUNT_KINDS, ACCOUNT_STATUSES } from '@geocrm/domain';
import { KIND_LABELS, STATUS_LABELS } from '../accounts/account-labels.ts';
import { KindSymbol } from '../accounts/kind-symbol.tsx';

export const MapLegend = () => {
  const [open, setOpen] = useState(true);
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
                <KindSymbol kind={kind} size={16} />
                {KIND_LABELS[kind]}
              </li>
            ))}
          </ul>
          <div className="legend-title">Statuses</div>
          <ul className="legend-list">
            {ACCOUNT_STATUSES.map((status) => (
              <li key={status}>
                <KindSymbol kind="client" status={status} size={16} />
                {STATUS_LABELS[status]}
              </li>
            ))}
          </ul>
          <div className="legend-title">Groups</div>
          <ul className="legend-list">
            <li>
              <span className="legend-cluster">12</span>
              Accounts nearby: click to zoom in
            </li>
          </ul>
        </div>
      ) : null}
    </div>
  );
};
