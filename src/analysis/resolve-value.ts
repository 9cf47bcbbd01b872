/**
 * Which catalogue client does an expression hold? Syntax first (imports, `require`, bindings,
 * `new`, factories, class fields, constructor parameters and their type annotations), then types
 * (typed mode) for what syntax left unresolved, then the documented name fallback.
 */
import type * as TS from 'typescript';
import type { TSESLint } from '@typescript-eslint/utils';
import { TSESTree } from '@typescript-eslint/types';
import { type Catalog, type IndexedClient, typeKey } from '../model/catalog.js';
import { type FileAnalysis, normaliseExportPath } from './file-analysis.js';
import { parameterIdentifier, variableOf } from './ast-helpers.js';
import { fileMemo } from './memo.js';
import { exportedValue } from './project-index.js';
import { walkCode } from './traverse.js';
import { containsWords } from './words.js';
import { importSource, memberName, nameOf, unwrap } from './shapes.js';
import { loadOnFirstUse } from '../util/load-on-first-use.js';
import { detached } from '../util/detached.js';

// The shape readers moved to shapes.ts; re-exported for the modules that import them from here.
export { memberName, nameOf, unwrap } from './shapes.js';

const { AST_NODE_TYPES } = TSESTree;

/** How a client was recognised: through imports, through TypeScript types, or by its name only. */
export type Via = 'import' | 'type' | 'name';

/**
 * What an expression holds.
 * - `client`: an instance of a catalogue client (or, for `extends Model` clients, the class).
 * - `constructor`: a class whose instances are a client (`Redis`, a local `class PrismaService extends PrismaClient`).
 * - `unknown`: syntax cannot tell; `hints` are names the fallback may match.
 * - `none`: known not to be a client (a literal, `new Map()`, a package the catalogue does not know).
 */
export type Resolution =
  | { readonly kind: 'client'; readonly client: IndexedClient; readonly package: string | undefined; readonly via: Via }
  | { readonly kind: 'constructor'; readonly client: IndexedClient; readonly package: string | undefined; readonly via: Via }
  | { readonly kind: 'unknown'; readonly hints: readonly string[] }
  | { readonly kind: 'none' };

/** TypeScript itself, loaded only in typed mode (where the parser already loaded it). */
export const typescript = loadOnFirstUse<typeof TS>('typescript');

const NONE: Resolution = { kind: 'none' };
const UNKNOWN: Resolution = { kind: 'unknown', hints: [] };
const IN_PROGRESS: Resolution = { kind: 'unknown', hints: [] };

function unknown(...hints: (string | undefined)[]): Resolution {
  const kept = hints.filter((hint): hint is string => hint !== undefined && hint.length > 0);
  return kept.length === 0 ? UNKNOWN : { kind: 'unknown', hints: kept };
}

/** A module export reached through an import or `require`: `pkg` and the property path. */
export interface ModuleRef {
  readonly package: string;
  readonly path: readonly string[];
}

function isRelative(specifier: string): boolean {
  return specifier.startsWith('.') || specifier.startsWith('/');
}

/** `require('x')` → 'x'. */
function requireSpecifier(node: TSESTree.Node | null | undefined): string | undefined {
  if (!node) return undefined;
  const call = unwrap(node);
  if (
    call.type === AST_NODE_TYPES.CallExpression &&
    call.callee.type === AST_NODE_TYPES.Identifier &&
    call.callee.name === 'require' &&
    call.arguments[0]?.type === AST_NODE_TYPES.Literal &&
    typeof call.arguments[0].value === 'string'
  ) {
    return call.arguments[0].value;
  }
  return undefined;
}

/**
 * The module export a binding names, for imports and `require` (`import { Pool } from 'pg'`,
 * `const { Pool } = require('pg')`, `const pg = require('pg')`).
 */
