/**
 * Builds and reports sites: the one place where a rule's finding becomes a {@link SiteRecord}, is
 * priced by the model, and turns into an ESLint report. A rule says which call and context it found
 * and what to call the smell; levels, prices and the message's price fragment come from here.
 */
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { type ResolvedLevel, clientPackage } from '../model/catalog.js';
import type { ClockSource, OperationSpec } from '../model/catalog-types.js';
import { type Multiplier, estimate } from '../model/cost.js';
import { type Confidence, type SitePrimitive, type SiteRecord, encodeSiteRecord, meetsConfidence, renderSite } from '../model/site.js';
import type { Site } from './classify-call.js';
import type { FileAnalysis } from './file-analysis.js';
import { type Fact, type Judgement, judge, judgementSentence, onOneOffPath, oneOffByPath } from './judgement.js';
import type { LoopContext } from './loop-context.js';
import type { EffectiveSite } from './sql.js';

/** What a rule found: the smell, the primitive behind it, and how the context multiplies it. */
export interface SiteFinding<MessageId extends string> {
  readonly messageId: MessageId;
  /** What the smell is, in a few words: `lock on a constant key`. */
  readonly smell: string;
  readonly primitive: SitePrimitive;
  readonly level: ResolvedLevel;
  /** The calls that reach the primitive, outermost first. */
  readonly path: readonly string[];
  readonly multipliers?: readonly Multiplier[];
  /** False for sites judged by level alone (clock reads): no price. Default true. */
  readonly priced?: boolean;
  readonly wayOut: string;
  /** The loop that runs the site once per item, for the judgement of where its items come from. */
  readonly loop?: LoopContext | undefined;
  /** Evidence only the rule can see (a fan-out's targets fixed in the code), graded with the rest. */
  readonly facts?: readonly Fact[];
}

/** The way out of a per-item site whose iterations write a parent, then its children. */
const PARENT_THEN_CHILD_WAY_OUT =
  "Write each parent with its children in one nested write, or in two phases: all parents in one batch that returns their ids, then all children in one batch (a bulk call per table).";

/** The way out, as the judgement makes it: a parent-then-child loop cannot batch one call type alone. */
function judgedWayOut(wayOut: string, judgement: Judgement | undefined, perItem: boolean): string {
  if (!judgement || !perItem) return wayOut;
  if (judgement.parentThenChild) return PARENT_THEN_CHILD_WAY_OUT;
  if (judgement.unitOfWork) return `${wayOut} The unit of work is already open: hand it every item at once with the framework's batch form (save or insert of an array).`;
  return wayOut;
}

/** The primitive of a catalogue site, as its SQL text (if any) makes it; the package is the client's root when the call did not name it. */
export function catalogPrimitive(analysis: FileAnalysis, site: Site, effective: EffectiveSite): SitePrimitive {
  const pkg = site.package ?? clientPackage(analysis.settings.catalog, site.client.id) ?? null;
  return { kind: effective.kind, operation: effective.pattern?.id ?? site.operation.id, package: pkg, via: site.via };
}

/** The primitive of a catalogue entry reached without a call site of its own (a global, a project wrapper). */
export function specPrimitive(spec: Pick<OperationSpec | ClockSource, 'id' | 'kind'>): SitePrimitive {
  return { kind: spec.kind, operation: spec.id, package: null, via: null };
}

/**
 * The site record of a finding, priced under the file's cost model and N, and judged (context,
 * confidence, evidence) when the node is given.
 */
export function buildSite<MessageId extends string>(analysis: FileAnalysis, rule: string, finding: SiteFinding<MessageId>, node?: TSESTree.Node): SiteRecord {
  return record(analysis, rule, finding, node ? judgeFinding(analysis, finding, node) : undefined);
}

function judgeFinding(analysis: FileAnalysis, finding: SiteFinding<string>, node: TSESTree.Node): Judgement {
  return judge(analysis, { node, loop: finding.loop, ...(finding.facts ? { facts: finding.facts } : {}) });
}

