// Both rule testers need the test framework's hooks (typescript-eslint's "Vitest" docs; ESLint's
// RuleTester exposes the same static setters).
import { RuleTester } from '@typescript-eslint/rule-tester';
import { RuleTester as CoreRuleTester } from 'eslint';
import { afterAll, describe, it } from 'vitest';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const core = CoreRuleTester as unknown as { describe: unknown; it: unknown; itOnly: unknown };
core.describe = describe;
core.it = it;
core.itOnly = it.only;
