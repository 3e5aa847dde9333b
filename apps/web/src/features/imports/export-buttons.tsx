import type { AccountFilters } from '../accounts/account-filters.ts';
import { exportUrl, type ExportFormat } from './imports-api.ts';
import './imports.css';

const FORMATS: readonly { format: ExportFormat; label: string }[] = [
  { format: 'csv', label: 'CSV' },
  { format: 'xlsx', label: 'XLSX' },
  { format: 'geojson', label: 'GeoJSON' },
];

/** Downloads of the accounts the list shows (its filters), as CSV, XLSX or GeoJSON. */
export const ExportButtons = ({ filters }: { filters: AccountFilters }) => (
  <span className="export-menu" data-testid="export-buttons">
    <span className="muted small">Export</span>
    {FORMATS.map(({ format, label }) => (
      <a key={format} className="btn btn-secondary btn-small" href={exportUrl(format, filters)} download data-testid={`export-${format}`}>
        {label}
      </a>
    ))}
  </span>
);
