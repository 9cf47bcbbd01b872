/**
 * The project index: what a name in one module stands for in another. Real services put their
 * coordination behind their own layers (a repository in `services/user-repo.ts`, a NestJS service
 * injected by type, a barrel `index.ts`, a workspace package), so a call is judged by the function it
 * reaches, wherever that function lives.
 *
 * Modules are found by oxc-resolver (relative imports with the `.js`→`.ts` mapping and index files,
 * `tsconfig` `paths`/`baseUrl` through `extends`, workspace packages through `node_modules` links and
 * `package.json` `exports`/`main`/`types`), parsed by one parser on every host (`module-source.ts`), and
 * read lazily: only for calls a rule asks about, each module once per modification time.
 */
import { type Stats, existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import type * as OxcResolver from 'oxc-resolver';
import type { NapiResolveOptions, ResolverFactory } from 'oxc-resolver';
import type { TSESLint } from '@typescript-eslint/utils';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import { TSESTree } from '@typescript-eslint/types';
import type { CoordinationSettings } from '../settings.js';
import { type FileAnalysis, lintGeneration, moduleAnalysis } from './file-analysis.js';
import { parseModule, scopeAnalysed } from './module-source.js';
import { fileMemo, fileValue } from './memo.js';
import { importSource } from './shapes.js';
import { isFunction } from './traverse.js';
import { variableOf } from './ast-helpers.js';
import { loadOnFirstUse } from '../util/load-on-first-use.js';

const { AST_NODE_TYPES } = TSESTree;

/** How many declarations a lookup follows (re-exports, aliases, parent classes) before giving up. */
const MAX_HOPS = 8;

/** What a name stands for, in the module that declares it. */
export type Declaration =
  | { readonly kind: 'function'; readonly node: TSESTree.FunctionLike; readonly name: string; readonly analysis: FileAnalysis }
  | { readonly kind: 'class'; readonly node: TSESTree.ClassDeclaration | TSESTree.ClassExpression; readonly analysis: FileAnalysis }
  /** An object of a project class: `new UserService()`, an injected `userService: UserService`. */
  | { readonly kind: 'instance'; readonly node: TSESTree.ClassDeclaration | TSESTree.ClassExpression; readonly analysis: FileAnalysis }
  /** A module's exports: `import * as repo`, `require('./repo')`. */
  | { readonly kind: 'module'; readonly analysis: FileAnalysis }
  /** An object literal of functions: `export default { save }`, `module.exports = { save }`. */
  | { readonly kind: 'object'; readonly node: TSESTree.ObjectExpression; readonly analysis: FileAnalysis };

const SOURCE_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/;

let resolver: ResolverFactory | undefined;
let plainResolver: ResolverFactory | undefined;

const RESOLVER_OPTIONS = {
  extensions: ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'],
  // ESM TypeScript imports `./user-repo.js` and means `./user-repo.ts`.
  extensionAlias: { '.js': ['.ts', '.tsx', '.js', '.jsx'], '.mjs': ['.mts', '.mjs'], '.cjs': ['.cts', '.cjs'] },
  conditionNames: ['source', 'typescript', 'import', 'require', 'node', 'default'],
  mainFields: ['source', 'module', 'main'],
  symlinks: true,
};

// oxc-resolver's native binding is loaded on the first import the index follows, not with the plugin.
const resolverModule = loadOnFirstUse<typeof OxcResolver>('oxc-resolver');

function newResolver(options: NapiResolveOptions): ResolverFactory {
  return new (resolverModule().ResolverFactory)(options);
}

function getResolver(): ResolverFactory {
  return (resolver ??= newResolver({ tsconfig: 'auto', ...RESOLVER_OPTIONS }));
}

/** The same resolver without the tsconfig, for a project whose tsconfig cannot be read. */
function getPlainResolver(): ResolverFactory {
  return (plainResolver ??= newResolver(RESOLVER_OPTIONS));
}

/**
 * The project source file an import of `specifier` from `fromFile` reaches, or `undefined` for a
 * package from `node_modules`, a declaration file, or anything the resolver cannot find.
 */
export function resolveModule(fromFile: string, specifier: string): string | undefined {
  if (!isAbsolute(fromFile)) return undefined;
  // A relative specifier means the same file from every file of a folder; any other may go through the
  // `paths` of the tsconfig that includes this very file (project references can split one folder).
  const path = resolvedFrom(specifier.startsWith('.') ? dirname(fromFile) : fromFile, fromFile, specifier);
  if (!path || !SOURCE_FILE.test(path) || /\.d\.[cm]?ts$/.test(path)) return undefined;
  // A dependency is not the project: a path deeper into node_modules than the importer itself is.
  return nodeModulesDepth(path) > nodeModulesDepth(realPath(fromFile)) ? undefined : path;
}

// The resolver keeps its own cache of the file system for the life of the process; files of one folder
// import the same specifiers over and over, and each call to it costs a native round trip.
const resolutions = new Map<string, string | undefined>();

/** What the resolver makes of `specifier` from `fromFile`, kept per `scope`: the file, or its folder where every file there gets the same answer. */
function resolvedFrom(scope: string, fromFile: string, specifier: string): string | undefined {
  const key = `${scope}\0${specifier}`;
  if (resolutions.has(key)) return resolutions.get(key);
  let path: string | undefined;
  try {
    const resolved = getResolver().resolveFileSync(fromFile, specifier);
    // A tsconfig that extends a package not installed here makes the resolver give up on every import:
    // relative imports still mean what they say without it (only `paths` aliases are lost).
    path = resolved.path ?? (resolved.error?.startsWith('Tsconfig not found') ? getPlainResolver().resolveFileSync(fromFile, specifier).path : undefined);
  } catch {
    path = undefined;
  }
  if (resolutions.size >= 100_000) resolutions.clear(); // a bound keeps a long editor session flat
  resolutions.set(key, path);
  return path;
}

function nodeModulesDepth(path: string): number {
  return path.split(sep).filter((segment) => segment === 'node_modules').length;
}

const realPaths = new Map<string, string>();

/** The importer's real path (the resolver returns real paths: workspace links are followed). */
function realPath(path: string): string {
  let real = realPaths.get(path);
  if (real === undefined) {
    try {
      real = realpathSync(path);
    } catch {
      real = path;
    }
    realPaths.set(path, real);
  }
  return real;
}

/** What was read from a file, and the file's modification time and size when it was read. */
interface ReadOnChange<T> {
  readonly mtimeMs: number;
  readonly size: number;
  readonly value: T;
  /** The linted file during which the file was last found unchanged (`lintGeneration`). */
  checked: number;
}

/**
 * What `read` makes of the file at `path`, read again only when its modification time or size changed.
 * A linted file asks for the same modules over and over: the file system is asked once per linted file,
 * so an edit is seen by the next one. `undefined` (and nothing kept) when the file cannot be found.
 * The cache keeps the `MAX_CACHED_FILES` files used last: an editor's ESLint process lives for days and
 * may reach every module of a large monorepo.
 */
function readOnChange<T>(cache: Map<string, ReadOnChange<T>>, path: string, read: (stats: Stats) => T): ReadOnChange<T> | undefined {
  const cached = cache.get(path);
  const generation = lintGeneration();
  if (cached !== undefined && cached.checked === generation) return cached;
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch {
    cache.delete(path);
    return undefined;
  }
  // Once per linted file: to the end of the map's order, which is the order of last use.
  cache.delete(path);
  if (cached && cached.mtimeMs === stats.mtimeMs && cached.size === stats.size) {
    cached.checked = generation;
    cache.set(path, cached);
    return cached;
  }
  const entry = { mtimeMs: stats.mtimeMs, size: stats.size, value: read(stats), checked: generation };
  cache.set(path, entry);
  if (cache.size > MAX_CACHED_FILES) cache.delete(cache.keys().next().value!);
  return entry;
}

/**
 * Modules (and texts) the index keeps. A parsed module keeps about 0.3 to 0.7 MB (its text, its tree and
 * what the rules found in it): typeorm's own source reaches 74 modules, 3,132 files of ever-gauzy's core
 * reach 123.
 */
const MAX_CACHED_FILES = 500;

// Per catalogue and backend profiles (what a module's sites depend on), per path: re-read when the file's
// modification time or size changes. Keyed by content, not by the settings object: a host may build a
// new settings object for every file, and every file would then parse the same modules again.
const modules = new Map<string, Map<string, ReadOnChange<FileAnalysis | undefined>>>();
const moduleKeys = new WeakMap<CoordinationSettings, string>();
const catalogIds = new WeakMap<CoordinationSettings['catalog'], number>();
let catalogCount = 0;

function moduleKey(settings: CoordinationSettings): string {
  let key = moduleKeys.get(settings);
  if (key === undefined) {
    let id = catalogIds.get(settings.catalog);
    if (id === undefined) catalogIds.set(settings.catalog, (id = ++catalogCount));
    key = `${id}:${JSON.stringify(settings.backends)}`;
    moduleKeys.set(settings, key);
  }
  return key;
}

/** Files larger than this are generated code, not a layer of the service. */
const MAX_MODULE_BYTES = 1_000_000;

/** The analysis of another module of the project; `undefined` when it cannot be read or parsed. */
export function loadModule(settings: CoordinationSettings, path: string): FileAnalysis | undefined {
  const key = moduleKey(settings);
  let byPath = modules.get(key);
  if (!byPath) modules.set(key, (byPath = new Map()));
  return readOnChange(byPath, path, (stats) => {
    if (!stats.isFile() || stats.size > MAX_MODULE_BYTES) return undefined;
    let text: string | undefined;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      text = undefined;
    }
    const sourceCode = text === undefined ? undefined : parseModule(path, text);
    return sourceCode ? moduleAnalysis(sourceCode, path, settings) : undefined;
  })?.value;
}