export function moduleRefOf(variable: TSESLint.Scope.Variable): ModuleRef | undefined {
  const def = variable.defs[0];
  if (!def) return undefined;
  if (def.type === 'ImportBinding') {
    const source = importSource(def.parent);
    if (source === undefined) return undefined;
    const specifier = def.node;
    const path =
      specifier.type === AST_NODE_TYPES.ImportDefaultSpecifier
        ? ['default']
        : specifier.type === AST_NODE_TYPES.ImportNamespaceSpecifier
          ? ['*']
          : specifier.type === AST_NODE_TYPES.ImportSpecifier
            ? [specifier.imported.type === AST_NODE_TYPES.Identifier ? specifier.imported.name : String(specifier.imported.value)]
            : // import pg = require('pg'): the whole module, as `import * as pg`
              specifier.type === AST_NODE_TYPES.TSImportEqualsDeclaration
              ? ['*']
              : undefined;
    return path ? { package: source, path } : undefined;
  }
  if (def.type === 'Variable' && def.node.type === AST_NODE_TYPES.VariableDeclarator) {
    const declarator = def.node;
    let init = declarator.init ? unwrap(declarator.init) : undefined;
    const path: string[] = [];
    // require('pg').Pool
    while (init?.type === AST_NODE_TYPES.MemberExpression) {
      const name = memberName(init);
      if (name === undefined) return undefined;
      path.unshift(name);
      init = unwrap(init.object);
    }
    const pkg = requireSpecifier(init);
    if (pkg === undefined) return undefined;
    if (declarator.id.type === AST_NODE_TYPES.Identifier) return { package: pkg, path: path.length ? path : ['*'] };
    if (declarator.id.type === AST_NODE_TYPES.ObjectPattern) {
      for (const property of declarator.id.properties) {
        if (property.type !== AST_NODE_TYPES.Property || property.computed) continue;
        const value = property.value.type === AST_NODE_TYPES.AssignmentPattern ? property.value.left : property.value;
        if (value.type === AST_NODE_TYPES.Identifier && value.name === variable.name && property.key.type === AST_NODE_TYPES.Identifier) {
          return { package: pkg, path: [...path, property.key.name] };
        }
      }
    }
  }
  return undefined;
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((segment, index) => segment === b[index]);
}

/** The root client whose reach path of `type` matches an export of `pkg`. */
function rootClientFor(analysis: FileAnalysis, ref: ModuleRef, type: 'new' | 'extends' | 'value'): IndexedClient | undefined {
  const clients = analysis.settings.catalog.clientsByPackage.get(ref.package);
  if (!clients) return undefined;
  const wanted = normaliseExportPath(ref.path[0] === '*' && ref.path.length === 1 ? ['default'] : ref.path);
  for (const client of clients) {
    for (const reach of client.parsedReach) {
      if (reach.type === type && samePath(normaliseExportPath(reach.path), wanted)) return client;
    }
  }
  return undefined;
}

/** Resolution of a module export used as a value. */
function resolveModuleRef(analysis: FileAnalysis, ref: ModuleRef, localName: string): Resolution {
  if (isRelative(ref.package) || !analysis.settings.catalog.clientsByPackage.has(ref.package)) {
    // A project file, a path alias or a workspace package: what its export is made of; else the name is all we have.
    return projectResolution(analysis, ref) ?? unknown(localName);
  }
  const constructed = rootClientFor(analysis, ref, 'new');
  if (constructed) return { kind: 'constructor', client: constructed, package: ref.package, via: 'import' };
  const value = rootClientFor(analysis, ref, 'value');
  if (value) return { kind: 'client', client: value, package: ref.package, via: 'import' };
  return NONE;
}

// Exports being resolved across modules right now: an import cycle resolves to unknown, as a local one does.
const resolvingExports = new Set<TSESTree.Node>();

/**
 * A project module's export, resolved in the module that makes it: `export const prisma = new
 * PrismaClient()`, `export class PrismaService extends PrismaClient {}`, through barrels and workspace
 * packages (the project index). `undefined` when the module is not the project's or says nothing.
 */
function projectResolution(analysis: FileAnalysis, ref: ModuleRef): Resolution | undefined {
  const name = ref.path[0] === '*' || ref.path.length === 0 ? undefined : ref.path[0]!;
  if (name === undefined || ref.path.length > 1) return undefined;
  const exported = exportedValue(analysis, ref.package, name);
  if (!exported || resolvingExports.has(exported.node)) return undefined;
  resolvingExports.add(exported.node);
  try {
    const { node } = exported;
    const resolved =
      node.type === AST_NODE_TYPES.ClassDeclaration || node.type === AST_NODE_TYPES.ClassExpression
        ? resolveClass(exported.analysis, node)
        : resolveValue(exported.analysis, node);
    return resolved.kind === 'client' || resolved.kind === 'constructor' ? resolved : undefined;
  } finally {
    resolvingExports.delete(exported.node);
  }
}

/** A type imported from a project module that is a client class there (`PrismaService extends PrismaClient`). */
function projectClientType(analysis: FileAnalysis, ref: ModuleRef): Resolution | undefined {
  const resolved = projectResolution(analysis, ref);
  if (resolved?.kind === 'constructor') return { ...resolved, kind: 'client' };
  return resolved?.kind === 'client' ? resolved : undefined;
}

