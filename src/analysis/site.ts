/**
 * Builds and reports sites: the one place where a rule's finding becomes a {@link SiteRecord}, is
 * priced by the model, and turns into an ESLint report. A rule says which call and context it found
 * and what to call the smell; levels, prices and the message's price fragment come from here.
 */
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { type ResolvedLevel, clientPackage } from '../model/catalog.js';
import type { GlobalSpec, OperationSpec } from '../model/catalog-types.js';
import { type Multiplier, estimate } from '../model/cost.js';
import { type SitePrimitive, type SiteRecord, encodeSiteRecord, renderSite } from '../model/site.js';
import type { Site } from './classify-call.js';
import type { FileAnalysis } from './file-analysis.js';
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
}

/** The primitive of a catalogue site, as its SQL text (if any) makes it; the package is the client's root when the call did not name it. */
export function catalogPrimitive(analysis: FileAnalysis, site: Site, effective: EffectiveSite): SitePrimitive {
  const pkg = site.package ?? clientPackage(analysis.settings.catalog, site.client.id) ?? null;
  return { kind: effective.kind, operation: effective.pattern?.id ?? site.operation.id, package: pkg, via: site.via };
}

/** The primitive of a catalogue entry reached without a call site of its own (a global, a project wrapper). */
export function specPrimitive(spec: Pick<OperationSpec | GlobalSpec, 'id' | 'kind'>): SitePrimitive {
  return { kind: spec.kind, operation: spec.id, package: null, via: null };
}

/** The site record of a finding, priced under the file's cost model and N. */
export function buildSite<MessageId extends string>(analysis: FileAnalysis, rule: string, finding: SiteFinding<MessageId>): SiteRecord {
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
    wayOut: finding.wayOut,
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
  const record = buildSite(analysis, ruleName(context.id), finding);
  const rendered = renderSite(record);
  context.report({
    node,
    messageId: finding.messageId,
    data: {
      ...data,
      price: rendered.price,
      level: rendered.level,
      advice: rendered.advice,
      site: analysis.settings.siteRecords ? encodeSiteRecord(record) : '',
    },
    suggest,
  });
  return record;
}