/** The modules the index has parsed so far in this process, for the benchmark's report of what it reaches. */
export function indexedModulePaths(): string[] {
  const paths = new Set<string>();
  for (const byPath of modules.values()) for (const [path, cached] of byPath) if (cached.value) paths.add(path);
  return [...paths];
}

/**
 * The module `specifier` names from `analysis`, parsed; with `mentioning`, only when its text contains that
 * name at all: a barrel's `export * from` reaches many modules, and most of them cannot export the name.
 */
function importedModule(analysis: FileAnalysis, specifier: string, mentioning?: string): FileAnalysis | undefined {
  if (!analysis.settings.projectIndex || !packageMayCoordinate(analysis)) return undefined;
  const path = resolveModule(analysis.filename, specifier);
  if (!path) return undefined;
  if (mentioning !== undefined && !mentions(path, mentioning)) return undefined;
  return loadModule(analysis.settings, path);
}

/**
 * Can a call of this file reach a function of another module: the index is on and may read this
 * file's package, or type information leads to the declaration? When not, every search stays in the file.
 */
export function mayLeaveFile(analysis: FileAnalysis): boolean {
  // Rules ask per call (the loop rule for every call in a loop): once per file.
  return leavesFile.get(
    analysis,
    () => analysis.settings.projectIndex && (analysis.services?.program !== undefined || (namesModules(analysis.sourceCode.text) && packageMayCoordinate(analysis))),
  );
}