/** Resolution of a type annotation's named type (`PrismaService`, `Repository<User>`, `Prisma.TransactionClient`). */
export function resolveTypeNode(analysis: FileAnalysis, typeNode: TSESTree.TypeNode | undefined, depth = 0): Resolution {
  if (!typeNode || depth > 4) return UNKNOWN;
  if (typeNode.type === AST_NODE_TYPES.TSUnionType) {
    // `Redis | undefined`, `PrismaClient | null`
    const members = typeNode.types.filter(
      (member) => member.type !== AST_NODE_TYPES.TSUndefinedKeyword && member.type !== AST_NODE_TYPES.TSNullKeyword,
    );
    return members.length === 1 ? resolveTypeNode(analysis, members[0], depth + 1) : UNKNOWN;
  }
  if (typeNode.type !== AST_NODE_TYPES.TSTypeReference) return NONE;
  let { typeName } = typeNode;
  let qualifier: TSESTree.Identifier | undefined;
  if (typeName.type === AST_NODE_TYPES.TSQualifiedName) {
    // Prisma.TransactionClient: look the right name up in the package of the left one.
    if (typeName.left.type !== AST_NODE_TYPES.Identifier) return UNKNOWN;
    qualifier = typeName.left;
    const variable = variableOf(analysis.sourceCode, qualifier);
    const ref = variable ? moduleRefOf(variable) : undefined;
    if (ref && !isRelative(ref.package)) {
      const client = analysis.settings.catalog.types.get(typeKey(ref.package, typeName.right.name));
      return client ? { kind: 'client', client, package: ref.package, via: 'import' } : NONE;
    }
    return unknown(typeName.right.name, qualifier.name);
  }
  if (typeName.type !== AST_NODE_TYPES.Identifier) return UNKNOWN;
  const variable = variableOf(analysis.sourceCode, typeName);
  if (!variable || variable.defs.length === 0) return unknown(typeName.name);
  const ref = moduleRefOf(variable);
  if (ref) {
    if (isRelative(ref.package)) return projectClientType(analysis, ref) ?? unknown(typeName.name);
    const exported = ref.path[ref.path.length - 1] === 'default' || ref.path[0] === '*' ? typeName.name : ref.path[ref.path.length - 1]!;
    const client = analysis.settings.catalog.types.get(typeKey(ref.package, exported));
    if (client) return { kind: 'client', client, package: ref.package, via: 'import' };
    return analysis.settings.catalog.clientsByPackage.has(ref.package) ? NONE : unknown(typeName.name);
  }
  const def = variable.defs[0]!;
  if (def.type === 'ClassName') {
    // A local class that extends (or wraps) a client: `class PrismaService extends PrismaClient`.
    const classResolution = resolveClass(analysis, def.node as TSESTree.ClassDeclaration);
    if (classResolution.kind === 'constructor') return { ...classResolution, kind: 'client' };
    return classResolution.kind === 'client' ? classResolution : unknown(typeName.name);
  }
  return unknown(typeName.name);
}

/** A class: a client constructor when it extends one; the client itself for `extends Model` clients. */
function resolveClass(analysis: FileAnalysis, node: TSESTree.ClassDeclaration | TSESTree.ClassExpression): Resolution {
  const cached = analysis.resolutions.get(node) as Resolution | undefined;
  if (cached) return cached;
  analysis.resolutions.set(node, IN_PROGRESS);
  let result: Resolution = NONE;
  const superClass = node.superClass ? unwrap(node.superClass) : undefined;
  if (superClass) {
    const ref = superClassRef(analysis, superClass);
    const extended = ref ? rootClientFor(analysis, ref, 'extends') : undefined;
    if (extended && ref) {
      result = { kind: 'client', client: extended, package: ref.package, via: 'import' };
    } else {
      const parent = resolveValue(analysis, superClass);
      result =
        parent.kind === 'constructor'
          ? parent
          : parent.kind === 'unknown'
            ? unknown(node.id?.name, ...parent.hints)
            : NONE;
    }
  } else if (node.id) {
    result = unknown(node.id.name);
  }
  analysis.resolutions.set(node, result);
  return result;
}

function superClassRef(analysis: FileAnalysis, node: TSESTree.Node): ModuleRef | undefined {
  if (node.type === AST_NODE_TYPES.Identifier) {
    const variable = variableOf(analysis.sourceCode, node);
    return variable ? moduleRefOf(variable) : undefined;
  }
  if (node.type === AST_NODE_TYPES.MemberExpression && node.object.type === AST_NODE_TYPES.Identifier) {
    const name = memberName(node);
    const variable = variableOf(analysis.sourceCode, node.object);
    const ref = variable ? moduleRefOf(variable) : undefined;
    return ref && name ? { package: ref.package, path: [...ref.path, name] } : undefined;
  }
  return undefined;
}

/** The derived client reached from `parent` by a property chain, a method call or a callback. */
function stepTo(
  parent: Extract<Resolution, { kind: 'client' }>,
  type: 'property' | 'method' | 'callback' | 'self-call',
  path: readonly string[],
): Resolution {
  for (const child of parent.client.children) {
    for (const reach of child.parsedReach) {
      if (reach.type !== type) continue;
      if (type === 'self-call') return { ...parent, client: child };
      if (reach.path.length === 1 && reach.path[0] === '*' && path.length === 1 && /^[A-Za-z]/.test(path[0]!)) {
        return { ...parent, client: child };
      }
      if (samePath(reach.path, path)) return { ...parent, client: child };
    }
  }
  // Query builders: `db('t').where(...).orderBy(...)` stays a builder.
  if (type === 'method' && parent.client.fluent) return parent;
  return NONE;
}