function record(analysis: FileAnalysis, rule: string, finding: SiteFinding<string>, judgement: Judgement | undefined): SiteRecord {
  const multipliers = finding.multipliers ?? [];
  const { costModel, participants } = analysis.settings;
  const price =
    finding.priced === false ? null : estimate(
          { level: finding.level.level, atLeast: finding.level.atLeast, ...(finding.level.shape && { shape: finding.level.shape }), multipliers },
          costModel,
          participants,
        );
  return {
    rule,
    messageId: finding.messageId,
    smell: finding.smell,
    primitive: finding.primitive,
    path: finding.path,
    level: finding.level.level,
    atLeast: finding.level.atLeast,
    multipliers,
    price,
    wayOut: judgedWayOut(finding.wayOut, judgement, finding.loop !== undefined),
    typed: analysis.services !== undefined,
    ...(judgement ? { context: judgement.context, confidence: judgement.confidence, evidence: judgement.evidence } : {}),
  };
}

/**
 * The lowest grade a rule reports: the report's own setting (`settings.coordination.reportMinConfidence`,
 * set by coordination-ladder only) overrides the rule's `minConfidence` option, which defaults to high.
 */
export function minConfidenceOf(context: { readonly options: readonly unknown[] }, analysis: FileAnalysis): Confidence {
  const option = (context.options[0] as { minConfidence?: Confidence } | undefined)?.minConfidence;
  return analysis.settings.reportMinConfidence ?? option ?? 'high';
}

/**
 * The question a rule asks before it searches behind a node: in a test, a seed or a script, a site is
 * graded low by its path unless a function around it says otherwise (a route handler, a consumer), so
 * with the rule's floor above `low` such a node can report nothing. Always "no" elsewhere and at `low`.
 */
export function unreportedOnOneOffPath(context: { readonly options: readonly unknown[] }, analysis: FileAnalysis): (node: TSESTree.Node) => boolean {
  // Settled at the first question, not at the rule's start: most files never ask (no candidate site).
  let oneOff: boolean | undefined;
  return (node) => {
    oneOff ??= minConfidenceOf(context, analysis) !== 'low' && oneOffByPath(analysis);
    return oneOff && onOneOffPath(analysis, node);
  };
}

/** The rule name of a context: `no-global-lock` for `coordination/no-global-lock`. */
function ruleName(id: string): string {
  return id.slice(id.lastIndexOf('/') + 1);
}

/**
 * Builds the finding's site and reports it. The message template reads `{{price}}`, `{{level}}` and
 * `{{advice}}` from the record and ends with `{{site}}`, which carries the encoded record when the
 * report asked for it (`settings.coordination.siteRecords`) and is empty otherwise.
 */
export function reportSite<MessageId extends string>(
  context: Readonly<TSESLint.RuleContext<MessageId, readonly unknown[]>>,
  analysis: FileAnalysis,
  node: TSESTree.Node,
  finding: SiteFinding<MessageId>,
  data: Readonly<Record<string, string>> = {},
  suggest: readonly TSESLint.SuggestionReportDescriptor<MessageId>[] = [],
): SiteRecord {
  const judgement = judgeFinding(analysis, finding, node);
  const site = record(analysis, ruleName(context.id), finding, judgement);
  if (!meetsConfidence(judgement.confidence, minConfidenceOf(context, analysis))) return site;
  const rendered = renderSite(site);
  // A parent-then-child loop has no one bulk call of the same type: no createMany suggestion.
  const suggestions = judgement.parentThenChild ? [] : suggest;
  context.report({
    node,
    messageId: finding.messageId,
    data: {
      ...data,
      price: rendered.price,
      level: rendered.level,
      advice: rendered.advice,
      judgement: `${judgementSentence(judgement)} `,
      site: analysis.settings.siteRecords ? encodeSiteRecord(site) : '',
    },
    suggest: suggestions,
  });
  return site;
}
