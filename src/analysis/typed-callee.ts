/**
 * Typed mode for the call graph: the TypeScript checker names the declaration a call reaches, in any
 * file of the program (the linted file, or a module the project index parsed), and the project index
 * then parses that declaration's file so that the same ESTree summariser reads it. The checker finds
 * files; it never summarises. It settles what syntax leaves open: a method of an interface-typed
 * injected service whose one implementation the program holds, a callee behind a type alias.
 */
import type * as TS from 'typescript';
import { TSESTree } from '@typescript-eslint/types';
import type { FileAnalysis } from './file-analysis.js';
import { loadModule } from './project-index.js';
import { typescript } from './resolve-value.js';
import { isFunction } from './traverse.js';

const { AST_NODE_TYPES } = TSESTree;

/** A function the checker found: its ESTree node in the module that declares it. */
export interface TypedFunction {
  readonly node: TSESTree.FunctionLike;
  readonly name: string;
  readonly analysis: FileAnalysis;
}

/** The TypeScript node of an ESTree node: through the parser's map in the linted file, by position elsewhere. */
function tsNodeOf(analysis: FileAnalysis, program: TS.Program, node: TSESTree.Node): TS.Node | undefined {
  const mapped = analysis.services?.program === program ? analysis.services.esTreeNodeToTSNodeMap.get(node) : undefined;
  if (mapped) return mapped;
  const sourceFile = program.getSourceFile(analysis.filename);
  if (!sourceFile) return undefined;
  const [start, end] = node.range;
  let current: TS.Node = sourceFile;
  // Descend to the deepest node that spans exactly [start, end).
  for (;;) {
    let next: TS.Node | undefined;
    typescript().forEachChild(current, (child) => {
      if (!next && child.getStart(sourceFile) <= start && end <= child.end) next = child;
    });
    if (!next) break;
    current = next;
  }
  for (let candidate: TS.Node | undefined = current; candidate; candidate = candidate.parent) {
    if (candidate.getStart(sourceFile) === start && candidate.end === end) return candidate;
    if (candidate.getStart(sourceFile) < start || candidate.end > end) break;
  }
  return undefined;
}

/** The name a call's callee is looked up by: `save` in `this.store.save(x)`, `now` in `now()`. */
function calleeName(call: TSESTree.CallExpression): TSESTree.Identifier | undefined {
  let callee: TSESTree.Node = call.callee;
  while (callee.type === AST_NODE_TYPES.ChainExpression || callee.type === AST_NODE_TYPES.TSNonNullExpression || callee.type === AST_NODE_TYPES.TSAsExpression) {
    callee = callee.expression;
  }
  if (callee.type === AST_NODE_TYPES.Identifier) return callee;
  if (callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier) return callee.property;
  return undefined;
}

/** A declaration of the project's own sources: not a declaration file, not a dependency. */
function isProjectSource(sourceFile: TS.SourceFile, program: TS.Program): boolean {
  return !sourceFile.isDeclarationFile && !program.isSourceFileFromExternalLibrary(sourceFile) && !/[\\/]node_modules[\\/]/.test(sourceFile.fileName);
}

/** The function node a declaration gives its symbol: a function or method with a body, or a function-valued initialiser. */
function functionOf(declaration: TS.Declaration): TS.SignatureDeclaration | undefined {
  const ts = typescript();
  if ((ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration)) && declaration.body) return declaration;
  if (ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration) || ts.isPropertyAssignment(declaration)) {
    const initializer = declaration.initializer;
    if (initializer && (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer))) return initializer;
  }
  return undefined;
}

// Per program: the classes that implement or extend each interface or class, found once.
const implementers = new WeakMap<TS.Program, Map<TS.Symbol, TS.ClassLikeDeclaration[]>>();

