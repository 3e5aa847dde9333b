import { AppError, FIELD_ROLES, type Role } from '@geocrm/domain';
import type { Actor } from '../auth/auth.service.ts';

/** Managers, admins and back-office plan and read anyone's days; field roles only their own. */
export const canPlanOthers = (role: Role): boolean => !FIELD_ROLES.includes(role);

export const assertMayPlan = (actor: Actor, userId: string, what = 'plan'): void => {
  if (actor.userId !== userId && !canPlanOthers(actor.role)) throw new AppError('FORBIDDEN', `A ${actor.role} may only ${what} their own days`);
};

export const assertManager = (actor: Actor, what: string): void => {
  if (actor.role !== 'manager' && actor.role !== 'admin') throw new AppError('FORBIDDEN', `Only a manager or an admin may ${what}`);
};
