import { useState } from 'react';
import { Link } from 'react-router';
import { useCurrentSession } from '../auth/require-session.tsx';
import { ErrorBanner } from '../../ui/error-banner.tsx';
import { Spinner } from '../../ui/spinner.tsx';
import { usePageTitle } from '../../ui/use-page-title.ts';
import { useCreateVisitType, useUpdateVisitType, useVisitTypes } from './tours-api.ts';
import type { CreateVisitTypeBody, VisitTypeDto } from './tours-types.ts';
import './tours.css';

interface Row {
  readonly name: string;
  readonly duration: string;
  readonly skills: string;
  readonly priority: string;
}

const rowOf = (t: VisitTypeDto): Row => ({ name: t.name, duration: String(t.durationMinutes), skills: t.requiredSkills.join(', '), priority: String(t.defaultPriority) });
const EMPTY_ROW: Row = { name: '', duration: '45', skills: '', priority: '50' };

/** The body of a row, or why it cannot be saved. */
export const visitTypeBody = (r: Row): CreateVisitTypeBody | string => {
  const name = r.name.trim();
  const durationMinutes = Number(r.duration);
  const defaultPriority = Number(r.priority);
  if (!name) return 'A name is needed';
  if (!Number.isInteger(durationMinutes) || durationMinutes < 1 || durationMinutes > 720) return 'Duration: 1 to 720 minutes';
  if (!Number.isInteger(defaultPriority) || defaultPriority < 0 || defaultPriority > 100) return 'Priority: 0 to 100';
  const requiredSkills = [
    ...new Set(
      r.skills
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  return { name, durationMinutes, requiredSkills, defaultPriority };
};

const TypeRow = ({ initial, editable, onSave, pending, testId, action }: { initial: Row; editable: boolean; onSave: (body: CreateVisitTypeBody, reset: () => void) => void; pending: boolean; testId: string; action: string }) => {
  const [row, setRow] = useState(initial);
  const body = visitTypeBody(row);
  const changed = JSON.stringify(row) !== JSON.stringify(initial);
  const set = (patch: Partial<Row>) => setRow((r) => ({ ...r, ...patch }));
  return (
    <tr data-testid={testId}>
      <td>
        <input value={row.name} disabled={!editable} maxLength={100} onChange={(e) => set({ name: e.target.value })} aria-label="Name" data-testid="visit-type-name" />
      </td>
      <td style={{ width: 110 }}>
        <input type="number" min={1} max={720} value={row.duration} disabled={!editable} onChange={(e) => set({ duration: e.target.value })} aria-label="Duration (minutes)" data-testid="visit-type-duration" />
      </td>
      <td>
        <input value={row.skills} disabled={!editable} placeholder="none" onChange={(e) => set({ skills: e.target.value })} aria-label="Required skills, comma-separated" data-testid="visit-type-skills" />
      </td>
      <td style={{ width: 100 }}>
        <input type="number" min={0} max={100} value={row.priority} disabled={!editable} onChange={(e) => set({ priority: e.target.value })} aria-label="Default priority" data-testid="visit-type-priority" />
      </td>
      <td style={{ width: 170 }}>
        {editable ? (
          <>
            <button type="button" className="btn btn-secondary btn-small" disabled={!changed || pending || typeof body === 'string'} onClick={() => typeof body !== 'string' && onSave(body, () => setRow(EMPTY_ROW))} data-testid="visit-type-save">
              {action}
            </button>
            {changed && typeof body === 'string' ? <div className="field-error">{body}</div> : null}
          </>
        ) : null}
      </td>
    </tr>
  );
};

/** Visit types (name, duration, required skills, default priority): managers and admins edit them. */
export const VisitTypesPage = () => {
  usePageTitle('Visit types');
  const session = useCurrentSession();
  const editable = session.user.role === 'manager' || session.user.role === 'admin';
  const types = useVisitTypes();
  const create = useCreateVisitType();
  const update = useUpdateVisitType();
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <div className="page" data-testid="visit-types-page">
      <div className="breadcrumbs">
        <Link to="/tours">Tours</Link> / Visit types
      </div>
      <div className="page-header">
        <div>
          <h1 style={{ margin: 0 }}>Visit types</h1>
          <p className="muted">How long each kind of visit lasts, the skills it needs and its default priority (0–100) when a visit of that type is created.</p>
        </div>
      </div>
      <ErrorBanner error={types.error ?? create.error ?? update.error} />
      {notice ? (
        <div className="banner banner-success small" data-testid="visit-types-notice">
          {notice}
        </div>
      ) : null}
      {types.isPending ? <Spinner /> : null}
      <div className="card table-card">
        <table className="table visit-types-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Minutes</th>
              <th>Required skills</th>
              <th>Priority</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(types.data?.items ?? []).map((t) => (
              <TypeRow
                key={`${t.id}-${JSON.stringify(rowOf(t))}`}
                initial={rowOf(t)}
                editable={editable}
                pending={update.isPending}
                action="Save"
                testId="visit-type-row"
                onSave={(body) => update.mutate({ id: t.id, body }, { onSuccess: (saved) => setNotice(`“${saved.name}” saved`) })}
              />
            ))}
            {editable ? (
              <TypeRow
                initial={EMPTY_ROW}
                editable
                pending={create.isPending}
                action="Add type"
                testId="visit-type-new"
                onSave={(body, reset) =>
                  create.mutate(body, {
                    onSuccess: (saved) => {
                      reset();
                      setNotice(`“${saved.name}” added`);
                    },
                  })
                }
              />
            ) : null}
          </tbody>
        </table>
      </div>
    </div>
  );
};