/**
 * Can the text import or require anything? The index reaches another module only through a name the
 * file imports or requires (a re-export, `export * from`, binds none): a file without either word, an
 * index of re-exports, reaches none, and its package's manifest need not be read (the first file of a
 * package pays that read).
 */
function namesModules(text: string): boolean {
  return text.includes('import') || text.includes('require');
}

const leavesFile = fileValue<boolean>();

/** What the nearest `package.json` of a folder says: the packages it depends on, and whether it is part of a workspace. */
interface PackageFacts {
  readonly dependencies: readonly string[];
  readonly inWorkspace: boolean;
  /** The answer per catalogue: a package's files all ask the same one. */
  readonly verdicts: WeakMap<CoordinationSettings['catalog'], boolean>;
}

// Per folder: the facts of the nearest package.json at or above it, null when there is none. Read once
// per process, whatever the catalogue: the catalogue is asked of them for each file.
const packageFacts = new Map<string, PackageFacts | null>();

/**
 * Can the package of this file reach a store at all? Its nearest `package.json` names a package of the
 * catalogue among its dependencies, or the package is part of a workspace (its other packages may): else
 * no layer of it can hide coordination, and the index reads nothing. A library such as a parser or an
 * effect system has calls everywhere and no store behind any of them; following them all would only cost.
 * Clients reached through a global (`fetch`) alone do not open the index.
 */
function packageMayCoordinate(analysis: FileAnalysis): boolean {
  if (!isAbsolute(analysis.filename)) return false;
  const facts = packageFactsOf(dirname(analysis.filename));
  // No package.json at all: nothing to go by.
  if (facts === null) return true;
  const { catalog } = analysis.settings;
  let verdict = facts.verdicts.get(catalog);
  if (verdict === undefined) {
    verdict = facts.inWorkspace || facts.dependencies.some((name) => catalog.clientsByPackage.has(name));
    facts.verdicts.set(catalog, verdict);
  }
  return verdict;
}

function packageFactsOf(start: string): PackageFacts | null {
  const visited: string[] = [];
  let facts: PackageFacts | null | undefined;
  for (let directory = start; ; ) {
    facts = packageFacts.get(directory);
    if (facts !== undefined) break;
    visited.push(directory);
    const manifest = readManifest(join(directory, 'package.json'));
    if (manifest) {
      const entries = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].flatMap((field) =>
        Object.entries((manifest[field] ?? {}) as Record<string, unknown>),
      );
      const inWorkspace =
        manifest['workspaces'] !== undefined || entries.some(([, version]) => typeof version === 'string' && version.startsWith('workspace:')) || insideWorkspace(directory);
      facts = { dependencies: entries.map(([name]) => name), inWorkspace, verdicts: new WeakMap() };
      break;
    }
    const parent = dirname(directory);
    if (parent === directory) {
      facts = null;
      break;
    }
    directory = parent;
  }
  for (const path of visited) packageFacts.set(path, facts);
  return facts;
}

