/**
 * Every rule of the plugin, by name. The package test checks that this map, the rule files, their
 * tests and their docs pages are the same set.
 */
import type { TSESLint } from '@typescript-eslint/utils';
import type { CoordinationRuleDocs } from '../src/util/create-rule.js';
import noCoordinationInLoop from './no-coordination-in-loop.js';
import noGlobalLock from './no-global-lock.js';
import noSyncFanOut from './no-sync-fan-out.js';
import noWallClockOrdering from './no-wall-clock-ordering.js';

/** A rule as the plugin exports it. */
export type CoordinationRule = TSESLint.RuleModule<string, readonly unknown[], CoordinationRuleDocs>;

export const rules: Readonly<Record<string, CoordinationRule>> = {
  'no-coordination-in-loop': noCoordinationInLoop as unknown as CoordinationRule,
  'no-global-lock': noGlobalLock as unknown as CoordinationRule,
  'no-sync-fan-out': noSyncFanOut as unknown as CoordinationRule,
  'no-wall-clock-ordering': noWallClockOrdering as unknown as CoordinationRule,
};
