import { categoryOfPrecision, type GeoCategory, type PrecisionBar } from './geo-categories.ts';

const numberFormat = new Intl.NumberFormat();
const percentFormat = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });

const BarLabel = ({ bar, onSelect }: { bar: PrecisionBar; onSelect: (category: GeoCategory) => void }) => {
  const category = categoryOfPrecision(bar.precision);
  if (!category || bar.count === 0) return <span className="bar-label">{bar.label}</span>;
  return (
    <button type="button" className="bar-label bar-link" onClick={() => onSelect(category)} title="List these accounts" data-testid={`precision-link-${bar.precision}`}>
      {bar.label}
    </button>
  );
};

/** Horizontal bars of accounts by geocoding precision: plain HTML and CSS, no chart library for eight bars. A non-zero count always shows a sliver. */
export const PrecisionChart = ({ bars, onSelect }: { bars: readonly PrecisionBar[]; onSelect: (category: GeoCategory) => void }) => {
  const max = Math.max(1, ...bars.map((b) => b.count));
  return (
    <figure className="bar-chart" data-testid="precision-chart" aria-label="Accounts by geocoding precision">
      <ul className="bar-list">
        {bars.map((bar) => (
          <li key={bar.precision} className="bar-row" data-testid="precision-bar" data-precision={bar.precision} data-count={bar.count}>
            <BarLabel bar={bar} onSelect={onSelect} />
            <span className="bar-track" aria-hidden="true">
              <span className={`bar-fill tone-${bar.tone}`} style={{ width: bar.count > 0 ? `max(3px, ${(bar.count / max) * 100}%)` : 0 }} />
            </span>
            <span className="bar-value">
              <strong>{numberFormat.format(bar.count)}</strong>
              <span className="muted small"> {percentFormat.format(bar.share)}</span>
            </span>
          </li>
        ))}
      </ul>
      <figcaption className="bar-legend muted small">
        <span>
          <i className="swatch tone-good" /> street or better
        </span>
        <span>
          <i className="swatch tone-fair" /> town centre
        </span>
        <span>
          <i className="swatch tone-coarse" /> too coarse to visit
        </span>
        <span>
          <i className="swatch tone-none" /> not on the map
        </span>
      </figcaption>
    </figure>
  );
};
