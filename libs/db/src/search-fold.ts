/**
 * Text as Carrel searches it: lower case, accents and punctuation removed, spaces collapsed.
 * Stored beside the data and applied to the query, it makes search behave the same on SQLite
 * (case-insensitive LIKE for ASCII only) and PostgreSQL (case-sensitive LIKE).
 */
export function searchFold(...parts: (string | null | undefined)[]): string {
  return parts
    .filter((p): p is string => typeof p === 'string' && p.length > 0)
    .join(' ')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
