/**
 * Values computed once per content rather than once per object. Hosts hand every file an equal but new
 * copy of the same configuration: ESLint 10 deep-merges a rule's options for each file, and
 * `Linter#verify` with a plain config array builds new settings for each file.
 */

/**
 * A cache of at most `max` values keyed by their input's JSON. An input JSON cannot tell apart from
 * another (a non-finite number, a non-plain object) is computed every time, never answered from the cache.
 */
export function contentCache<V>(max: number): (input: unknown, compute: () => V) => V {
  const values = new Map<string, V>();
  return (input, compute) => {
    const key = contentKey(input);
    if (key === undefined) return compute();
    let value = values.get(key);
    if (value === undefined) {
      value = compute();
      if (values.size >= max) values.clear();
      values.set(key, value);
    }
    return value;
  };
}

function contentKey(input: unknown): string | undefined {
  if (input === undefined) return undefined;
  try {
    return JSON.stringify(input, (_, value: unknown) => {
      if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('non-finite');
      const prototype = value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.getPrototypeOf(value) : null;
      if (prototype !== null && prototype !== Object.prototype) throw new Error('not plain data');
      return value;
    });
  } catch {
    return undefined;
  }
}
