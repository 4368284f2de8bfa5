/**
 * Compiles a routing expression AST to plain closures, once, so evaluation on the routing hot path
 * does no parsing and no AST walking. Evaluation never throws on any JSON-ish input.
 */
import type { EvaluationContext, Expression, Operand, Root } from './expressions.ts';

type Getter = (ctx: EvaluationContext) => unknown;
type Predicate = (ctx: EvaluationContext) => boolean;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function compilePath(root: Root, segments: string[]): Getter {
  return (ctx) => {
    let current: unknown = isObject(ctx) ? (Object.hasOwn(ctx, root) ? ctx[root] : undefined) : undefined;
    for (const segment of segments) {
      if (!isObject(current) || !Object.hasOwn(current, segment)) return undefined;
      current = (current as Record<string, unknown>)[segment];
    }
    return current;
  };
}

function compileOperand(o: Operand): Getter {
  if (o.kind === 'path') return compilePath(o.root, o.segments);
  if (o.kind === 'list') {
    const values = o.items.map((i) => i.value);
    return () => values;
  }
  const value = o.value;
  return () => value;
}

/** Structural equality for JSON values; numbers by value, strings case-sensitive. */
export function valueEquals(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (depth > 32 || !isObject(a) || !isObject(b)) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => valueEquals(x, b[i], depth + 1));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && valueEquals(a[k], b[k], depth + 1));
}

const includesValue = (list: unknown, v: unknown): boolean =>
  v !== undefined && Array.isArray(list) && list.some((item) => valueEquals(item, v));

const ordered = (a: unknown, b: unknown): boolean =>
  (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');

function compileComparison(e: Extract<Expression, { kind: 'compare' }>): Predicate {
  const left = compileOperand(e.left);
  const right = compileOperand(e.right);
  switch (e.operator) {
    case '==':
      return (c) => {
        const a = left(c);
        const b = right(c);
        return a !== undefined && b !== undefined && valueEquals(a, b);
      };
    case '!=':
      return (c) => {
        const a = left(c);
        const b = right(c);
        return a === undefined || b === undefined || !valueEquals(a, b);
      };
    case '<':
      return (c) => {
        const a = left(c);
        const b = right(c);
        return ordered(a, b) && (a as number) < (b as number);
      };
    case '<=':
      return (c) => {
        const a = left(c);
        const b = right(c);
        return ordered(a, b) && (a as number) <= (b as number);
      };
    case '>':
      return (c) => {
        const a = left(c);
        const b = right(c);
        return ordered(a, b) && (a as number) > (b as number);
      };
    case '>=':
      return (c) => {
        const a = left(c);
        const b = right(c);
        return ordered(a, b) && (a as number) >= (b as number);
      };
    case 'IN':
    case 'NOT IN': {
      let inList: Predicate;
      // Fast path: a literal list of scalars becomes a Set lookup.
      if (e.right.kind === 'list') {
        const set = new Set<unknown>(e.right.items.map((i) => i.value));
        inList = (c) => {
          const a = left(c);
          return a !== undefined && set.has(a);
        };
      } else {
        inList = (c) => includesValue(right(c), left(c));
      }
      return e.operator === 'IN' ? inList : (c) => !inList(c);
    }
    case 'HAS':
      return (c) => {
        const a = left(c);
        const b = right(c);
        if (b === undefined) return false;
        if (Array.isArray(a)) return includesValue(a, b);
        if (isObject(a) && (typeof b === 'string' || typeof b === 'number')) {
          const key = String(b);
          return Object.hasOwn(a, key) && a[key] !== undefined;
        }
        return false;
      };
    case 'CONTAINS':
      return (c) => {
        const a = left(c);
        const b = right(c);
        if (typeof a === 'string') return typeof b === 'string' && a.toLowerCase().includes(b.toLowerCase());
        return includesValue(a, b);
      };
  }
}

export function buildEvaluator(ast: Expression): (ctx: EvaluationContext) => boolean {
  const compile = (e: Expression): Predicate => {
    switch (e.kind) {
      case 'compare':
        return compileComparison(e);
      case 'not': {
        const inner = compile(e.operand);
        return (c) => !inner(c);
      }
      case 'and': {
        const l = compile(e.left);
        const r = compile(e.right);
        return (c) => l(c) && r(c);
      }
      case 'or': {
        const l = compile(e.left);
        const r = compile(e.right);
        return (c) => l(c) || r(c);
      }
    }
  };
  const predicate = compile(ast);
  return (ctx) => {
    try {
      return predicate(ctx);
    } catch {
      return false; // defensive: e.g. a hostile getter or a cyclic object; routing must never crash
    }
  };
}
