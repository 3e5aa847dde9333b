import { useEffect, useMemo, useRef, useState } from 'react';
import type { PublishTerritoryPlanResult, TerritoryMeasure, TerritoryPlanDto } from '../../api/types.ts';
import { useAttribution, useBoundaries } from '../map/geo-api.ts';
import { useUsers } from '../users/users-api.ts';
import { useCurrentSession } from '../auth/require-session.tsx';
import { ErrorBanner } from '../../ui/error-banner.tsx';
import { usePageTitle } from '../../ui/use-page-title.ts';
import { balanceOf, formatPercent, moveArea, type BalanceArea } from './balance.ts';
import { BalanceChart } from './balance-chart.tsx';
import { TerritoriesMap } from './territories-map.tsx';
import { CoveragePanel } from './coverage-panel.tsx';
import {
  useCoverage,
  useDeletePlan,
  useDesignTerritories,
  useEvaluatePlan,
  useLoadPlan,
  useMovePlanAreas,
  usePublishPlan,
  useSavePlan,
  useTerritoryAreas,
  useTerritoryPlans,
  useUnpublishPlan,
  useUpdatePlan,
} from './territories-api.ts';

interface EditableArea extends BalanceArea {
  readonly name: string;
}

const MEASURES: { value: 'accounts' | 'population'; label: string }[] = [
  { value: 'accounts', label: 'Accounts' },
  { value: 'population', label: 'Population' },
];
const measureLabel = (m: TerritoryMeasure): string => (typeof m === 'string' ? m : 'mix');

const designedIn = (p: TerritoryPlanDto): string => {
  const ms = p.stats?.timeMs ?? 0;
  const time = ms < 1000 ? `${String(Math.round(ms))} ms` : `${(ms / 1000).toFixed(1)} s`;
  const stopped = p.stats?.stoppedBy === 'time' ? ' (stopped at the time limit: best plan so far)' : p.stats?.stoppedBy === 'cancelled' ? ' (cancelled: best plan so far)' : '';
  return `Designed in ${time}${stopped}`;
};

