/**
 * In-process locks (`async-mutex`, `async-lock`): whether a lock is one every request of the process
 * shares, and the code it guards.
 */
import { TSESTree } from '@typescript-eslint/types';
import { enclosingClassBody, enclosingFunction, variableOf } from './ast-helpers.js';
import type { FileAnalysis } from './file-analysis.js';
import { unwrap } from './shapes.js';
import { isFunction } from './traverse.js';

const { AST_NODE_TYPES } = TSESTree;

/**
 * A lock every request of the process shares: a module-level binding, a static field, or a field
 * of a singleton service (a decorated class such as NestJS `@Injectable()`, or one named `*Service`).
 * A field of a per-connection or per-entity object is not.
 */
export function isProcessWide(analysis: FileAnalysis, receiver: TSESTree.Node): boolean {
  const { sourceCode } = analysis;
  const target = unwrap(receiver);
  if (target.type === AST_NODE_TYPES.Identifier) {
    const variable = variableOf(sourceCode, target);
    return variable?.scope.type === 'module' || variable?.scope.type === 'global';
  }
  if (target.type !== AST_NODE_TYPES.MemberExpression) return false;
  const object = unwrap(target.object);
  if (object.type === AST_NODE_TYPES.Identifier) {
    // ClassName.mutex: a static field
    return variableOf(sourceCode, object)?.defs[0]?.type === 'ClassName';
  }
  if (object.type !== AST_NODE_TYPES.ThisExpression) return false;
  const owner = enclosingClassBody(target)?.parent;
  if (owner?.type !== AST_NODE_TYPES.ClassDeclaration && owner?.type !== AST_NODE_TYPES.ClassExpression) return false;
  return (owner.decorators?.length ?? 0) > 0 || analysis.settings.catalog.vocabulary.serviceClasses.test(owner.id?.name ?? '');
}

/** The code the lock guards: the callback it runs, or the rest of the function after `await mutex.acquire()`. */
export function criticalSection(node: TSESTree.CallExpression): { body: TSESTree.Node; after: number } | undefined {
  const callback = node.arguments.find((argument) => isFunction(argument));
  if (callback) return { body: callback, after: callback.range[0] };
  // etcd.lock(key).do(async () => …)
  const chained = node.parent?.type === AST_NODE_TYPES.MemberExpression && node.parent.object === node ? node.parent.parent : undefined;
  const chainedCallback = chained?.type === AST_NODE_TYPES.CallExpression ? chained.arguments.find((argument) => isFunction(argument)) : undefined;
  if (chainedCallback) return { body: chainedCallback, after: chainedCallback.range[0] };
  const fn = enclosingFunction(node);
  return fn ? { body: fn.body ?? fn, after: node.range[1] } : undefined;
}
