/**
 * Typed per-file memos. Each memo is a value of its own, declared next to the function it serves, so
 * no string key can collide and no reader casts what it gets back; its table lives on the file's
 * analysis and goes when the file's AST goes.
 */
import type { FileAnalysis } from './file-analysis.js';

/** A result stored for one key; `undefined` is a result too ("nothing here"), not a miss. */
interface Entry<V> {
  readonly value: V;
}

/** A table from keys (nodes, sites) to results, one table per file. */
export interface FileMemo<K extends object, V> {
  /** The result for `key`, computed on the first request in this file. */
  get(analysis: FileAnalysis, key: K, compute: () => V): V;
  /** The stored result, or `undefined` when none is stored (for searches that store only some answers). */
  lookup(analysis: FileAnalysis, key: K): Entry<V> | undefined;
  set(analysis: FileAnalysis, key: K, value: V): void;
}

/**
 * A new per-file memo.
 *
 * @example
 * const boundsOf = fileMemo<TSESTree.Node, ReadonlySet<LoopBound>>();
 * boundsOf.get(analysis, loop, () => computeBounds(loop));
 */
export function fileMemo<K extends object, V>(): FileMemo<K, V> {
  const tableOf = (analysis: FileAnalysis): WeakMap<K, Entry<V>> => {
    let table = analysis.memo.get(memo) as WeakMap<K, Entry<V>> | undefined;
    if (!table) {
      table = new WeakMap();
      analysis.memo.set(memo, table);
    }
    return table;
  };
  const memo: FileMemo<K, V> = {
    get(analysis, key, compute) {
      const table = tableOf(analysis);
      const stored = table.get(key);
      if (stored) return stored.value;
      const value = compute();
      table.set(key, { value });
      return value;
    },
    lookup: (analysis, key) => tableOf(analysis).get(key),
    set(analysis, key, value) {
      tableOf(analysis).set(key, { value });
    },
  };
  return memo;
}

/** A value computed once per file. */
export interface FileValue<V> {
  get(analysis: FileAnalysis, compute: () => V): V;
}

/**
 * A new per-file value. Stored in the analysis's memo map itself, not in a table of its own: every rule
 * asks several of these at the start of every file (roles, the package lookup, a text gate), and a table
 * per value per file is one more allocation and lookup each time.
 */
export function fileValue<V>(): FileValue<V> {
  const key = {};
  return {
    get(analysis, compute) {
      const stored = analysis.memo.get(key) as Entry<V> | undefined;
      if (stored) return stored.value;
      const value = compute();
      analysis.memo.set(key, { value });
      return value;
    },
  };
}
