import type { AccountKind, AccountStatus } from '@geocrm/domain';
import { KIND_LABELS, STATUS_LABELS } from '../features/accounts/account-labels.ts';
import { KindSymbol } from '../features/accounts/kind-symbol.tsx';

export const KindBadge = ({ kind }: { kind: AccountKind }) => (
  <span className="kind-badge">
    <KindSymbol kind={kind} size={12} />
    {KIND_LABELS[kind]}
  </span>
);

export const StatusBadge = ({ status }: { status: AccountStatus }) => <span className={`status-badge status-${status}`}>{STATUS_LABELS[status]}</span>;
