/**
 * Modules the plugin loads when first needed, not when it is imported: TypeScript (typed mode only, where
 * the parser has loaded it), the project index's parsers and resolver, the settings validator. oxlint and a
 * project of plain JavaScript start the plugin without them (the install test checks what an import loads).
 */
import { createRequire } from 'node:module';

const requireFromHere = createRequire(import.meta.url);

/** A function that loads `specifier` at its first call and returns the same module after. */
export function loadOnFirstUse<Module>(specifier: string): () => Module {
  let loaded: Module | undefined;
  return () => (loaded ??= requireFromHere(specifier) as Module);
}