function implementersOf(program: TS.Program, owner: TS.Symbol): readonly TS.ClassLikeDeclaration[] {
  let index = implementers.get(program);
  if (!index) {
    index = new Map();
    implementers.set(program, index);
    const ts = typescript();
    const checker = program.getTypeChecker();
    const found = index;
    // Top-level classes only (a module's own or inside a namespace): where implementations are declared,
    // and a walk of statements, not of every node of the program.
    const visit = (statements: readonly TS.Statement[]): void => {
      for (const statement of statements) {
        if (ts.isModuleDeclaration(statement) && statement.body && ts.isModuleBlock(statement.body)) visit(statement.body.statements);
        if (!ts.isClassDeclaration(statement)) continue;
        for (const clause of statement.heritageClauses ?? []) {
          for (const type of clause.types) {
            let symbol = checker.getSymbolAtLocation(type.expression);
            if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
            if (!symbol) continue;
            const list = found.get(symbol) ?? [];
            list.push(statement);
            found.set(symbol, list);
          }
        }
      }
    };
    for (const sourceFile of program.getSourceFiles()) if (isProjectSource(sourceFile, program)) visit(sourceFile.statements);
  }
  return index.get(owner) ?? [];
}

/**
 * `save` declared without a body (an interface's method, an abstract method): the one class of the
 * program that implements it, when there is exactly one. Two implementations leave the call open.
 */
function implementationOf(program: TS.Program, declaration: TS.Declaration, name: string): TS.SignatureDeclaration | undefined {
  const ts = typescript();
  const owner = declaration.parent;
  if (!owner || !(ts.isInterfaceDeclaration(owner) || ts.isClassLike(owner)) || !owner.name) return undefined;
  const checker = program.getTypeChecker();
  const ownerSymbol = checker.getSymbolAtLocation(owner.name);
  if (!ownerSymbol) return undefined;
  const bodies = implementersOf(program, ownerSymbol).flatMap((implementer) =>
    implementer.members.flatMap((member) => {
      if (!member.name || !ts.isIdentifier(member.name) || member.name.text !== name) return [];
      const body = functionOf(member);
      return body && isProjectSource(member.getSourceFile(), program) ? [body] : [];
    }),
  );
  return bodies.length === 1 ? bodies[0] : undefined;
}

/** The ESTree function of `module` whose body spans the TypeScript function's body. */
function estreeFunction(module: FileAnalysis, fn: TS.SignatureDeclaration): TSESTree.FunctionLike | undefined {
  const body = (fn as { body?: TS.Node }).body;
  if (!body) return undefined;
  const start = body.getStart(fn.getSourceFile());
  const end = body.end;
  let current: TSESTree.Node = module.sourceCode.ast;
  const keys = module.sourceCode.visitorKeys as Record<string, readonly string[] | undefined>;
  for (;;) {
    if (current.range[0] === start && current.range[1] === end && current.parent && isFunction(current.parent) && current.parent.body === current) return current.parent;
    let next: TSESTree.Node | undefined;
    for (const key of keys[current.type] ?? []) {
      const value = (current as unknown as Record<string, unknown>)[key];
      for (const child of Array.isArray(value) ? value : [value]) {
        const node = child as TSESTree.Node | null | undefined;
        if (!next && node && typeof node.type === 'string' && node.range[0] <= start && end <= node.range[1]) next = node;
      }
    }
    if (!next) return undefined;
    current = next;
  }
}

/**
 * The function a call of `analysis` reaches, as the checker of `program` sees it: the declaration of
 * the called symbol (through import aliases), or the one implementation of an interface method. The
 * declaring file is read by the project index. Undefined for a dependency's function, a declaration
 * file, or anything the checker cannot name.
 */
export function typedFunction(analysis: FileAnalysis, call: TSESTree.CallExpression, program: TS.Program): TypedFunction | undefined {
  const name = calleeName(call);
  const tsName = name && tsNodeOf(analysis, program, name);
  if (!name || !tsName) return undefined;
  const ts = typescript();
  const checker = program.getTypeChecker();
  let symbol = checker.getSymbolAtLocation(tsName);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const declarations = symbol?.declarations ?? [];
  let fn: TS.SignatureDeclaration | undefined;
  for (const declaration of declarations) {
    if (!isProjectSource(declaration.getSourceFile(), program)) continue;
    fn = functionOf(declaration) ?? implementationOf(program, declaration, name.name);
    if (fn) break;
  }
  if (!fn) return undefined;
  const path = fn.getSourceFile().fileName;
  const module = path === analysis.filename ? analysis : loadModule(analysis.settings, path);
  const node = module && estreeFunction(module, fn);
  return node && module ? { node, name: name.name, analysis: module } : undefined;
}
