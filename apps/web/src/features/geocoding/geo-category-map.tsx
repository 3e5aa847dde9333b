import { useCallback } from 'react';
import { AccountsMap } from '../../map/accounts-map.tsx';
import type { AccountPointProperties } from '../../map/accounts-layer.ts';
import type { AccountMapPoint } from '../../api/types.ts';
import { AccountPopup } from '../map/account-popup.tsx';
import { useMovePin } from '../accounts/accounts-api.ts';
import { useAttribution, useBoundaries } from '../map/geo-api.ts';

/** The placed accounts of one category on the accounts map (loaded lazily with MapLibre). */
export const GeoCategoryMap = ({ points }: { points: readonly AccountMapPoint[] | undefined }) => {
  const { boundaries } = useBoundaries({ regions: false });
  const attribution = useAttribution();
  const movePin = useMovePin();
  const renderPopup = useCallback(
    (account: AccountPointProperties, actions: { movePin?: () => void }) => <AccountPopup account={account} onMovePin={actions.movePin} />,
    [],
  );
  return <AccountsMap points={points} boundaries={boundaries} attribution={attribution.data?.items} renderPopup={renderPopup} onMovePin={movePin} compact />;
};
