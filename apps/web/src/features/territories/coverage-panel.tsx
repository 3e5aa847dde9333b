import { Link } from 'react-router';
import type { TerritoryCoverageDto } from '../../api/types.ts';

interface CoveragePanelProps {
  readonly coverage: TerritoryCoverageDto | undefined;
  readonly loading: boolean;
  readonly days: number;
  readonly onDays: (days: number) => void;
  /** Names and colours of the plan's territories, by index. */
  readonly names: readonly string[];
  readonly colours: readonly string[];
}

/** A small hatched square, like the map's. */
const swatch = (colour: string) => ({
  display: 'inline-block',
  width: 12,
  height: 12,
  verticalAlign: 'middle',
  border: `2px solid ${colour}`,
  background: `repeating-linear-gradient(45deg, ${colour} 0 2px, transparent 2px 5px)`,
});

const DAY_CHOICES = [30, 60, 90, 180, 365] as const;
const LISTED = 40;

const since = (iso: string | null): string => {
  if (iso === null) return 'never visited';
  const days = Math.floor((Date.now() - Date.parse(iso)) / 86_400_000);
  return `${String(days)} days ago`;
};

/** Coverage (F-TER-3): what no territory or no rep covers, and the accounts nobody visited for a while. */
export const CoveragePanel = ({ coverage, loading, days, onDays, names, colours }: CoveragePanelProps) => {
  const nameOf = (t: number): string => (t < 0 ? 'No territory' : (names[t] ?? `Territory ${String(t + 1)}`));
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 8 }} data-testid="coverage-panel">
      <div className="small">
        {coverage?.plan ? (
          <>
            Coverage of <strong>{coverage.plan.name}</strong> {coverage.plan.publishedAt ? '(published)' : '(not published)'}
          </>
        ) : (
          <span className="muted">No published plan: every area is without a territory.</span>
        )}
      </div>
      <label className="field">
        <span>Not visited for</span>
        <select value={days} onChange={(e) => onDays(Number(e.target.value))} data-testid="coverage-days">
          {DAY_CHOICES.map((d) => (
            <option key={d} value={d}>
              {d} days
            </option>
          ))}
        </select>
      </label>
      {loading && !coverage ? <span className="muted small">Loading coverage…</span> : null}
      {coverage ? (
        <>
          <div className="small" style={{ display: 'flex', gap: 10, flexWrap: 'wrap' }}>
            <span>
              <span style={swatch('#c81e1e')} /> No territory: <strong data-testid="coverage-no-territory-count">{coverage.areasWithoutTerritory.length}</strong>
            </span>
            <span>
              <span style={swatch('#ea7800')} /> No rep: <strong data-testid="coverage-no-rep-count">{coverage.areasWithoutRep.length}</strong>
            </span>
            <span>
              ● Not visited: <strong data-testid="coverage-not-visited-count">{coverage.notVisited.total}</strong>
            </span>
          </div>
          {coverage.territoriesWithoutRep.length > 0 ? (
            <div className="small" data-testid="coverage-territories-without-rep">
              <div className="legend-title">Territories without a rep</div>
              <ul style={{ margin: 0, paddingLeft: 18 }}>
                {coverage.territoriesWithoutRep.map((t) => (
                  <li key={t.index}>
                    <span style={{ borderLeft: `6px solid ${colours[t.index] ?? '#999'}`, paddingLeft: 6 }}>{t.name}</span> · {t.areas} areas
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {coverage.areasWithoutRep.length > 0 || coverage.areasWithoutTerritory.length > 0 ? (
            <details data-testid="coverage-areas">
              <summary className="small">Uncovered areas ({coverage.areasWithoutRep.length + coverage.areasWithoutTerritory.length})</summary>
              <table className="table small">
                <tbody>
                  {coverage.areasWithoutTerritory.map((a) => (
                    <tr key={a.code}>
                      <td>
                        {a.name} ({a.code})
                      </td>
                      <td>no territory</td>
                      <td className="num">{a.accounts} acc.</td>
                    </tr>
                  ))}
                  {coverage.areasWithoutRep.map((a) => (
                    <tr key={a.code} data-testid="coverage-area-no-rep">
                      <td>
                        {a.name} ({a.code})
                      </td>
                      <td>{a.territoryName}: no rep</td>
                      <td className="num">{a.accounts} acc.</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          ) : null}
          <div className="legend-title">Not visited for {days} days, by territory</div>
          <table className="table small" data-testid="coverage-by-territory">
            <tbody>
              {coverage.notVisited.byTerritory.map((b) => (
                <tr key={b.territory}>
                  <td>
                    <span style={{ borderLeft: `6px solid ${b.territory < 0 ? '#6b7280' : (colours[b.territory] ?? '#999')}`, paddingLeft: 6 }}>{nameOf(b.territory)}</span>
                  </td>
                  <td className="num">{b.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="legend-title">Longest without a visit</div>
          <ul style={{ listStyle: 'none', margin: 0, padding: 0 }} className="small" data-testid="coverage-accounts">
            {coverage.notVisited.items.slice(0, LISTED).map((a) => (
              <li key={a.id} style={{ display: 'flex', gap: 6, padding: '2px 0' }} data-testid="coverage-account">
                <Link to={`/accounts/${a.id}`} style={{ flex: 1, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                  {a.name}
                </Link>
                <span className="muted">{since(a.lastVisitAt)}</span>
                <span className="muted">· {nameOf(a.territory)}</span>
              </li>
            ))}
          </ul>
          {coverage.notVisited.total > LISTED ? (
            <span className="muted small">
              {LISTED} of {coverage.notVisited.total} listed; {Math.min(coverage.notVisited.items.length, coverage.notVisited.total)} on the map.
            </span>
          ) : null}
        </>
      ) : null}
    </div>
  );
};