/** Territory design: choose k (or reps), a measure and a tolerance, design, adjust by hand, save. */
export const TerritoriesPage = () => {
  usePageTitle('Territories');
  const session = useCurrentSession();
  const mayDesign = session.user.role === 'manager' || session.user.role === 'admin';
  const { boundaries } = useBoundaries({ regions: false });
  const attribution = useAttribution();
  const areasQuery = useTerritoryAreas();
  const users = useUsers();
  const plans = useTerritoryPlans();
  const design = useDesignTerritories();
  const save = useSavePlan();
  const load = useLoadPlan();
  const move = useMovePlanAreas();
  const remove = useDeletePlan();
  const evaluate = useEvaluatePlan();
  const update = useUpdatePlan();
  /** Only the answer to the latest hand move is shown. */
  const evaluation = useRef(0);

  const [byReps, setByReps] = useState(false);
  const [k, setK] = useState(8);
  const [repIds, setRepIds] = useState<readonly string[]>([]);
  const [measure, setMeasure] = useState<'accounts' | 'population'>('accounts');
  const [tolerancePct, setTolerancePct] = useState(5);
  const [plan, setPlan] = useState<TerritoryPlanDto | null>(null);
  const [areas, setAreas] = useState<readonly EditableArea[]>([]);
  const [dirty, setDirty] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  /** Areas locked to a territory for the next design: code → territory. */
  const [locked, setLocked] = useState<ReadonlyMap<string, number>>(new Map());
  const lockedCodes = useMemo(() => new Set(locked.keys()), [locked]);
  const [mode, setMode] = useState<'design' | 'coverage'>('design');
  const [days, setDays] = useState(90);
  /** The saved plan whose publication is being confirmed. */
  const [publishing, setPublishing] = useState<string | null>(null);
  const [setOwners, setSetOwners] = useState(false);
  const [published, setPublished] = useState<{ name: string; result: PublishTerritoryPlanResult } | null>(null);
  const publish = usePublishPlan();
  const unpublish = useUnpublishPlan();
  const coverage = useCoverage(days, mode === 'coverage' && mayDesign);

  const reps = (users.data?.items ?? []).filter((u) => u.active && (u.role === 'rep' || u.role === 'technician'));
  const show = (p: TerritoryPlanDto, message: string | null): void => {
    evaluation.current++;
    setPlan(p);
    setAreas(p.areas.map((a) => ({ code: a.code, name: a.name, load: a.load, territory: a.territory })));
    setDirty(false);
    setSelected(null);
    setNotice(message);
    if (p.name) setName(p.name);
  };

  const k0 = plan?.k ?? 0;
  const tolerance = plan?.tolerance ?? tolerancePct / 100;
  const balance = useMemo(() => balanceOf(areas, k0), [areas, k0]);
  const colours = useMemo(() => (plan ? plan.territories.map((t) => t.colour) : []), [plan]);
  const names = useMemo(() => (plan ? plan.territories.map((t) => (t.repName ? `${t.name}` : t.name)) : []), [plan]);
  const colourByArea = useMemo(() => new Map(areas.map((a) => [a.code, colours[a.territory] ?? '#d6dde6'])), [areas, colours]);
  const selectedArea = areas.find((a) => a.code === selected) ?? null;

  // Coverage is read on the published plan: open it so that the map shows its territories.
  const coveragePlanId = coverage.data?.plan?.id;
  useEffect(() => {
    if (mode === 'coverage' && coveragePlanId && plan?.id !== coveragePlanId && !load.isPending) {
      load.mutate(coveragePlanId, { onSuccess: (loaded) => show(loaded, null) });
    }
    // Only the mode and the plans decide (show and load change identity on every render).
  }, [mode, coveragePlanId, plan?.id]);

  const coverageLayer = useMemo(() => {
    if (mode !== 'coverage' || !coverage.data) return null;
    const hatched = new Map<string, 'none' | 'norep'>([
      ...coverage.data.areasWithoutTerritory.map((a) => [a.code, 'none'] as const),
      ...coverage.data.areasWithoutRep.map((a) => [a.code, 'norep'] as const),
    ]);
    const dots = coverage.data.notVisited.items.flatMap((a) =>
      a.location ? [{ id: a.id, name: a.name, lng: a.location.lng, lat: a.location.lat, colour: a.territory < 0 ? '#6b7280' : '#111827' }] : [],
    );
    return { hatched, dots };
  }, [mode, coverage.data]);

  const runDesign = (): void => {
    design.mutate(
      {
        level: 'departement',
        measure,
        tolerance: tolerancePct / 100,
        ...(byReps ? { repIds: [...repIds] } : { k }),
        ...(locked.size > 0 ? { locked: Object.fromEntries([...locked].filter(([, t]) => t < (byReps ? repIds.length : k))) } : {}),
        ...(plan?.id ? { currentPlanId: plan.id } : {}),
      },
      { onSuccess: (p) => show({ ...p, id: null, name: null }, designedIn(p)) },
    );
  };

  const moveTo = (territory: number): void => {
    if (!selectedArea || !plan || selectedArea.territory === territory) return;
    const code = selectedArea.code;
    const moved = moveArea(areas, code, territory);
    if (locked.has(code)) setLocked((m) => new Map(m).set(code, territory));
    // The balance is recomputed here at once; the server then adds cut edges and contiguity.
    setAreas(moved);
    setSelected(null);
    setDirty(true);
    const seq = ++evaluation.current;
    if (plan.id) {
      // A saved plan: the server stores the move and returns every metric.
      move.mutate({ id: plan.id, body: { moves: [{ area: code, territory }] } }, { onSuccess: (p) => seq === evaluation.current && show(p, `${selectedArea.name} moved; plan saved`) });
    } else {
      evaluate.mutate(
        {
          level: plan.level,
          measure: plan.measure,
          tolerance: plan.tolerance,
          assignment: Object.fromEntries(moved.map((a) => [a.code, a.territory])),
          territories: plan.territories.map((t) => ({ name: t.name, colour: t.colour, repId: t.repId })),
        },
        {
          onSuccess: (p) => {
            if (seq !== evaluation.current) return;
            setPlan({ ...p, territories: plan.territories.map((t, i) => ({ ...t, ...(p.territories[i] ?? {}), repName: t.repName })), stats: plan.stats });
            setDirty(false);
          },
        },
      );
    }
  };

  const savePlan = (): void => {
    if (!plan) return;
    save.mutate(
      {
        name: name.trim(),
        level: plan.level,
        measure: plan.measure,
        tolerance: plan.tolerance,
        assignment: Object.fromEntries(areas.map((a) => [a.code, a.territory])),
        territories: plan.territories.map((t) => ({ name: t.name, colour: t.colour, repId: t.repId })),
      },
      { onSuccess: (p) => show(p, `Saved “${p.name ?? ''}”`) },
    );
  };

  const metrics = plan?.metrics;
  const localViolations = dirty
    ? balance.deviations.flatMap((d, t) => (Math.abs(d) > tolerance + 1e-9 ? [`${names[t] ?? ''} is ${formatPercent(d, true)} from the mean load, outside ±${String(Math.round(tolerance * 100))} %`] : []))
    : (plan?.violations ?? []);

  return (
    <div className="around-page" data-testid="territories-page">
      <div className="around-body">
        <aside className="around-panel" style={{ overflowY: 'auto' }}>
          <h1 style={{ margin: 0, fontSize: 20 }}>Territories</h1>
          {!mayDesign ? <div className="banner banner-error">Only managers and admins design territories.</div> : null}
          <div className="segmented">
            <button type="button" className={mode === 'design' ? 'active' : ''} onClick={() => setMode('design')} data-testid="territory-tab-design">
              Design
            </button>
            <button type="button" className={mode === 'coverage' ? 'active' : ''} onClick={() => setMode('coverage')} data-testid="territory-tab-coverage">
              Coverage
            </button>
          </div>
          {mode === 'coverage' ? (
            <>
              <ErrorBanner error={coverage.error} />
              <CoveragePanel coverage={coverage.data} loading={coverage.isFetching} days={days} onDays={setDays} names={names} colours={colours} />
            </>
          ) : (
          <>
          <div className="segmented segmented-small">
            <button type="button" className={byReps ? '' : 'active'} onClick={() => setByReps(false)} data-testid="territory-mode-k">
              Number
            </button>
            <button type="button" className={byReps ? 'active' : ''} onClick={() => setByReps(true)} data-testid="territory-mode-reps">
              One per rep
            </button>
          </div>
          {byReps ? (
            <div style={{ display: 'flex', flexDirection: 'column', gap: 2, maxHeight: 130, overflowY: 'auto' }} data-testid="territory-reps">
              {reps.length === 0 ? <span className="muted small">No reps in the organisation.</span> : null}
              {reps.map((u) => (
                <label key={u.id} className="small" style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
                  <input
                    type="checkbox"
                    checked={repIds.includes(u.id)}
                    onChange={() => setRepIds((ids) => (ids.includes(u.id) ? ids.filter((i) => i !== u.id) : [...ids, u.id]))}
                  />
                  {u.name} {u.home ? <span className="muted">· {u.home.label}</span> : <span className="muted">· no home base</span>}
                </label>
              ))}
            </div>
          ) : (
            <label className="field">
              <span>Territories (k)</span>
              <input type="number" min={1} max={96} value={k} onChange={(e) => setK(Math.max(1, Math.round(Number(e.target.value) || 1)))} data-testid="territory-k" />
            </label>
          )}
          <div style={{ display: 'flex', gap: 10 }}>
            <label className="field" style={{ flex: 1 }}>
              <span>Balance on</span>
              <select value={measure} onChange={(e) => setMeasure(e.target.value === 'population' ? 'population' : 'accounts')} data-testid="territory-measure">
                {MEASURES.map((m) => (
                  <option key={m.value} value={m.value}>
                    {m.label}
                  </option>
                ))}
              </select>
            </label>
            <label className="field" style={{ width: 110 }}>
              <span>Tolerance ± %</span>
              <input type="number" min={0} max={50} step={1} value={tolerancePct} onChange={(e) => setTolerancePct(Math.min(50, Math.max(0, Number(e.target.value) || 0)))} data-testid="territory-tolerance" />
            </label>
          </div>
          <button type="button" className="btn btn-primary" disabled={!mayDesign || design.isPending || (byReps && repIds.length === 0)} onClick={runDesign} data-testid="territory-design">
            {design.isPending ? <span className="inline-spinner" aria-hidden="true" /> : null}
            {design.isPending ? ' Designing…' : plan?.id ? 'Redesign near this plan' : 'Design'}
          </button>
          <ErrorBanner error={design.error ?? save.error ?? move.error ?? evaluate.error ?? update.error ?? load.error ?? remove.error ?? areasQuery.error} />
          {notice ? (
            <div className="banner banner-success" data-testid="territory-notice">
              {notice}
            </div>
          ) : null}

          {plan && metrics ? (
            <>
              <div className="legend-title" style={{ marginTop: 4 }}>
                Balance · {measureLabel(plan.measure)} {plan.name ? `· ${plan.name}` : ''}
              </div>
              <BalanceChart balance={balance} names={names} colours={colours} tolerance={tolerance} {...(selectedArea ? { onPick: moveTo } : {})} />
              <details data-testid="territory-reps-assign">
                <summary className="small">Reps of the territories ({plan.territories.filter((t) => t.repId).length} of {plan.k} assigned)</summary>
                <div style={{ display: 'grid', gridTemplateColumns: 'auto 1fr', gap: '4px 8px', alignItems: 'center', marginTop: 6 }}>
                  {plan.territories.map((t, i) => (
                    <label key={t.index} className="small" style={{ display: 'contents' }}>
                      <span style={{ borderLeft: `6px solid ${t.colour}`, paddingLeft: 6 }}>{t.name}</span>
                      <select
                        className="input-small"
                        value={t.repId ?? ''}
                        onChange={(e) => {
                          const rep = reps.find((u) => u.id === e.target.value);
                          setPlan({ ...plan, territories: plan.territories.map((x, j) => (j === i ? { ...x, repId: rep?.id ?? null, repName: rep?.name ?? null } : x)) });
                          // A saved plan keeps the change at once; areas moved but not yet evaluated stay as they are.
                          if (plan.id) update.mutate({ id: plan.id, body: { territories: [{ index: t.index, repId: rep?.id ?? null }] } });
                        }}
                        data-testid="territory-rep"
                      >
                        <option value="">No rep</option>
                        {reps.map((u) => (
                          <option key={u.id} value={u.id}>
                            {u.name}
                          </option>
                        ))}
                      </select>
                    </label>
                  ))}
                </div>
              </details>
              <table className="table small" data-testid="territory-metrics">
                <tbody>
                  <tr>
                    <td>Max deviation</td>
                    <td className="num" data-testid="metric-max-deviation">
                      {formatPercent(balance.maxDeviation)}
                    </td>
                  </tr>
                  <tr>
                    <td>Outside ±5 / 10 / 20 %</td>
                    <td className="num">
                      {balance.outside.pct5} / {balance.outside.pct10} / {balance.outside.pct20}
                    </td>
                  </tr>
                  <tr>
                    <td>Cut edges</td>
                    <td className="num">{dirty ? '…' : metrics.cutEdges}</td>
                  </tr>
                  <tr>
                    <td>Contiguity violations</td>
                    <td className="num" data-testid="metric-contiguity">
                      {dirty ? '…' : metrics.contiguityViolations}
                    </td>
                  </tr>
                  <tr>
                    <td>Compactness (Polsby-Popper)</td>
                    <td className="num">{dirty || metrics.polsbyPopperMean === null ? '—' : metrics.polsbyPopperMean.toFixed(2)}</td>
                  </tr>
                  {metrics.disruption && !dirty ? (
                    <tr>
                      <td>Moved vs current plan</td>
                      <td className="num">
                        {metrics.disruption.areasMoved} areas · {formatPercent(metrics.disruption.loadMovedShare)}
                      </td>
                    </tr>
                  ) : null}
                </tbody>
              </table>
              {localViolations.length > 0 ? (
                <ul className="small" style={{ margin: 0, paddingLeft: 18, color: '#b91c1c' }} data-testid="territory-violations">
                  {localViolations.map((v) => (
                    <li key={v}>{v}</li>
                  ))}
                </ul>
              ) : null}
              {selectedArea ? (
                <div className="card" style={{ padding: 10 }} data-testid="territory-move">
                  <div className="small" style={{ marginBottom: 6 }}>
                    Move <strong>{selectedArea.name}</strong> ({selectedArea.code}) from {names[selectedArea.territory]} to:
                  </div>
                  <button
                    type="button"
                    className="btn btn-ghost btn-small"
                    style={{ marginBottom: 6 }}
                    onClick={() =>
                      setLocked((m) => {
                        const next = new Map(m);
                        if (next.has(selectedArea.code)) next.delete(selectedArea.code);
                        else next.set(selectedArea.code, selectedArea.territory);
                        return next;
                      })
                    }
                    data-testid="territory-lock"
                  >
                    {locked.has(selectedArea.code) ? '🔓 Unlock' : `🔒 Lock in ${names[selectedArea.territory] ?? ''} for the next design`}
                  </button>
                  <div style={{ display: 'flex', flexWrap: 'wrap', gap: 4 }}>
                    {names.map((n, t) => (
                      <button
                        key={n + String(t)}
                        type="button"
                        className="btn btn-secondary btn-small"
                        disabled={t === selectedArea.territory}
                        onClick={() => moveTo(t)}
                        style={{ borderLeft: `6px solid ${colours[t] ?? '#999'}` }}
                        data-testid="territory-move-to"
                      >
                        {n}
                      </button>
                    ))}
                  </div>
                </div>
              ) : (
                <p className="muted small" style={{ margin: 0 }}>
                  Click a département on the map to move it to another territory or to lock it.
                  {locked.size > 0 ? (
                    <>
                      {' '}
                      {locked.size} locked (dashed).{' '}
                      <button type="button" className="btn btn-link" onClick={() => setLocked(new Map())}>
                        Unlock all
                      </button>
                    </>
                  ) : null}
                </p>
              )}
              <div style={{ display: 'flex', gap: 6 }}>
                <input className="input-full" placeholder="Plan name" value={name} onChange={(e) => setName(e.target.value)} data-testid="territory-plan-name" />
                <button type="button" className="btn btn-primary" disabled={!mayDesign || name.trim() === '' || save.isPending} onClick={savePlan} data-testid="territory-save">
                  {plan.id ? 'Save as new' : 'Save'}
                </button>
              </div>
            </>
          ) : (
            <p className="muted small">Design territories to see them on the map with their balance.</p>
          )}
          </>
          )}

          {published ? (
            <div className="card small" style={{ padding: 10 }} data-testid="publish-result">
              <strong>Published “{published.name}”</strong>: {published.result.assigned} accounts in territories
              {published.result.withoutLocation > 0 ? `, ${String(published.result.withoutLocation)} without a location` : ''}
              {published.result.outsideAreas > 0 ? `, ${String(published.result.outsideAreas)} outside every area` : ''} (not assigned)
              {published.result.ownersSet > 0 ? `; ${String(published.result.ownersSet)} owners set to the territory's rep` : ''}.
              <table className="table small" style={{ marginTop: 6 }}>
                <tbody>
                  {published.result.territories.map((t) => (
                    <tr key={t.id}>
                      <td>{t.name}</td>
                      <td>{t.repName ?? <span style={{ color: '#b45309' }}>no rep</span>}</td>
                      <td className="num">{t.accounts}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <button type="button" className="btn btn-link" onClick={() => setPublished(null)}>
                Close
              </button>
            </div>
          ) : null}
          <ErrorBanner error={publish.error ?? unpublish.error} />

          <div className="legend-title">Saved plans</div>
          <ul style={{ listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: 4 }} data-testid="territory-plans">
            {(plans.data?.items ?? []).map((p) => (
              <li key={p.id} className="small" style={{ display: 'flex', alignItems: 'center', gap: 6 }} data-testid="territory-plan-item">
                <span style={{ flex: 1, fontWeight: plan?.id === p.id ? 700 : 400 }}>
                  {p.name} <span className="muted">· {p.k} · {measureLabel(p.measure)} · max {p.maxDeviation === null ? '—' : formatPercent(p.maxDeviation)}</span>
                  {p.publishedAt ? (
                    <span className="badge" style={{ marginLeft: 6, background: '#dcfce7', color: '#166534', padding: '0 6px', borderRadius: 8 }} data-testid="territory-plan-published">
                      published
                    </span>
                  ) : null}
                </span>
                {mayDesign && p.publishedAt ? (
                  <button
                    type="button"
                    className="btn btn-ghost btn-small"
                    disabled={unpublish.isPending}
                    onClick={() => unpublish.mutate(p.id, { onSuccess: () => setNotice(`“${p.name}” is no longer published: every account is visible to every role again`) })}
                    data-testid="territory-unpublish"
                  >
                    Withdraw
                  </button>
                ) : mayDesign ? (
                  <button type="button" className="btn btn-ghost btn-small" onClick={() => setPublishing((x) => (x === p.id ? null : p.id))} data-testid="territory-publish">
                    Publish…
                  </button>
                ) : null}
                <button type="button" className="btn btn-ghost btn-small" onClick={() => load.mutate(p.id, { onSuccess: (loaded) => show(loaded, `Opened “${p.name}”`) })}>
                  Open
                </button>
                <button
                  type="button"
                  className="btn btn-ghost btn-small"
                  aria-label={`Delete ${p.name}`}
                  onClick={() =>
                    remove.mutate(p.id, {
                      onSuccess: () => {
                        if (plan?.id === p.id) setPlan({ ...plan, id: null });
                      },
                    })
                  }
                >
                  ✕
                </button>
              </li>
            ))}
            {publishing
              ? (() => {
                  const target = plans.data?.items.find((p) => p.id === publishing);
                  if (!target) return null;
                  return (
                    <li className="card small" style={{ padding: 10 }} data-testid="territory-publish-confirm">
                      Publish <strong>{target.name}</strong>? Every account goes to the territory its département lies in, and reps then see only their territories’ accounts
                      (and their own); managers those of their team.
                      <label style={{ display: 'flex', gap: 6, alignItems: 'center', marginTop: 6 }}>
                        <input type="checkbox" checked={setOwners} onChange={(e) => setSetOwners(e.target.checked)} data-testid="territory-publish-owners" />
                        Also make each territory’s rep the owner of its accounts
                      </label>
                      <div style={{ display: 'flex', gap: 6, marginTop: 6 }}>
                        <button
                          type="button"
                          className="btn btn-primary btn-small"
                          disabled={publish.isPending}
                          onClick={() =>
                            publish.mutate(
                              { id: target.id, body: { setOwners } },
                              {
                                onSuccess: (result) => {
                                  setPublishing(null);
                                  setPublished({ name: target.name, result });
                                },
                              },
                            )
                          }
                          data-testid="territory-publish-confirm-button"
                        >
                          {publish.isPending ? 'Publishing…' : 'Publish'}
                        </button>
                        <button type="button" className="btn btn-ghost btn-small" onClick={() => setPublishing(null)}>
                          Cancel
                        </button>
                      </div>
                    </li>
                  );
                })()
              : null}
            {plans.data?.items.length === 0 ? <li className="muted small">No saved plan yet.</li> : null}
          </ul>
        </aside>
        <div className="map-wrap">
          <TerritoriesMap
            areas={areasQuery.data}
            colours={colourByArea}
            selected={selected}
            locked={lockedCodes}
            boundaries={boundaries}
            attribution={attribution.data?.items}
            onAreaClick={(code) => setSelected((s) => (s === code || !plan || mode === 'coverage' ? null : code))}
            coverage={coverageLayer}
          />
        </div>
      </div>
    </div>
  );
};
