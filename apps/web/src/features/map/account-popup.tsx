import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import type { AccountDetailDto } from '../../api/types.ts';
import type { AccountKind, AccountStatus } from '@geocrm/domain';
import { api } from '../../api/client.ts';
import { accountKeys } from '../accounts/accounts-api.ts';
import { KindBadge, StatusBadge } from '../../ui/badges.tsx';
import { canEditAnyAccount } from '@geocrm/domain';
import { useCurrentSession } from '../auth/require-session.tsx';

interface AccountPopupProps {
  readonly account: { readonly id: string; readonly name: string; readonly kind: AccountKind; readonly status: AccountStatus };
  /** Offered to those who may change the account: drag its pin to the right place. */
  readonly onMovePin?: (() => void) | undefined;
}

/** What a click on a map point shows; the city comes from the account itself (the map rows are compact). */
export const AccountPopup = ({ account, onMovePin }: AccountPopupProps) => {
  const session = useCurrentSession();
  const detail = useQuery({
    queryKey: accountKeys.detail(account.id),
    queryFn: ({ signal }) => api<AccountDetailDto>(`/accounts/${encodeURIComponent(account.id)}`, { signal }),
    staleTime: 30_000,
  });
  const city = detail.data ? [detail.data.address.postcode, detail.data.address.city].filter(Boolean).join(' ') : null;
  return (
    <div className="map-popup" data-testid="map-popup" data-account-id={account.id}>
      <div className="map-popup-name">{account.name}</div>
      <div className="map-popup-badges">
        <KindBadge kind={account.kind} />
        <StatusBadge status={account.status} />
      </div>
      <div className="map-popup-city muted">{city ?? (detail.isPending ? 'Loading…' : '—')}</div>
      <div className="map-popup-actions">
        <Link to={`/accounts/${account.id}`} className="map-popup-link" data-testid="map-popup-link">
          Open account →
        </Link>
        {onMovePin && detail.data && (canEditAnyAccount(session.user.role) || detail.data.ownerId === session.user.id) ? (
          <button type="button" className="btn-link small" onClick={onMovePin} data-testid="map-popup-move">
            Move pin
          </button>
        ) : null}
      </div>
    </div>
  );
};
