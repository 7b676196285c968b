import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';

/**
 * Filters that live in the address (so they survive reload, back and sharing)
 * with a draft the user edits until they press the form's button.
 */
export function useFilters<K extends string>(names: readonly K[]) {
  const [params, setParams] = useSearchParams();
  const key = params.toString();
  const applied = useMemo(
    () => Object.fromEntries(names.map((n) => [n, params.get(n) ?? ''])) as Record<K, string>,
    [key],
  );
  const [draft, setDraft] = useState(applied);
  useEffect(() => setDraft(applied), [applied]);

  /** Put the draft in the address, going back to page 1; keeps parameters that are not filters (sort). */
  const apply = (overrides: Partial<Record<K, string>> = {}) => {
    const values = { ...draft, ...overrides };
    const next = new URLSearchParams(params);
    next.delete('page');
    for (const n of names) {
      const v = values[n].trim();
      if (v) next.set(n, v);
      else next.delete(n);
    }
    setParams(next);
  };

  const set = (name: K) => (value: string) => setDraft((d) => ({ ...d, [name]: value }));
  const any = names.some((n) => applied[n] !== '');
  return { applied, draft, set, apply, any, params, setParams };
}
