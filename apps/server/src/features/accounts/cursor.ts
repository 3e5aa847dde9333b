import { AppError } from '@geocrm/domain';

interface CursorData {
  /** The sort the cursor belongs to. */
  readonly s: string;
  readonly v: string;
  readonly i: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const encodeCursor = (sort: string, key: { value: string; id: string }): string =>
  Buffer.from(JSON.stringify({ s: sort, v: key.value, i: key.id } satisfies CursorData)).toString('base64url');

/** Reads a cursor given back by a client: anything malformed, or made for another sort, is a 400. */
export const decodeCursor = (cursor: string, sort: string): { value: string; id: string } => {
  const invalid = () => new AppError('VALIDATION', 'Invalid cursor: use the nextCursor of the previous page with the same sort');
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof data !== 'object' || data === null) throw invalid();
  const { s, v, i } = data as Record<string, unknown>;
  if (s !== sort || typeof v !== 'string' || typeof i !== 'string' || !UUID.test(i) || v.length > 400) throw invalid();
  if ((sort.endsWith('createdAt') || sort.endsWith('updatedAt')) && Number.isNaN(Date.parse(v))) throw invalid();
  if (sort.endsWith('relevance') && !Number.isFinite(Number(v))) throw invalid();
  return { value: v, id: i };
};
