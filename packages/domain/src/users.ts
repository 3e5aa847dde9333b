export const ROLES = ['admin', 'manager', 'rep', 'technician', 'backoffice'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that work in the field and own accounts and tours. */
export const FIELD_ROLES: readonly Role[] = ['rep', 'technician'];

export const canManageUsers = (role: Role): boolean => role === 'admin';
/** Managers, admins and back-office see every account of the organisation; field roles see their own. */
export const seesAllAccounts = (role: Role): boolean => role === 'admin' || role === 'manager' || role === 'backoffice';