/** Is this function node the callback argument of a catalogue "callback" reach? Then its first parameter is a client. */
function resolveCallbackParameter(analysis: FileAnalysis, fn: TSESTree.Node, parameterIndex: number): Resolution | undefined {
  if (parameterIndex !== 0) return undefined;
  const call = fn.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(fn as TSESTree.CallExpressionArgument)) return undefined;
  const callee = unwrap(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const method = memberName(callee);
  if (method === undefined) return undefined;
  const child = stepFromCallee(analysis, callee, 'callback', method);
  return child.kind === 'client' ? child : undefined;
}

/**
 * The derived client a member call reaches: from its receiver (`producer.transaction()`), or from the
 * receiver's own receiver by a two-segment path (`ds.manager.getRepository(User)`,
 * `ds.manager.transaction(cb)`).
 */
function stepFromCallee(
  analysis: FileAnalysis,
  callee: TSESTree.MemberExpression,
  type: 'method' | 'callback',
  method: string,
): Resolution {
  const receiver = resolveValue(analysis, callee.object);
  if (receiver.kind === 'client') {
    const stepped = stepTo(receiver, type, [method]);
    if (stepped.kind !== 'none') return stepped;
  }
  const inner = unwrap(callee.object);
  if (inner.type !== AST_NODE_TYPES.MemberExpression) return NONE;
  const innerName = memberName(inner);
  const base = resolveValue(analysis, inner.object);
  return base.kind === 'client' && innerName !== undefined ? stepTo(base, type, [innerName, method]) : NONE;
}

function resolveIdentifier(analysis: FileAnalysis, node: TSESTree.Identifier): Resolution {
  const variable = variableOf(analysis.sourceCode, node);
  if (!variable || variable.defs.length === 0) {
    // A global the catalogue knows (`fetch`), where no binding of this file shadows it.
    const global = analysis.settings.catalog.globals.get(node.name);
    if (global) return { kind: 'client', client: global, package: undefined, via: 'import' };
    return unknown(node.name);
  }
  const ref = moduleRefOf(variable);
  if (ref) return resolveModuleRef(analysis, ref, node.name);
  const def = variable.defs[0]!;
  switch (def.type) {
    case 'Variable': {
      const declarator = def.node as TSESTree.VariableDeclarator;
      if (declarator.id.type === AST_NODE_TYPES.Identifier) {
        const annotated = declarator.id.typeAnnotation
          ? resolveTypeNode(analysis, declarator.id.typeAnnotation.typeAnnotation)
          : undefined;
        if (annotated && annotated.kind !== 'unknown') return annotated;
        // The initialiser, then any later assignment (`let client; client = new Redis()`).
        const candidates: TSESTree.Node[] = [];
        if (declarator.init) candidates.push(declarator.init);
        for (const reference of variable.references) {
          if (reference.writeExpr && reference.writeExpr !== declarator.init) candidates.push(reference.writeExpr);
        }
        let fallback: Resolution = unknown(node.name, ...(annotated?.kind === 'unknown' ? annotated.hints : []));
        for (const candidate of candidates) {
          const resolved = resolveValue(analysis, candidate);
          if (resolved.kind === 'client' || resolved.kind === 'constructor') return resolved;
          if (resolved.kind === 'unknown') fallback = unknown(node.name, ...resolved.hints);
          else if (candidates.length === 1) fallback = NONE;
        }
        return fallback;
      }
      if (declarator.id.type === AST_NODE_TYPES.ObjectPattern && declarator.init) {
        // const { user } = prisma
        const source = resolveValue(analysis, declarator.init);
        const key = destructuredKey(declarator.id, variable.name);
        if (source.kind === 'client' && key !== undefined) return stepTo(source, 'property', [key]);
        return source.kind === 'unknown' ? unknown(node.name, ...source.hints) : unknown(node.name);
      }
      return unknown(node.name);
    }
    case 'Parameter': {
      const fn = def.node as TSESTree.FunctionLike;
      const index = fn.params.findIndex((param) => parameterDeclares(param, variable.name));
      const param = fn.params[index];
      const fromCallback = resolveCallbackParameter(analysis, fn, index);
      if (fromCallback) return fromCallback;
      const target = param?.type === AST_NODE_TYPES.TSParameterProperty ? param.parameter : param;
      const identifier =
        target?.type === AST_NODE_TYPES.AssignmentPattern ? target.left : target;
      if (identifier?.type === AST_NODE_TYPES.Identifier && identifier.typeAnnotation) {
        const typed = resolveTypeNode(analysis, identifier.typeAnnotation.typeAnnotation);
        if (typed.kind !== 'unknown') return typed;
        return unknown(node.name, ...typed.hints);
      }
      if (target?.type === AST_NODE_TYPES.AssignmentPattern) {
        const resolved = resolveValue(analysis, target.right);
        if (resolved.kind !== 'none') return resolved;
      }
      return unknown(node.name);
    }
    case 'ClassName':
      return resolveClass(analysis, def.node as TSESTree.ClassDeclaration);
    case 'ImportBinding':
      return unknown(node.name);
    default:
      return NONE;
  }
}

