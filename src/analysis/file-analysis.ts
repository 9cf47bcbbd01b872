/**
 * Per-file analysis state, computed once per `SourceCode` and shared by every rule (a lazy memo in
 * the style of eslint-plugin-regexp's per-file visitor, without listener sharing).
 */
import type { ParserServicesWithTypeInformation, TSESLint, TSESTree } from '@typescript-eslint/utils';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import type { IndexedClient, Reach } from '../model/catalog.js';
import { type CoordinationSettings, getSettings } from '../settings.js';

/** A node that produces a client value, found by `ReferenceTracker` (`new Redis()`, `createClient()`). */
export interface Origin {
  readonly client: IndexedClient;
  /** The module specifier the client was imported or required from. */
  readonly package: string;
}

/** Everything the analysis knows about one file. */
export interface FileAnalysis {
  readonly sourceCode: Readonly<TSESLint.SourceCode>;
  /** The linted file's name, as ESLint gives it. */
  readonly filename: string;
  /**
   * ESLint's working directory for the lint (the project root); undefined for a module the project index
   * parsed. A file's role is read from its path below it: where the checkout lives never counts.
   */
  readonly cwd: string | undefined;
  readonly settings: CoordinationSettings;
  /**
   * Type information when the file was parsed with a TypeScript program (typed mode). This is the one
   * place that decides whether a file is typed: site records (and so the report) read it from here.
   */
  readonly services: ParserServicesWithTypeInformation | undefined;
  /** Nodes that create clients, from imports and `require` (computed on first use). */
  origins(): ReadonlyMap<TSESTree.Node, Origin>;
  /** Tables of the per-file memos (`fileMemo` in memo.ts), keyed by the memo itself. */
  readonly memo: Map<object, unknown>;
  /** Resolutions of expressions, filled by `resolveValue`. */
  readonly resolutions: WeakMap<TSESTree.Node, unknown>;
}

const analyses = new WeakMap<object, FileAnalysis>();
let builds = 0;
let linted = 0;

/**
 * How many linted files have started so far (not modules the project index parsed): what another
 * module's file looked like is read once per linted file, so an edit is seen by the next lint.
 */
export function lintGeneration(): number {
  return linted;
}

/** How many analyses have been built in this process: tests use it to prove the memo works. */
export function analysisBuildCount(): number {
  return builds;
}

/** The rule context fields the analysis reads. */
export interface AnalysisContext {
  readonly sourceCode: Readonly<TSESLint.SourceCode>;
  readonly filename: string;
  readonly cwd?: string;
  readonly settings: Readonly<Record<string, unknown>>;
}

/**
 * The analysis of the context's file, built on first request and reused by every later rule.
 * Type information is used only when the parser produced a program; `getParserServices(context, true)`
 * is never called because it throws for files that typescript-eslint did not parse.
 */
export function getFileAnalysis(context: AnalysisContext): FileAnalysis {
  const analysis = analyses.get(context.sourceCode);
  if (analysis) return analysis;
  linted += 1;
  const services = context.sourceCode.parserServices;
  const typed = services?.program != null && services.esTreeNodeToTSNodeMap != null;
  return moduleAnalysis(context.sourceCode, context.filename, getSettings(context), typed ? (services as ParserServicesWithTypeInformation) : undefined, context.cwd);
}

/**
 * The analysis of a parsed module under already-resolved settings: the linted file's (above), or
 * another module of the project that the project index parsed (without type information).
 */
export function moduleAnalysis(
  sourceCode: Readonly<TSESLint.SourceCode>,
  filename: string,
  settings: CoordinationSettings,
  services?: ParserServicesWithTypeInformation,
  cwd?: string,
): FileAnalysis {
  let analysis = analyses.get(sourceCode);
  if (analysis) return analysis;
  builds += 1;
  let origins: Map<TSESTree.Node, Origin> | undefined;
  analysis = {
    sourceCode,
    filename,
    cwd,
    settings,
    services,
    origins: () => (origins ??= findOrigins(sourceCode, settings)),
    memo: new Map(),
    resolutions: new WeakMap(),
  };
  analyses.set(sourceCode, analysis);
  return analysis;
}

// The trace map is built dynamically; ReferenceTracker hands each found node its Origin back.
type TraceMap = Record<string, never>;

/** Removes a leading `default` so that `default.Pool` and `Pool` name the same export (CJS interop). */
export function normaliseExportPath(path: readonly string[]): readonly string[] {
  return path.length > 1 && (path[0] === 'default' || path[0] === '*') ? path.slice(1) : path;
}

// The trace map depends on the settings alone: build it once per settings object, not once per file.
const traceMaps = new WeakMap<CoordinationSettings, TraceMap>();

function traceMapFor(settings: CoordinationSettings): TraceMap {
  let traceMap = traceMaps.get(settings);
  if (!traceMap) {
    traceMap = buildTraceMap(settings);
    traceMaps.set(settings, traceMap);
  }
  return traceMap;
}

function buildTraceMap(settings: CoordinationSettings): TraceMap {
  const traceMap: TraceMap = {};
  for (const [pkg, clients] of settings.catalog.clientsByPackage) {
    const root: Record<string | symbol, unknown> = {};
    traceMap[pkg] = root as TraceMap[string];
    for (const client of clients) {
      for (const reach of client.parsedReach) {
        const marker = markerFor(reach);
        if (!marker) continue;
        let node = root;
        const path = normaliseExportPath(reach.path);
        for (const segment of path[0] === 'default' ? [] : path) {
          node[segment] ??= {};
          node = node[segment] as Record<string | symbol, unknown>;
        }
        node[marker] ??= { client, package: pkg } satisfies Origin;
      }
    }
  }
  return traceMap;
}

function markerFor(reach: Reach): symbol | undefined {
  if (reach.type === 'new') return ASTUtils.ReferenceTracker.CONSTRUCT;
  if (reach.type === 'call') return ASTUtils.ReferenceTracker.CALL;
  return undefined;
}

function findOrigins(sourceCode: Readonly<TSESLint.SourceCode>, settings: CoordinationSettings): Map<TSESTree.Node, Origin> {
  const origins = new Map<TSESTree.Node, Origin>();
  const traceMap = traceMapFor(settings);
  const tracker = new ASTUtils.ReferenceTracker(sourceCode.scopeManager!.globalScope!, { mode: 'legacy' });
  for (const found of tracker.iterateEsmReferences<Origin>(traceMap)) origins.set(found.node, found.info);
  for (const found of tracker.iterateCjsReferences<Origin>(traceMap)) origins.set(found.node, found.info);
  return origins;
}
