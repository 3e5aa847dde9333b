import type { AccountDetailDto, CreateAccountBody, UpdateAccountBody } from '../../api/types.ts';
import type { AccountKind, AccountStatus } from '@geocrm/domain';

/** What the account form edits, as strings for the inputs. */
export interface AccountFormValues {
  name: string;
  kind: AccountKind;
  status: AccountStatus;
  ownerId: string;
  tags: string;
  phone: string;
  email: string;
  website: string;
  line1: string;
  line2: string;
  postcode: string;
  city: string;
  country: string;
  notes: string;
  preferredVisitDays: number[];
}

export const EMPTY_FORM: AccountFormValues = {
  name: '',
  kind: 'prospect',
  status: 'lead',
  ownerId: '',
  tags: '',
  phone: '',
  email: '',
  website: '',
  line1: '',
  line2: '',
  postcode: '',
  city: '',
  country: 'FR',
  notes: '',
  preferredVisitDays: [],
};

export const formFromAccount = (account: AccountDetailDto): AccountFormValues => ({
  name: account.name,
  kind: account.kind,
  status: account.status,
  ownerId: account.ownerId ?? '',
  tags: account.tags.join(', '),
  phone: account.phone ?? '',
  email: account.email ?? '',
  website: account.website ?? '',
  line1: account.address.line1,
  line2: account.address.line2,
  postcode: account.address.postcode,
  city: account.address.city,
  country: account.address.country,
  notes: account.notes,
  preferredVisitDays: [...account.preferredVisitDays].sort((a, b) => a - b),
});

const orNull = (value: string): string | null => (value.trim() ? value.trim() : null);
export const parseTags = (text: string): string[] => [...new Set(text.split(',').map((t) => t.trim()).filter(Boolean))];

const toBody = (values: AccountFormValues) => ({
  name: values.name.trim(),
  kind: values.kind,
  status: values.status,
  ownerId: values.ownerId || null,
  tags: parseTags(values.tags),
  phone: orNull(values.phone),
  email: orNull(values.email),
  website: orNull(values.website),
  address: {
    line1: values.line1.trim(),
    line2: values.line2.trim(),
    postcode: values.postcode.trim(),
    city: values.city.trim(),
    country: values.country.trim().toUpperCase(),
  },
  notes: values.notes,
  preferredVisitDays: [...values.preferredVisitDays].sort((a, b) => a - b),
});

export const createBody = (values: AccountFormValues): CreateAccountBody => toBody(values);

/** Only the fields that changed, so a save never overwrites what someone else edited meanwhile. */
export const updateBody = (initial: AccountFormValues, values: AccountFormValues): UpdateAccountBody => {
  const before = toBody(initial);
  const after = toBody(values);
  const body: UpdateAccountBody = {};
  for (const key of Object.keys(after) as (keyof typeof after)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      (body as Record<string, unknown>)[key] = after[key];
    }
  }
  return body;
};
