/**
 * Another module of the project, parsed the way ESLint would have parsed it, for the project index.
 *
 * Every host parses with the same parser: `@typescript-eslint/typescript-estree` and its scope manager
 * (oxlint hands JS plugins no parser API), so ESLint and oxlint see the same index and a `.js` file can
 * import a `.ts` one. The result offers the part of ESLint's `SourceCode` that the analysis reads
 * (`ast`, `text`, `lines`, `getText`, `getScope`, `getDeclaredVariables`, `scopeManager`, `visitorKeys`),
 * so the same per-file analysis runs on it unchanged.
 */
import { analyze } from '@typescript-eslint/scope-manager';
import { parse } from '@typescript-eslint/typescript-estree';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { visitorKeys } from '@typescript-eslint/visitor-keys';

type ScopeManager = ReturnType<typeof analyze>;
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
    return (this.cachedScopeManager ??= analyze(this.ast, { sourceType: 'module', childVisitorKeys: visitorKeys }));
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

/**
 * Parses `text` of the module at `filePath` into a `SourceCode`-shaped object; `undefined` when it does
 * not parse (the caller then leaves the call as a one-file view would).
 */
export function parseModule(filePath: string, text: string): Readonly<TSESLint.SourceCode> | undefined {
  let ast: TSESTree.Program;
  try {
    ast = parse(text.replace(/^\uFEFF/, ''), {
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
  linkParents(ast);
  return new ModuleSourceCode(text, ast) as unknown as Readonly<TSESLint.SourceCode>;
}
