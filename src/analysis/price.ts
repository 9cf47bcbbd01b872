/**
 * Prices a site in its context with the user's cost model and N, and renders the price for messages.
 */
import { type Estimate, type Multiplier, estimate, formatEstimate } from '../model/cost.js';
import type { ResolvedLevel } from '../model/catalog.js';
import type { FileAnalysis } from './file-analysis.js';

/** The estimate of a site at `level`, multiplied by its context. */
export function priceSite(analysis: FileAnalysis, level: ResolvedLevel, multipliers: readonly Multiplier[]): Estimate {
  const { costModel, participants } = analysis.settings;
  return estimate({ level: level.level, atLeast: level.atLeast, multipliers }, costModel, participants);
}

/** The rendered price of a site: `at least L1 (one store, no agreement): 2 messages …`. */
export function renderPrice(analysis: FileAnalysis, level: ResolvedLevel, multipliers: readonly Multiplier[]): string {
  return formatEstimate(priceSite(analysis, level, multipliers));
}
