export const ROLES = ['admin', 'manager', 'rep', 'technician', 'backoffice'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that work in the field and own accounts and tours. */
export const FIELD_ROLES: readonly Role[] = ['rep', 'technician'];

export const canManageUsers = (role: Role): boolean => role === 'admin';
/**
 * Until territories govern visibility, every role reads every account of its organisation.
 * Managers, admins and back-office change any account; field roles only those they own.
 */
export const canEditAnyAccount = (role: Role): boolean => role === 'admin' || role === 'manager' || role === 'backoffice';
export const canDeleteAccounts = (role: Role): boolean => role === 'admin' || role === 'manager';