function parameterDeclares(param: TSESTree.Parameter, name: string): boolean {
  return parameterIdentifier(param)?.name === name;
}

function destructuredKey(pattern: TSESTree.ObjectPattern, name: string): string | undefined {
  for (const property of pattern.properties) {
    if (property.type !== AST_NODE_TYPES.Property || property.computed || property.key.type !== AST_NODE_TYPES.Identifier) continue;
    const value = property.value.type === AST_NODE_TYPES.AssignmentPattern ? property.value.left : property.value;
    if (value.type === AST_NODE_TYPES.Identifier && value.name === name) return property.key.name;
  }
  return undefined;
}

/** The class a `this` belongs to, skipping arrow functions (which keep the outer `this`). */
export function enclosingClass(node: TSESTree.Node): TSESTree.ClassDeclaration | TSESTree.ClassExpression | undefined {
  let current = node.parent;
  while (current) {
    if (current.type === AST_NODE_TYPES.ClassBody) return current.parent;
    if (current.type === AST_NODE_TYPES.FunctionDeclaration) return undefined;
    if (current.type === AST_NODE_TYPES.FunctionExpression && current.parent?.type !== AST_NODE_TYPES.MethodDefinition) {
      return undefined;
    }
    current = current.parent;
  }
  return undefined;
}

/** `this.name` inside a class: a field, a constructor parameter property, or a `this.name = …` assignment. */
function resolveClassMember(analysis: FileAnalysis, classNode: TSESTree.ClassDeclaration | TSESTree.ClassExpression, name: string): Resolution {
  const key = `member:${name}`;
  let perClass = analysis.resolutions.get(classNode.body) as Map<string, Resolution> | undefined;
  if (!perClass) {
    perClass = new Map();
    analysis.resolutions.set(classNode.body, perClass);
  }
  const cached = perClass.get(key);
  if (cached) return cached;
  perClass.set(key, IN_PROGRESS);
  const result = resolveClassMemberUncached(analysis, classNode, name);
  perClass.set(key, result);
  return result;
}

function resolveClassMemberUncached(
  analysis: FileAnalysis,
  classNode: TSESTree.ClassDeclaration | TSESTree.ClassExpression,
  name: string,
): Resolution {
  let hints: string[] = [name];
  const candidates: TSESTree.Node[] = [];
  for (const member of classNode.body.body) {
    if (
      (member.type === AST_NODE_TYPES.PropertyDefinition || member.type === AST_NODE_TYPES.AccessorProperty) &&
      !member.computed &&
      member.key.type === AST_NODE_TYPES.Identifier &&
      member.key.name === name
    ) {
      if (member.typeAnnotation) {
        const typed = resolveTypeNode(analysis, member.typeAnnotation.typeAnnotation);
        if (typed.kind !== 'unknown') return typed;
        hints = [...typed.hints, ...hints];
      }
      if (member.value) candidates.push(member.value);
    }
    if (member.type === AST_NODE_TYPES.MethodDefinition && member.kind === 'constructor') {
      for (const param of member.value.params) {
        if (param.type !== AST_NODE_TYPES.TSParameterProperty) continue;
        const target = param.parameter.type === AST_NODE_TYPES.AssignmentPattern ? param.parameter.left : param.parameter;
        if (target.type !== AST_NODE_TYPES.Identifier || target.name !== name) continue;
        if (target.typeAnnotation) {
          const typed = resolveTypeNode(analysis, target.typeAnnotation.typeAnnotation);
          if (typed.kind !== 'unknown') return typed;
          hints = [...typed.hints, ...hints];
        }
        if (param.parameter.type === AST_NODE_TYPES.AssignmentPattern) candidates.push(param.parameter.right);
      }
    }
  }
  // this.name = expr, anywhere in the class body (constructors and init methods).
  collectThisAssignments(analysis, classNode.body, name, candidates);
  for (const candidate of candidates) {
    const resolved = resolveValue(analysis, candidate);
    if (resolved.kind === 'client' || resolved.kind === 'constructor') return resolved;
    if (resolved.kind === 'unknown') hints = [...hints, ...resolved.hints];
  }
  // A class that extends a client inherits its properties (`this.user` in `PrismaService`).
  const self = resolveClass(analysis, classNode);
  if (self.kind === 'constructor') return stepTo({ ...self, kind: 'client' }, 'property', [name]);
  if (candidates.length > 0 && hints.length === 1) return NONE;
  return unknown(...hints);
}

