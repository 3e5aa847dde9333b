/**
 * The API's types as the web app uses them. They come from @geocrm/contracts; the fields whose
 * contract type currently infers as `never` (unions built from mapped literal arrays: kind, status,
 * role, geo precision/source) are restated here from @geocrm/domain.
 */
import type * as C from '@geocrm/contracts';
import type { AccountKind, AccountStatus, GeoPrecision, GeoSource, Role } from '@geocrm/domain';

export type {
  AccountSort,
  Attribution,
  BoundaryLayer,
  ContactDto,
  CreateContactBody,
  ErrorBody,
  LoginBody,
  OpeningHoursDto,
  OrgDto,
  TagList,
  UpdateContactBody,
} from '@geocrm/contracts';

export type UserDto = Omit<C.UserDto, 'role'> & { role: Role };
export interface SessionDto {
  user: UserDto;
  org: C.OrgDto;
}
export interface UserList {
  items: UserDto[];
}
export type CreateUserBody = Omit<C.CreateUserBody, 'role'> & { role: Role };
export type UpdateUserBody = Omit<C.UpdateUserBody, 'role'> & { role?: Role };

export interface GeoInfo {
  precision: GeoPrecision | null;
  source: GeoSource | null;
  manual: boolean;
  score: number | null;
}
export type AccountDto = Omit<C.AccountDto, 'kind' | 'status' | 'geo'> & { kind: AccountKind; status: AccountStatus; geo: GeoInfo };
export type AccountDetailDto = AccountDto & { contacts: C.ContactDto[] };
export type AccountList = Omit<C.AccountList, 'items'> & { items: AccountDto[] };
/** `[id, name, kind, status, lng, lat]`. */
export type AccountMapPoint = [id: string, name: string, kind: AccountKind, status: AccountStatus, lng: number, lat: number];
export type AccountMap = Omit<C.AccountMap, 'items'> & { items: AccountMapPoint[] };
export type CreateAccountBody = Omit<C.CreateAccountBody, 'kind' | 'status'> & { kind: AccountKind; status?: AccountStatus };
export type UpdateAccountBody = Omit<C.UpdateAccountBody, 'kind' | 'status'> & { kind?: AccountKind; status?: AccountStatus };
