import { Type, type Static } from 'typebox';
import { ROLES } from '@geocrm/domain';
import { LngLatSchema, Uuid } from './common.ts';

export const RoleSchema = Type.Enum(ROLES);

export const LoginBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const UserDto = Type.Object({
  id: Uuid,
  orgId: Uuid,
  email: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  active: Type.Boolean(),
  /** Where the user's working days start and end (a rep's home base). */
  home: Type.Union([Type.Object({ label: Type.String(), location: LngLatSchema }), Type.Null()]),
  /** The user's manager: once territories are published, a manager sees the accounts of the users they manage. */
  managerId: Type.Union([Uuid, Type.Null()]),
  createdAt: Type.String(),
});
export type UserDto = Static<typeof UserDto>;

export const OrgDto = Type.Object({ id: Uuid, name: Type.String(), timeZone: Type.String() });
export type OrgDto = Static<typeof OrgDto>;

export const SessionDto = Type.Object({ user: UserDto, org: OrgDto });
export type SessionDto = Static<typeof SessionDto>;

export const CreateUserBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    role: RoleSchema,
    password: Type.String({ minLength: 10, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;

export const UpdateUserBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    role: Type.Optional(RoleSchema),
    active: Type.Optional(Type.Boolean()),
    password: Type.Optional(Type.String({ minLength: 10, maxLength: 200 })),
    /** The user's manager (a manager or an admin of the organisation), or null. */
    managerId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateUserBody = Static<typeof UpdateUserBody>;

export const UserList = Type.Object({ items: Type.Array(UserDto) });
export type UserList = Static<typeof UserList>;