function collectThisAssignments(analysis: FileAnalysis, root: TSESTree.Node, name: string, out: TSESTree.Node[]): void {
  // One walk per class body indexes every `this.x = …` by name: a walk per member name is quadratic in big classes.
  const byName = thisAssignments.get(analysis, root, () => {
    const found = new Map<string, TSESTree.Node[]>();
    walkCode(analysis.sourceCode, root, (node) => {
      if (
        node.type === AST_NODE_TYPES.AssignmentExpression &&
        node.operator === '=' &&
        node.left.type === AST_NODE_TYPES.MemberExpression &&
        node.left.object.type === AST_NODE_TYPES.ThisExpression
      ) {
        const member = memberName(node.left);
        if (member === undefined) return;
        const assigned = found.get(member);
        if (assigned) assigned.push(node.right);
        else found.set(member, [node.right]);
      }
    });
    return found;
  });
  out.push(...(byName.get(name) ?? []));
}

const thisAssignments = fileMemo<TSESTree.Node, ReadonlyMap<string, readonly TSESTree.Node[]>>();

function resolveMember(analysis: FileAnalysis, node: TSESTree.MemberExpression): Resolution {
  const name = memberName(node);
  if (name === undefined) return UNKNOWN;
  const object = unwrap(node.object);
  if (object.type === AST_NODE_TYPES.ThisExpression) {
    const classNode = enclosingClass(object);
    return classNode ? resolveClassMember(analysis, classNode, name) : unknown(name);
  }
  const base = resolveValue(analysis, object);
  if (base.kind === 'client') {
    const stepped = stepTo(base, 'property', [name]);
    if (stepped.kind !== 'none') return stepped;
    return NONE;
  }
  if (base.kind === 'unknown') {
    // `this.deps.prisma.user`: types or the name may settle the base; otherwise the property name is the hint.
    const settled = settle(analysis, object, base.hints);
    if (settled?.kind === 'client') return stepTo(settled, 'property', [name]);
    return settled ? NONE : unknown(name);
  }
  if (object.type === AST_NODE_TYPES.Identifier) {
    // `module.namespace` exports: `pg.Pool` where `pg` is an import.
    const variable = variableOf(analysis.sourceCode, object);
    const ref = variable ? moduleRefOf(variable) : undefined;
    if (ref && !isRelative(ref.package)) return resolveModuleRef(analysis, { package: ref.package, path: [...ref.path, name] }, name);
  }
  return NONE;
}

/** The name an expression is known by: `redis` for `redis`, `set` for `client.set`, else undefined. */
function resolveCall(analysis: FileAnalysis, node: TSESTree.CallExpression): Resolution {
  const origin = analysis.origins().get(node);
  if (origin) return { kind: 'client', client: origin.client, package: origin.package, via: 'import' };
  const callee = unwrap(node.callee);
  if (callee.type === AST_NODE_TYPES.MemberExpression) {
    const method = memberName(callee);
    if (method === undefined) return UNKNOWN;
    const receiver = resolveValue(analysis, callee.object);
    if (receiver.kind === 'client') return stepFromCallee(analysis, callee, 'method', method);
    if (receiver.kind === 'constructor') return NONE;
    if (receiver.kind === 'unknown') {
      const settled = settle(analysis, callee.object, receiver.hints);
      if (settled?.kind === 'client') {
        const stepped = stepTo(settled, 'method', [method]);
        if (stepped.kind !== 'none') return stepped;
      }
      return settled ? NONE : unknown(method);
    }
    return NONE;
  }
  const target = resolveValue(analysis, callee);
  if (target.kind === 'client') return stepTo(target, 'self-call', []);
  if (target.kind === 'unknown') return unknown(nameOf(callee), ...target.hints);
  return NONE;
}

function resolveNew(analysis: FileAnalysis, node: TSESTree.NewExpression): Resolution {
  const origin = analysis.origins().get(node);
  if (origin) return { kind: 'client', client: origin.client, package: origin.package, via: 'import' };
  const callee = unwrap(node.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) {
    // A global constructor (`new Map()`, `new Set()`) is a built-in: the catalogue has no globals.
    const variable = variableOf(analysis.sourceCode, callee);
    if (!variable || variable.defs.length === 0) return NONE;
  }
  const target = resolveValue(analysis, callee);
  if (target.kind === 'constructor') return { ...target, kind: 'client' };
  if (target.kind === 'unknown') return unknown(nameOf(node.callee), ...target.hints);
  return NONE;
}

