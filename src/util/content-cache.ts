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
  // Consecutive files almost always bring the same content: compare with the last input before
  // serialising (a walk that allocates nothing, against a JSON string per call).
  let last: { readonly input: unknown; readonly value: V } | undefined;
  return (input, compute) => {
    if (last && sameData(input, last.input)) return last.value;
    const key = contentKey(input);
    if (key === undefined) return compute();
    let value = values.get(key);
    if (value === undefined) {
      value = compute();
      if (values.size >= max) values.clear();
      values.set(key, value);
    }
    // A copy: a host may change the object it handed over in place.
    last = { input: structuredClone(input), value };
    return value;
  };
}

/**
 * Equal plain data (what {@link contentKey} accepts): the same primitives, arrays and plain objects with
 * the same keys in the same order, as their JSON would be. Anything else is unequal, so that it takes
 * the keyed path.
 */
function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return typeof a !== 'number' || Number.isFinite(a);
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let index = 0; index < a.length; index++) if (!sameData(a[index], b[index])) return false;
    return true;
  }
  if (Array.isArray(b) || Object.getPrototypeOf(a) !== Object.prototype || Object.getPrototypeOf(b) !== Object.prototype) return false;
  const keys = Object.keys(a);
  const otherKeys = Object.keys(b);
  if (keys.length !== otherKeys.length) return false;
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    if (key !== otherKeys[index] || !sameData((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
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
