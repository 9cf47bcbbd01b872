/**
 * Another module of the project, parsed the way ESLint would have parsed it, for the project index.
 *
 * Every host parses with the same parsers, so ESLint and oxlint see the same index and a `.js` file can
 * import a `.ts` one (oxlint hands JS plugins no parser API). oxc-parser parses first: it is about 8×
 * faster than `@typescript-eslint/typescript-estree`, and with `astType: 'ts'` and no parenthesis nodes it
 * gives the same TS-ESTree AST (module-source.test.ts compares the two on the fixtures). A file oxc
 * reports errors in, or a machine where its binding does not load, falls back to typescript-estree, so
 * what parses and what does not is typescript-estree's call as before. Scopes come from the
 * typescript-eslint scope manager. The result offers the part of ESLint's `SourceCode` that the analysis
 * reads (`ast`, `text`, `lines`, `getText`, `getScope`, `getDeclaredVariables`, `scopeManager`,
 * `visitorKeys`), so the same per-file analysis runs on it unchanged.
 */
import type * as ScopeManagerModule from '@typescript-eslint/scope-manager';
import type * as TypescriptEstree from '@typescript-eslint/typescript-estree';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { visitorKeys } from '@typescript-eslint/visitor-keys';
import { loadOnFirstUse } from '../util/load-on-first-use.js';

// Loaded on first use, not with the plugin: most lints parse no other module, and oxlint, which parses
// natively, needs neither the scope manager nor typescript-estree (which loads TypeScript) to start.
const scopeManagerModule = loadOnFirstUse<typeof ScopeManagerModule>('@typescript-eslint/scope-manager');
const typescriptEstree = loadOnFirstUse<typeof TypescriptEstree>('@typescript-eslint/typescript-estree');

type ScopeManager = ReturnType<typeof ScopeManagerModule.analyze>;
type Scope = NonNullable<ReturnType<ScopeManager['acquire']>>;

/** Sets `parent` on every node, as ESLint's traversal does before rules run. */
function linkParents(root: TSESTree.Node): void {
  const keys = visitorKeys as Record<string, readonly string[] | undefined>;
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const key of keys[node.type] ?? []) {
      const value = (node as unknown as Record<string, unknown>)[key];
      const children = Array.isArray(value) ? value : [value];
      for (const child of children) {
        if (child && typeof (child as TSESTree.Node).type === 'string') {
          (child as { parent: TSESTree.Node }).parent = node;
          stack.push(child as TSESTree.Node);
        }
      }
    }
  }
}

class ModuleSourceCode {
  readonly visitorKeys = visitorKeys;
  readonly parserServices = {};
  private cachedLines: string[] | undefined;
  private cachedScopeManager: ScopeManager | undefined;

  constructor(
    readonly text: string,
    readonly ast: TSESTree.Program,
  ) {}

  /** Scope analysis on first use: many modules are read only for their exports, which syntax settles. */
  get scopeManager(): ScopeManager {
    return (this.cachedScopeManager ??= scopeManagerModule().analyze(this.ast, { sourceType: 'module', childVisitorKeys: visitorKeys }));
  }

  /** Has scope analysis run yet? A question it would answer may be settled by syntax instead while not. */
  get scopeAnalysed(): boolean {
    return this.cachedScopeManager !== undefined;
  }

  get lines(): string[] {
    return (this.cachedLines ??= this.text.split(/\r\n|[\r\n\u2028\u2029]/));
  }

  getText(node?: TSESTree.Node): string {
    return node ? this.text.slice(node.range[0], node.range[1]) : this.text;
  }

  /** ESLint's `SourceCode#getScope`: the innermost scope that contains the node. */
  getScope(node: TSESTree.Node): Scope {
    const inner = node.type !== 'Program';
    for (let current: TSESTree.Node | undefined = node; current; current = current.parent) {
      const scope = this.scopeManager.acquire(current, inner);
      if (scope) return scope.type === 'function-expression-name' ? scope.childScopes[0]! : scope;
    }
    return this.scopeManager.scopes[0]!;
  }

  getDeclaredVariables(node: TSESTree.Node): readonly unknown[] {
    return this.scopeManager.getDeclaredVariables(node);
  }
}

/** Is the scope analysis of `sourceCode` built already (always, for a file ESLint parsed)? */
export function scopeAnalysed(sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  return !(sourceCode instanceof ModuleSourceCode) || sourceCode.scopeAnalysed;
}

type OxcParser = typeof import('oxc-parser');

const oxcParserModule = loadOnFirstUse<OxcParser>('oxc-parser');
let oxc: OxcParser | null | undefined;

/** oxc-parser, loaded on first use; null where its native (or WebAssembly) binding does not load. */
function oxcParser(): OxcParser | null {
  if (oxc === undefined) {
    try {
      oxc = oxcParserModule();
    } catch {
      oxc = null;
    }
  }
  return oxc;
}

/**
 * Parses `text` of the module at `filePath` into a `SourceCode`-shaped object; `undefined` when it does
 * not parse (the caller then leaves the call as a one-file view would).
 */
export function parseModule(filePath: string, text: string): Readonly<TSESLint.SourceCode> | undefined {
  const source = text.replace(/^\uFEFF/, '');
  const ast = parseWithOxc(filePath, source) ?? parseWithTypescriptEstree(filePath, source);
  if (!ast) return undefined;
  linkParents(ast);
  return new ModuleSourceCode(text, ast) as unknown as Readonly<TSESLint.SourceCode>;
}

/** The TS-ESTree AST from oxc-parser, or undefined when oxc is not available or finds an error. */
export function parseWithOxc(filePath: string, source: string): TSESTree.Program | undefined {
  const parser = oxcParser();
  if (!parser) return undefined;
  try {
    const result = parser.parseSync(filePath, source, { astType: 'ts', range: true, preserveParens: false });
    if (result.errors.length > 0) return undefined;
    const program = result.program as unknown as TSESTree.Program;
    // oxc says `commonjs` for a .cjs file; TS-ESTree knows only `script` and `module`.
    if ((program.sourceType as string) === 'commonjs') program.sourceType = 'script';
    return program;
  } catch {
    return undefined;
  }
}

/** The TS-ESTree AST from typescript-estree, the reference parser; undefined when it throws. */
export function parseWithTypescriptEstree(filePath: string, source: string): TSESTree.Program | undefined {
  try {
    return typescriptEstree().parse(source, {
      filePath,
      range: true,
      loc: false, // no report points into another module: ranges are enough
      comment: false,
      tokens: false,
      jsx: /\.[jt]sx$/.test(filePath),
      errorOnUnknownASTType: false,
      allowInvalidAST: true,
    }) as TSESTree.Program;
  } catch {
    return undefined;
  }
}