/**
 * What `node` holds, through syntax only (imports, bindings, classes, type annotations). Memoised
 * per node. Use {@link resolveClient} to add types and the name fallback.
 */
export function resolveValue(analysis: FileAnalysis, node: TSESTree.Node): Resolution {
  const cached = analysis.resolutions.get(node) as Resolution | undefined;
  if (cached) return cached;
  analysis.resolutions.set(node, IN_PROGRESS); // cycles (`a = b; b = a`) resolve to unknown
  const result = resolveUncached(analysis, node);
  analysis.resolutions.set(node, result);
  return result;
}

function resolveUncached(analysis: FileAnalysis, node: TSESTree.Node): Resolution {
  const inner = unwrap(node);
  if (inner !== node) return resolveValue(analysis, inner);
  switch (node.type) {
    case AST_NODE_TYPES.Identifier:
      return resolveIdentifier(analysis, node);
    case AST_NODE_TYPES.ThisExpression: {
      const classNode = enclosingClass(node);
      if (!classNode) return UNKNOWN;
      const self = resolveClass(analysis, classNode);
      return self.kind === 'constructor' ? { ...self, kind: 'client' } : self.kind === 'client' ? self : UNKNOWN;
    }
    case AST_NODE_TYPES.MemberExpression:
      return resolveMember(analysis, node);
    case AST_NODE_TYPES.CallExpression:
      return resolveCall(analysis, node);
    case AST_NODE_TYPES.NewExpression:
      return resolveNew(analysis, node);
    case AST_NODE_TYPES.ClassExpression:
      return resolveClass(analysis, node);
    case AST_NODE_TYPES.LogicalExpression:
    case AST_NODE_TYPES.ConditionalExpression: {
      const branches = node.type === AST_NODE_TYPES.LogicalExpression ? [node.left, node.right] : [node.consequent, node.alternate];
      let result: Resolution = NONE;
      for (const branch of branches) {
        const resolved = resolveValue(analysis, branch);
        if (resolved.kind === 'client' || resolved.kind === 'constructor') return resolved;
        if (resolved.kind === 'unknown') result = resolved;
      }
      return result;
    }
    case AST_NODE_TYPES.AssignmentExpression:
      return resolveValue(analysis, node.right);
    case AST_NODE_TYPES.SequenceExpression:
      return resolveValue(analysis, node.expressions[node.expressions.length - 1]!);
    case AST_NODE_TYPES.Literal:
    case AST_NODE_TYPES.TemplateLiteral:
    case AST_NODE_TYPES.ArrayExpression:
    case AST_NODE_TYPES.ObjectExpression:
    case AST_NODE_TYPES.ArrowFunctionExpression:
    case AST_NODE_TYPES.FunctionExpression:
    case AST_NODE_TYPES.BinaryExpression:
    case AST_NODE_TYPES.UnaryExpression:
    case AST_NODE_TYPES.UpdateExpression:
      return NONE;
    default:
      return UNKNOWN;
  }
}

/**
 * The name fallback: a hint (binding, property or type name) that contains a catalogue client's
 * name as whole words (`PrismaService`, `redisClient`, `this.kafkaProducer`) marks it as that client.
 */
export function byName(analysis: FileAnalysis, hints: readonly string[]): Extract<Resolution, { kind: 'client' }> | undefined {
  for (const hint of hints) {
    const client = nameMatch(analysis.settings.catalog, hint);
    if (client) {
      let root: IndexedClient | undefined = client;
      while (root?.from !== undefined) root = analysis.settings.catalog.clients.get(root.from);
      return { kind: 'client', client, package: root?.packages?.[0], via: 'name' };
    }
  }
  return undefined;
}

// Hints repeat across calls and files (`pipe`, `Effect`, `this.repo`): match each against the names once per catalogue.
const nameMatches = new WeakMap<Catalog, Map<string, IndexedClient | null>>();

/** The client of the first catalogue name whose words `hint` contains, or undefined. */
function nameMatch(catalog: Catalog, hint: string): IndexedClient | undefined {
  let matches = nameMatches.get(catalog);
  if (!matches) {
    matches = new Map();
    nameMatches.set(catalog, matches);
  }
  let match = matches.get(hint);
  if (match === undefined) {
    match = null;
    for (const [word, client] of catalog.names) {
      if (containsWords(hint, word)) {
        match = client;
        break;
      }
    }
    if (matches.size > 20_000) matches.clear(); // a bound keeps memory flat, as for splitWords
    matches.set(detached(hint), match);
  }
  return match ?? undefined;
}

/** Typed mode: the client a TypeScript type names (or one of its base types), if any. */
function resolveByType(analysis: FileAnalysis, node: TSESTree.Node): Resolution {
  const services = analysis.services;
  if (!services) return UNKNOWN;
  const tsNode = services.esTreeNodeToTSNodeMap.get(node);
  if (!tsNode) return UNKNOWN;
  return clientOfType(analysis, services.program.getTypeChecker().getTypeAtLocation(tsNode));
}

