import { useMemo, useState } from 'react';
import { useAttribution, useBoundaries } from '../map/geo-api.ts';
import { usePageTitle } from '../../ui/use-page-title.ts';
import { AssignmentMap, ownerLayers, taskLayers } from './assignment-map.tsx';
import type { AccountOwnersPreview, AutoAssignPreview } from './assignment-api.ts';
import { OwnersPanel } from './owners-panel.tsx';
import { TasksPanel } from './tasks-panel.tsx';
import './assignment.css';

type Tab = 'tasks' | 'accounts';

/** /assignment: service tasks to technicians over the coming days, and new accounts to owners. */
export const AssignmentPage = () => {
  usePageTitle('Assignment');
  const { boundaries } = useBoundaries({ regions: false });
  const attribution = useAttribution();
  const [tab, setTab] = useState<Tab>('tasks');
  const [taskPreview, setTaskPreview] = useState<AutoAssignPreview | null>(null);
  const [ownerPreview, setOwnerPreview] = useState<AccountOwnersPreview | null>(null);
  const [focus, setFocus] = useState<string | null>(null);
  const [runs, setRuns] = useState(0);

  const layers = useMemo(() => {
    if (tab === 'tasks') return taskPreview ? taskLayers(taskPreview, focus) : null;
    return ownerPreview ? ownerLayers(ownerPreview, null) : null;
  }, [tab, taskPreview, ownerPreview, focus]);

  return (
    <div className="around-page assign-page" data-testid="assignment-page">
      <div className="around-body assign-body">
        <aside className="around-panel assign-panel">
          <div className="assign-title">
            <h1>Assignment</h1>
            <div className="assign-tabs" role="tablist">
              <button type="button" role="tab" aria-selected={tab === 'tasks'} className={`btn btn-small ${tab === 'tasks' ? 'btn-primary' : 'btn-secondary'}`} onClick={() => setTab('tasks')} data-testid="assign-tab-tasks">Service tasks</button>
              <button type="button" role="tab" aria-selected={tab === 'accounts'} className={`btn btn-small ${tab === 'accounts' ? 'btn-primary' : 'btn-secondary'}`} onClick={() => setTab('accounts')} data-testid="assign-tab-accounts">Account owners</button>
            </div>
          </div>
          {tab === 'tasks' ? (
            <TasksPanel preview={taskPreview} onPreview={(p) => { setTaskPreview(p); setFocus(null); setRuns((n) => n + 1); }} focus={focus} onFocus={setFocus} />
          ) : (
            <OwnersPanel preview={ownerPreview} onPreview={(p) => { setOwnerPreview(p); setRuns((n) => n + 1); }} />
          )}
        </aside>
        <div className="map-wrap">
          <AssignmentMap layers={layers} fitKey={`${tab}:${String(runs)}`} boundaries={boundaries} attribution={attribution.data?.items} />
        </div>
      </div>
    </div>
  );
};