function readManifest(path: string): Record<string, unknown> | undefined {
  // Most folders have no package.json: ask without an exception (each costs a stack trace).
  if (!statSync(path, { throwIfNoEntry: false })?.isFile()) return undefined;
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** An ancestor folder holds a workspace root (`workspaces` in package.json, or pnpm-workspace.yaml). */
function insideWorkspace(directory: string): boolean {
  const parent = dirname(directory);
  return parent !== directory && isOrInsideWorkspace(parent);
}

// Per folder: it or an ancestor up to the repository's root is a workspace root. Packages side by side
// (node_modules, a vendored folder) share their ancestors: each is asked once, three file lookups each.
const workspaceVerdicts = new Map<string, boolean>();

function isOrInsideWorkspace(directory: string): boolean {
  let verdict = workspaceVerdicts.get(directory);
  if (verdict === undefined) {
    const parent = dirname(directory);
    verdict =
      parent === directory
        ? false
        : existsSync(join(directory, 'pnpm-workspace.yaml')) || readManifest(join(directory, 'package.json'))?.['workspaces'] !== undefined
          ? true
          : existsSync(join(directory, '.git'))
            ? false
            : isOrInsideWorkspace(parent);
    workspaceVerdicts.set(directory, verdict);
  }
  return verdict;
}

const texts = new Map<string, ReadOnChange<string | undefined>>();

/** Does the module's text contain `name`? Read once per modification time; `true` when it cannot be read (let the parse decide). */
function mentions(path: string, name: string): boolean {
  const text = readOnChange(texts, path, (stats) => {
    try {
      return stats.size <= MAX_MODULE_BYTES ? readFileSync(path, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  })?.value;
  return text === undefined || text.includes(name);
}

/** The parts of a binding's first definition the index reads; `other` for a kind it follows no further (a type). */
type FirstDefinition =
  | Pick<Extract<TSESLint.Scope.Definition, { type: 'FunctionName' }>, 'type' | 'node'>
  | Pick<Extract<TSESLint.Scope.Definition, { type: 'ClassName' }>, 'type' | 'node'>
  | Pick<Extract<TSESLint.Scope.Definition, { type: 'Variable' }>, 'type' | 'node'>
  | Pick<Extract<TSESLint.Scope.Definition, { type: 'ImportBinding' }>, 'type' | 'node' | 'parent' | 'name'>
  | { readonly type: 'other' };

/**
 * The first definition of a module's top-level binding `name`: in the module scope (ESM, TypeScript),
 * else the global one (scripts). A module read only for an export or two is answered from its statements
 * (over typeorm's `src` and `test`, 23 of the 68 modules the index parsed needed scope analysis for
 * nothing else); scope analysis answers where they cannot, or where it has run already.
 */
function moduleDefinition(analysis: FileAnalysis, name: string): FirstDefinition | undefined {
  const { sourceCode } = analysis;
  if (!scopeAnalysed(sourceCode)) {
    const found = topLevelDefinition(sourceCode.ast, name);
    if (found !== undefined) return found ?? undefined;
  }
  const { scopeManager, ast } = sourceCode;
  const scope = scopeManager?.acquire(ast, true) ?? scopeManager?.globalScope;
  return scope ? (ASTUtils.findVariable(scope, name)?.defs[0] as FirstDefinition | undefined) : undefined;
}

/** Top-level statements that bind no name of their own. */
const BINDS_NOTHING: ReadonlySet<string> = new Set([
  AST_NODE_TYPES.ExpressionStatement,
  AST_NODE_TYPES.EmptyStatement,
  AST_NODE_TYPES.ExportAllDeclaration,
  AST_NODE_TYPES.TSExportAssignment,
]);

/**
 * What scope analysis gives as the first definition of the top-level `name`, read off the program's
 * statements in order, as scope analysis defines them: `null` when no statement binds it, `undefined`
 * where syntax alone cannot tell before the binding is found (a block, loop or `if` that may hold a
 * hoisted `var`; a `declare`, an enum, a namespace, `import x = require()`, an overload).
 */
export function topLevelDefinition(program: TSESTree.Program, name: string): FirstDefinition | null | undefined {
  for (const statement of program.body) {
    const declaration =
      statement.type === AST_NODE_TYPES.ExportNamedDeclaration || statement.type === AST_NODE_TYPES.ExportDefaultDeclaration ? statement.declaration : statement;
    // export { a }, export { a } from './b': no binding of this module
    if (!declaration) continue;
    switch (declaration.type) {
      case AST_NODE_TYPES.ImportDeclaration: {
        const specifier = declaration.specifiers.find((candidate) => candidate.local.name === name);
        if (specifier) return { type: 'ImportBinding', node: specifier, parent: declaration, name: specifier.local } as FirstDefinition;
        break;
      }
      case AST_NODE_TYPES.FunctionDeclaration:
        if (declaration.declare) return undefined;
        if (declaration.id?.name === name) return { type: 'FunctionName', node: declaration } as FirstDefinition;
        break;
      case AST_NODE_TYPES.ClassDeclaration:
        if (declaration.declare) return undefined;
        if (declaration.id?.name === name) return { type: 'ClassName', node: declaration } as FirstDefinition;
        break;
      case AST_NODE_TYPES.VariableDeclaration: {
        if (declaration.declare || (declaration.kind !== 'const' && declaration.kind !== 'let' && declaration.kind !== 'var')) return undefined;
        const declarator = declaration.declarations.find((candidate) => patternBinds(candidate.id, name));
        if (declarator) return { type: 'Variable', node: declarator } as FirstDefinition;
        break;
      }
      case AST_NODE_TYPES.TSInterfaceDeclaration:
      case AST_NODE_TYPES.TSTypeAliasDeclaration:
        if (declaration.declare) return undefined;
        if (declaration.id.name === name) return { type: 'other' };
        break;
      default:
        // export default <expression>
        if (statement.type === AST_NODE_TYPES.ExportDefaultDeclaration && declaration.type !== AST_NODE_TYPES.TSDeclareFunction) break;
        if (!BINDS_NOTHING.has(declaration.type)) return undefined;
    }
  }
  return null;
}

/** Does a declarator's binding pattern bind `name`: `a`, `{ a }`, `{ b: [a] }`, `{ ...a }`, `[a = 1]`? */
function patternBinds(pattern: TSESTree.Node | null, name: string): boolean {
  if (!pattern) return false;
  switch (pattern.type) {
    case AST_NODE_TYPES.Identifier:
      return pattern.name === name;
    case AST_NODE_TYPES.ObjectPattern:
      return pattern.properties.some((property) => patternBinds(property.type === AST_NODE_TYPES.Property ? property.value : property, name));
    case AST_NODE_TYPES.ArrayPattern:
      return pattern.elements.some((element) => patternBinds(element, name));
    case AST_NODE_TYPES.AssignmentPattern:
      return patternBinds(pattern.left, name);
    case AST_NODE_TYPES.RestElement:
      return patternBinds(pattern.argument, name);
    default:
      return false;
  }
}

/** `require('./x')` → `./x`. */
function requiredSpecifier(node: TSESTree.Node | null | undefined): string | undefined {
  if (node?.type !== AST_NODE_TYPES.CallExpression || node.callee.type !== AST_NODE_TYPES.Identifier || node.callee.name !== 'require') return undefined;
  const [argument] = node.arguments;
  return argument?.type === AST_NODE_TYPES.Literal && typeof argument.value === 'string' ? argument.value : undefined;
}

function propertyKey(property: TSESTree.Property | TSESTree.MethodDefinition | TSESTree.PropertyDefinition): string | undefined {
  if (property.computed) return property.key.type === AST_NODE_TYPES.Literal && typeof property.key.value === 'string' ? property.key.value : undefined;
  if (property.key.type === AST_NODE_TYPES.Identifier) return property.key.name;
  return property.key.type === AST_NODE_TYPES.Literal ? String(property.key.value) : undefined;
}

/** What an expression of `analysis` evaluates to, as far as the index can tell. */
function expressionDeclaration(analysis: FileAnalysis, node: TSESTree.Node, name: string, hops: number): Declaration | undefined {
  if (hops > MAX_HOPS) return undefined;
  let value = node;
  while (value.type === AST_NODE_TYPES.TSAsExpression || value.type === AST_NODE_TYPES.TSSatisfiesExpression || value.type === AST_NODE_TYPES.TSNonNullExpression) {
    value = value.expression;
  }
  if (isFunction(value)) return { kind: 'function', node: value, name, analysis };
  switch (value.type) {
    case AST_NODE_TYPES.ClassExpression:
      return { kind: 'class', node: value, analysis };
    case AST_NODE_TYPES.ObjectExpression:
      return { kind: 'object', node: value, analysis };
    case AST_NODE_TYPES.Identifier:
      return identifierDeclaration(analysis, value, hops + 1);
    case AST_NODE_TYPES.NewExpression: {
      const constructed = expressionDeclaration(analysis, value.callee, name, hops + 1);
      return constructed?.kind === 'class' ? { kind: 'instance', node: constructed.node, analysis: constructed.analysis } : undefined;
    }
    case AST_NODE_TYPES.CallExpression: {
      const specifier = requiredSpecifier(value);
      const required = specifier === undefined ? undefined : importedModule(analysis, specifier);
      return required ? { kind: 'module', analysis: required } : undefined;
    }
    case AST_NODE_TYPES.MemberExpression: {
      // require('./x').save, repo.save
      const key = value.computed ? undefined : value.property.type === AST_NODE_TYPES.Identifier ? value.property.name : undefined;
      const object = key === undefined ? undefined : expressionDeclaration(analysis, value.object, key, hops + 1);
      return object && key ? memberDeclaration(object, key, hops + 1) : undefined;
    }
    default:
      return undefined;
  }
}

/** What a name bound in `analysis` stands for: a local declaration, or an import followed to its module. */
export function identifierDeclaration(analysis: FileAnalysis, identifier: TSESTree.Identifier, hops = 0): Declaration | undefined {
  const variable = variableOf(analysis.sourceCode, identifier);
  return variable ? variableDeclaration(analysis, variable, hops) : undefined;
}

// A file's calls name the same few bindings over and over (`Effect.map`, `repo.save`): one answer per
// binding. Only searches that start fresh (hops 0) are kept, since a deeper one may be cut short.
const variableDeclarations = fileMemo<TSESLint.Scope.Variable, Declaration | undefined>();

function variableDeclaration(analysis: FileAnalysis, variable: TSESLint.Scope.Variable, hops: number): Declaration | undefined {
  const def = variable.defs[0] as FirstDefinition | undefined;
  if (!def) return undefined;
  if (hops === 0) return variableDeclarations.get(analysis, variable, () => definitionDeclaration(analysis, def, variable.name, 0));
  return definitionDeclaration(analysis, def, variable.name, hops);
}

/** What the binding `name`, first defined by `def`, stands for. */
function definitionDeclaration(analysis: FileAnalysis, def: FirstDefinition, name: string, hops: number): Declaration | undefined {
  if (hops > MAX_HOPS) return undefined;
  switch (def.type) {
    case 'FunctionName':
      return isFunction(def.node) ? { kind: 'function', node: def.node, name, analysis } : undefined;
    case 'ClassName':
      return def.node.type === AST_NODE_TYPES.ClassDeclaration || def.node.type === AST_NODE_TYPES.ClassExpression
        ? { kind: 'class', node: def.node, analysis }
        : undefined;
    case 'ImportBinding': {
      const imported = importOf(def);
      const target = imported && !imported.typeOnly ? importedModule(analysis, imported.source) : undefined;
      if (!imported || !target) return undefined;
      return imported.name === '*' ? { kind: 'module', analysis: target } : exportDeclaration(target, imported.name, hops + 1);
    }
    case 'Variable': {
      const declarator = def.node;
      if (!declarator.init) return undefined;
      // const { save } = require('./repo'), const { save } = repo
      if (declarator.id.type === AST_NODE_TYPES.ObjectPattern) {
        const property = declarator.id.properties.find(
          (candidate): candidate is TSESTree.Property =>
            candidate.type === AST_NODE_TYPES.Property && candidate.value.type === AST_NODE_TYPES.Identifier && candidate.value.name === name,
        );
        const key = property && propertyKey(property);
        const source = key === undefined ? undefined : expressionDeclaration(analysis, declarator.init, key, hops + 1);
        return source && key ? memberDeclaration(source, key, hops + 1) : undefined;
      }
      // Only a binding that keeps its value says what it holds.
      if (declarator.id.type !== AST_NODE_TYPES.Identifier || declarator.parent.kind !== 'const') return undefined;
      return expressionDeclaration(analysis, declarator.init, name, hops + 1);
    }
    default:
      return undefined;
  }
}

/** The declaration a module exports as `name` (`default` for the default export), ESM or CommonJS. */
export function exportDeclaration(module: FileAnalysis, name: string, hops = 0): Declaration | undefined {
  if (hops > MAX_HOPS) return undefined;
  // Every importer asks the module for the same names: one answer per name and depth, on the module.
  const answers = exportAnswers.get(module, () => new Map());
  const key = `${hops}:${name}`;
  if (answers.has(key)) return answers.get(key);
  const found = findExportDeclaration(module, name, hops);
  answers.set(key, found);
  return found;
}

const exportAnswers = fileValue<Map<string, Declaration | undefined>>();

function findExportDeclaration(module: FileAnalysis, name: string, hops: number): Declaration | undefined {
  const program = module.sourceCode.ast;
  const local = (localName: string): Declaration | undefined => {
    const def = moduleDefinition(module, localName);
    return def ? definitionDeclaration(module, def, localName, hops + 1) : undefined;
  };
  for (const statement of program.body) {
    switch (statement.type) {
      case AST_NODE_TYPES.ExportNamedDeclaration: {
        const declaration = statement.declaration;
        if (declaration) {
          if ((declaration.type === AST_NODE_TYPES.FunctionDeclaration || declaration.type === AST_NODE_TYPES.ClassDeclaration) && declaration.id?.name === name) {
            return local(name);
          }
          if (declaration.type === AST_NODE_TYPES.VariableDeclaration && declaration.declarations.some((d) => d.id.type === AST_NODE_TYPES.Identifier && d.id.name === name)) {
            return local(name);
          }
          continue;
        }
        for (const specifier of statement.specifiers) {
          const exported = specifier.exported.type === AST_NODE_TYPES.Identifier ? specifier.exported.name : String(specifier.exported.value);
          if (exported !== name) continue;
          const localName = specifier.local.type === AST_NODE_TYPES.Identifier ? specifier.local.name : String(specifier.local.value);
          if (!statement.source) return local(localName);
          const target = importedModule(module, statement.source.value);
          return target ? exportDeclaration(target, localName, hops + 1) : undefined;
        }
        break;
      }
      case AST_NODE_TYPES.ExportAllDeclaration: {
        const target = importedModule(module, statement.source.value, statement.exported ? undefined : name);
        if (!target) break;
        if (statement.exported) {
          if (exportedName(statement.exported) === name) return { kind: 'module', analysis: target };
          break;
        }
        // export * does not re-export the default
        const found = name === 'default' ? undefined : exportDeclaration(target, name, hops + 1);
        if (found) return found;
        break;
      }
      case AST_NODE_TYPES.ExportDefaultDeclaration: {
        if (name !== 'default') break;
        const declaration = statement.declaration;
        if (declaration.type === AST_NODE_TYPES.FunctionDeclaration) return { kind: 'function', node: declaration, name: declaration.id?.name ?? 'default', analysis: module };
        if (declaration.type === AST_NODE_TYPES.ClassDeclaration) return { kind: 'class', node: declaration, analysis: module };
        return expressionDeclaration(module, declaration, 'default', hops + 1);
      }
      case AST_NODE_TYPES.ExpressionStatement: {
        const found = commonJsExport(module, statement.expression, name, hops);
        if (found) return found;
        break;
      }
      default:
        break;
    }
  }
  return undefined;
}

/** `module.exports = X`, `module.exports.name = X`, `exports.name = X`. */
function commonJsExport(module: FileAnalysis, expression: TSESTree.Expression, name: string, hops: number): Declaration | undefined {
  if (expression.type !== AST_NODE_TYPES.AssignmentExpression || expression.operator !== '=') return undefined;
  const target = expression.left;
  if (target.type !== AST_NODE_TYPES.MemberExpression || target.computed || target.property.type !== AST_NODE_TYPES.Identifier) return undefined;
  const isModuleExports = (node: TSESTree.Node): boolean =>
    node.type === AST_NODE_TYPES.MemberExpression &&
    !node.computed &&
    node.object.type === AST_NODE_TYPES.Identifier &&
    node.object.name === 'module' &&
    node.property.type === AST_NODE_TYPES.Identifier &&
    node.property.name === 'exports';
  if (isModuleExports(target)) {
    const whole = expressionDeclaration(module, expression.right, name, hops + 1);
    if (name === 'default' || !whole) return whole;
    return memberDeclaration(whole, name, hops + 1);
  }
  const exportsObject = target.object.type === AST_NODE_TYPES.Identifier && target.object.name === 'exports';
  if ((exportsObject || isModuleExports(target.object)) && target.property.name === name) {
    return expressionDeclaration(module, expression.right, name, hops + 1);
  }
  return undefined;
}

/** `repo.save`: the member `name` of what `object` stands for. */
export function memberDeclaration(object: Declaration, name: string, hops = 0): Declaration | undefined {
  if (hops > MAX_HOPS) return undefined;
  switch (object.kind) {
    case 'module':
      return exportDeclaration(object.analysis, name, hops + 1);
    case 'object': {
      for (const property of object.node.properties) {
        if (property.type !== AST_NODE_TYPES.Property || propertyKey(property) !== name) continue;
        // { save } and { save: saveUser } and { async save() {} }
        return expressionDeclaration(object.analysis, property.value, name, hops + 1);
      }
      return undefined;
    }
    case 'class':
      return classMember(object.analysis, object.node, name, true, hops + 1);
    case 'instance':
      return classMember(object.analysis, object.node, name, false, hops + 1);
    default:
      return undefined;
  }
}

/** A method of a class, or of the classes it extends; `isStatic` picks static members. */
export function classMember(
  analysis: FileAnalysis,
  node: TSESTree.ClassDeclaration | TSESTree.ClassExpression,
  name: string,
  isStatic: boolean,
  hops = 0,
): Declaration | undefined {
  if (hops > MAX_HOPS) return undefined;
  for (const member of node.body.body) {
    if ((member.type !== AST_NODE_TYPES.MethodDefinition && member.type !== AST_NODE_TYPES.PropertyDefinition) || member.static !== isStatic) continue;
    if (propertyKey(member) !== name) continue;
    if (member.type === AST_NODE_TYPES.MethodDefinition) return member.kind === 'method' ? { kind: 'function', node: member.value, name, analysis } : undefined;
    return member.value && isFunction(member.value) ? { kind: 'function', node: member.value, name, analysis } : undefined;
  }
  // Inherited: class UserRepo extends BaseRepo
  if (!node.superClass) return undefined;
  const parent = expressionDeclaration(analysis, node.superClass, name, hops + 1);
  return parent?.kind === 'class' ? classMember(parent.analysis, parent.node, name, isStatic, hops + 1) : undefined;
}

/** The class a type annotation names, when it is a project class: `userService: UserService`. */
function annotatedClass(analysis: FileAnalysis, annotation: TSESTree.TSTypeAnnotation | undefined, hops: number): Declaration | undefined {
  const type = annotation?.typeAnnotation;
  if (type?.type !== AST_NODE_TYPES.TSTypeReference || type.typeName.type !== AST_NODE_TYPES.Identifier) return undefined;
  // A type name's binding: an import (value or type-only) or a class of this module.
  const variable = variableOf(analysis.sourceCode, type.typeName);
  const def = variable?.defs[0];
  if (def?.type === 'ImportBinding') {
    // A type-only import names a class as well as a value import does.
    const imported = importOf(def);
    const target = imported && imported.name !== '*' ? importedModule(analysis, imported.source) : undefined;
    const found = target ? exportDeclaration(target, imported!.name, hops + 1) : undefined;
    return found?.kind === 'class' ? found : undefined;
  }
  const found = variable ? variableDeclaration(analysis, variable, hops + 1) : undefined;
  return found?.kind === 'class' ? found : undefined;
}

/**
 * `this.<field>` inside a class: the project class instance it holds, from a constructor parameter
 * property or a typed field (dependency injection: NestJS, tsyringe, InversifyJS), a field initialised
 * with `new X()`, or `this.<field> = new X()` / `= param` in the constructor.
 */
export function fieldDeclaration(analysis: FileAnalysis, classNode: TSESTree.ClassBody, field: string, hops = 0): Declaration | undefined {
  const asInstance = (found: Declaration | undefined): Declaration | undefined =>
    found?.kind === 'class' ? { kind: 'instance', node: found.node, analysis: found.analysis } : found?.kind === 'instance' ? found : undefined;
  for (const member of classNode.body) {
    if (member.type === AST_NODE_TYPES.PropertyDefinition && !member.static && propertyKey(member) === field) {
      if (member.value) {
        const value = asInstance(expressionDeclaration(analysis, member.value, field, hops + 1));
        if (value) return value;
      }
      return asInstance(annotatedClass(analysis, member.typeAnnotation, hops));
    }
    if (member.type !== AST_NODE_TYPES.MethodDefinition || member.kind !== 'constructor') continue;
    for (const param of member.value.params) {
      if (param.type !== AST_NODE_TYPES.TSParameterProperty) continue;
      const binding = param.parameter.type === AST_NODE_TYPES.AssignmentPattern ? param.parameter.left : param.parameter;
      if (binding.type === AST_NODE_TYPES.Identifier && binding.name === field) return asInstance(annotatedClass(analysis, binding.typeAnnotation, hops));
    }
    // this.repo = new Repo(), this.repo = repo (a typed constructor parameter)
    for (const statement of member.value.body?.body ?? []) {
      if (statement.type !== AST_NODE_TYPES.ExpressionStatement || statement.expression.type !== AST_NODE_TYPES.AssignmentExpression) continue;
      const { left, right } = statement.expression;
      if (left.type !== AST_NODE_TYPES.MemberExpression || left.object.type !== AST_NODE_TYPES.ThisExpression || left.computed) continue;
      if (left.property.type !== AST_NODE_TYPES.Identifier || left.property.name !== field) continue;
      if (right.type === AST_NODE_TYPES.Identifier) {
        const param = member.value.params.find((candidate) => candidate.type === AST_NODE_TYPES.Identifier && candidate.name === right.name);
        if (param?.type === AST_NODE_TYPES.Identifier) return asInstance(annotatedClass(analysis, param.typeAnnotation, hops));
      }
      return asInstance(expressionDeclaration(analysis, right, field, hops + 1));
    }
  }
  return undefined;
}

/**
 * What an import binding imports: the module, the export name (`default`, or `*` for a namespace or
 * `import x = require('m')`), and whether it is type-only. `undefined` for `import A = B.C` (an alias).
 */
function importOf(def: Pick<Extract<TSESLint.Scope.Definition, { type: 'ImportBinding' }>, 'node' | 'parent'>): { source: string; name: string; typeOnly: boolean } | undefined {
  const source = importSource(def.parent);
  if (source === undefined) return undefined;
  const specifier = def.node;
  const name =
    specifier.type === AST_NODE_TYPES.ImportSpecifier ? exportedName(specifier.imported) : specifier.type === AST_NODE_TYPES.ImportDefaultSpecifier ? 'default' : '*';
  const typeOnly =
    (def.parent.type === AST_NODE_TYPES.ImportDeclaration && def.parent.importKind === 'type') ||
    (specifier.type === AST_NODE_TYPES.ImportSpecifier && specifier.importKind === 'type');
  return { source, name, typeOnly };
}

/** `export { a as "b" }`: an export name may be a string literal. */
function exportedName(node: TSESTree.Identifier | TSESTree.StringLiteral): string {
  return node.type === AST_NODE_TYPES.Identifier ? node.name : node.value;
}

/** `src/services/user-repo.ts`: a module's path for messages, relative to `cwd` when inside it. */
export function displayPath(path: string, cwd: string | undefined): string {
  if (!cwd) return path;
  const inside = relative(cwd, path);
  return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? path : inside.split(sep).join('/');
}

/** The node that gives an export its value, and its module: a class, a function, or a `const`'s initialiser. */
export interface ExportedValue {
  readonly analysis: FileAnalysis;
  readonly node: TSESTree.Node;
}

/**
 * Where the value of `import { name } from specifier` is made, when `specifier` is a module of the
 * project: the class declaration or the expression bound to the export (`export const prisma = new
 * PrismaClient()`), following re-exports and barrels. The caller resolves that node in its own module.
 */
export function exportedValue(from: FileAnalysis, specifier: string, name: string): ExportedValue | undefined {
  const module = importedModule(from, specifier);
  return module ? valueOfExport(module, name, 0) : undefined;
}

function valueOfExport(module: FileAnalysis, name: string, hops: number): ExportedValue | undefined {
  if (hops > MAX_HOPS) return undefined;
  const ofLocal = (localName: string): ExportedValue | undefined => {
    const def = moduleDefinition(module, localName);
    if (!def) return undefined;
    if (def.type === 'ClassName' || def.type === 'FunctionName') return { analysis: module, node: def.node };
    if (def.type === 'Variable' && def.node.id.type === AST_NODE_TYPES.Identifier && def.node.init) return { analysis: module, node: def.node.init };
    if (def.type === 'ImportBinding') {
      const imported = importOf(def);
      if (!imported || imported.name === '*') return undefined;
      const next = importedModule(module, imported.source);
      // A package's export is the node of this module that imports it: the caller resolves it there.
      return next ? valueOfExport(next, imported.name, hops + 1) : { analysis: module, node: def.name };
    }
    return undefined;
  };
  for (const statement of module.sourceCode.ast.body) {
    if (statement.type === AST_NODE_TYPES.ExportNamedDeclaration) {
      const declaration = statement.declaration;
      if (declaration) {
        const declares =
          ((declaration.type === AST_NODE_TYPES.FunctionDeclaration || declaration.type === AST_NODE_TYPES.ClassDeclaration) && declaration.id?.name === name) ||
          (declaration.type === AST_NODE_TYPES.VariableDeclaration && declaration.declarations.some((d) => d.id.type === AST_NODE_TYPES.Identifier && d.id.name === name));
        if (declares) return ofLocal(name);
        continue;
      }
      for (const specifier of statement.specifiers) {
        if (exportedName(specifier.exported) !== name) continue;
        const localName = exportedName(specifier.local);
        if (!statement.source) return ofLocal(localName);
        const next = importedModule(module, statement.source.value);
        return next ? valueOfExport(next, localName, hops + 1) : undefined;
      }
    } else if (statement.type === AST_NODE_TYPES.ExportAllDeclaration && !statement.exported && name !== 'default') {
      const next = importedModule(module, statement.source.value, name);
      const found = next ? valueOfExport(next, name, hops + 1) : undefined;
      if (found) return found;
    } else if (statement.type === AST_NODE_TYPES.ExportDefaultDeclaration && name === 'default') {
      const declaration = statement.declaration;
      if (declaration.type === AST_NODE_TYPES.Identifier) return ofLocal(declaration.name);
      return { analysis: module, node: declaration };
    }
  }
  return undefined;
}