/** The catalogue client a TypeScript type is (or extends); `none` for another known type, `unknown` for any/unknown. */
function clientOfType(analysis: FileAnalysis, type: TS.Type): Resolution {
  const checker = analysis.services!.program.getTypeChecker();
  const { TypeFlags } = typescript();
  // any and unknown say nothing: keep the name fallback.
  if (type.flags & (TypeFlags.Any | TypeFlags.Unknown)) return UNKNOWN;
  // `Redis | undefined`; `NodePgDatabase & { $client: Pool }` (drizzle's database): each member may be the client.
  const candidates = type.isUnion()
    ? type.types.filter((t) => !(t.flags & (TypeFlags.Undefined | TypeFlags.Null)))
    : type.isIntersection()
      ? [type, ...type.types]
      : [type];
  const seen = new Set<unknown>();
  const queue = [...candidates];
  while (queue.length > 0 && seen.size < 16) {
    const current = queue.shift()!;
    if (seen.has(current)) continue;
    seen.add(current);
    const symbol = current.aliasSymbol ?? current.getSymbol();
    for (const declaration of symbol?.declarations ?? []) {
      const pkg = declaringPackage(declaration);
      if (pkg === undefined) continue;
      // `export default class Redis` has the symbol name "default": the declaration keeps the real one.
      const declaredName = (declaration as { name?: { text?: string } }).name?.text ?? symbol!.name;
      const client = analysis.settings.catalog.types.get(typeKey(pkg, declaredName));
      if (client) return { kind: 'client', client, package: pkg, via: 'type' };
    }
    if (current.isClassOrInterface()) queue.push(...checker.getBaseTypes(current));
  }
  return NONE;
}

/**
 * Typed mode: the catalogue client held by the elements of a collection (`Redis[]`,
 * `ReadonlyArray<PrismaClient>`), or undefined without types or when the elements are no client.
 */
export function elementClient(analysis: FileAnalysis, collection: TSESTree.Node): Extract<Resolution, { kind: 'client' }> | undefined {
  const services = analysis.services;
  const tsNode = services?.esTreeNodeToTSNodeMap.get(collection);
  if (!services || !tsNode) return undefined;
  const checker = services.program.getTypeChecker();
  const element = checker.getIndexTypeOfType(checker.getTypeAtLocation(tsNode), typescript().IndexKind.Number);
  const resolved = element ? clientOfType(analysis, element) : undefined;
  return resolved?.kind === 'client' ? resolved : undefined;
}

/** The package that declares a TypeScript declaration: `declare module '<pkg>'` or `node_modules/<pkg>/`. */
function declaringPackage(declaration: TS.Declaration): string | undefined {
  const ts = typescript();
  for (let current: TS.Node | undefined = declaration.parent; current; current = current.parent) {
    if (ts.isModuleDeclaration(current) && ts.isStringLiteral(current.name)) return current.name.text;
  }
  const fileName = declaration.getSourceFile().fileName.replaceAll('\\', '/');
  const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(fileName);
  if (!match) return undefined;
  const pkg = match[1]!;
  // Type packages name their runtime package: @types/pg → pg, @types/scope__name → @scope/name.
  return pkg.startsWith('@types/') ? pkg.slice('@types/'.length).replace(/^([^_]+)__/, '@$1/') : pkg;
}

/**
 * The client `node` holds: syntax first; for what syntax left unknown, TypeScript types (typed mode);
 * then the name fallback. Types never override a client resolved through imports.
 */
export function resolveClient(analysis: FileAnalysis, node: TSESTree.Node): Extract<Resolution, { kind: 'client' }> | undefined {
  const syntactic = resolveValue(analysis, node);
  if (syntactic.kind === 'client') return syntactic;
  if (syntactic.kind !== 'unknown') return undefined;
  const settled = settle(analysis, node, syntactic.hints);
  return settled?.kind === 'client' ? settled : undefined;
}

/**
 * Settles an expression syntax could not resolve: by its TypeScript type in typed mode (a known
 * type that is no client gives `none`: no name guess), else by the name fallback. Undefined when
 * neither can tell.
 */
function settle(
  analysis: FileAnalysis,
  node: TSESTree.Node,
  hints: readonly string[],
): Extract<Resolution, { kind: 'client' | 'none' }> | undefined {
  return settled.get(analysis, node, () => {
    if (analysis.services) {
      const typed = resolveByType(analysis, node);
      if (typed.kind === 'client' || typed.kind === 'none') return typed;
    }
    return byName(analysis, hints);
  });
}

const settled = fileMemo<TSESTree.Node, Extract<Resolution, { kind: 'client' | 'none' }> | undefined>();
