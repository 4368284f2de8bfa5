import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildEvaluator,
  ExpressionError,
  parseExpression,
  printExpression,
  ROOTS,
  type ComparisonOperator,
  type EvaluationContext,
  type Expression,
  type LiteralNode,
  type Operand,
  type Scalar,
} from '../../../src/routing/engine/expressions.ts';

// Spans are filled in by the parser; generated nodes carry zeros and comparisons ignore them.
const NO_SPAN = { position: 0, length: 0 };
const shape = (e: unknown): unknown => {
  if (Array.isArray(e)) return e.map(shape);
  if (typeof e !== 'object' || e === null) return e;
  return Object.fromEntries(Object.entries(e).filter(([k]) => k !== 'position' && k !== 'length').map(([k, v]) => [k, shape(v)]));
};

// Any code point, lone surrogates included. (fc.string({ unit: 'binary' }) does the same but
// takes most of a second to set up under vitest.)
const anyCodePoint = fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c));
const printableAscii = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));
const anyText = (maxLength: number) => fc.string({ unit: fc.oneof(anyCodePoint, printableAscii), maxLength });

const OPERATORS: ComparisonOperator[] = ['==', '!=', '<', '<=', '>', '>=', 'IN', 'NOT IN', 'HAS', 'CONTAINS'];

/** ASTs over the given segment and scalar generators, with lists only right of IN / NOT IN. */
function expressionArbitrary(segment: fc.Arbitrary<string>, scalar: fc.Arbitrary<Scalar>): fc.Arbitrary<Expression> {
  const literal: fc.Arbitrary<LiteralNode> = scalar.map((value) => ({ kind: 'literal', value, ...NO_SPAN }));
  const path: fc.Arbitrary<Operand> = fc
    .record({ root: fc.constantFrom(...ROOTS), segments: fc.array(segment, { minLength: 1, maxLength: 3 }) })
    .map(({ root, segments }) => ({ kind: 'path', root, segments, ...NO_SPAN }));
  const list: fc.Arbitrary<Operand> = fc.array(literal, { maxLength: 4 }).map((items) => ({ kind: 'list', items, ...NO_SPAN }));
  const comparison: fc.Arbitrary<Expression> = fc.constantFrom(...OPERATORS).chain((operator) =>
    fc.record({
      kind: fc.constant('compare' as const),
      operator: fc.constant(operator),
      left: fc.oneof(path, literal),
      right: operator === 'IN' || operator === 'NOT IN' ? fc.oneof(path, literal, list) : fc.oneof(path, literal),
      position: fc.constant(0),
      length: fc.constant(0),
    }),
  );
  const { expression } = fc.letrec<{ expression: Expression }>((tie) => ({
    expression: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      comparison,
      tie('expression').map((operand): Expression => ({ kind: 'not', operand, ...NO_SPAN })),
      fc
        .record({ kind: fc.constantFrom('and' as const, 'or' as const), left: tie('expression'), right: tie('expression') })
        .map((e): Expression => ({ ...e, ...NO_SPAN })),
    ),
  }));
  return expression;
}

describe('properties', () => {
  it('printing then parsing gives back the same AST', () => {
    const anyScalar: fc.Arbitrary<Scalar> = fc.oneof(
      anyText(8),
      fc.string({ maxLength: 8 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer({ min: -1000, max: 1000 }),
      fc.boolean(),
      fc.constant(null),
    );
    const segment = fc.stringMatching(/^[A-Za-z0-9_-]{1,6}$/);
    fc.assert(
      fc.property(expressionArbitrary(segment, anyScalar), (ast) => {
        const printed = printExpression(ast);
        const reparsed = parseExpression(printed);
        // node:assert rather than expect: as fast on these trees, and it tells -0 from 0 too.
        assert.deepStrictEqual(shape(reparsed), shape(ast));
        assert.equal(printExpression(reparsed), printed);
        assert.deepEqual([reparsed.position, reparsed.length], [0, printed.length]);
      }),
      { numRuns: 400 },
    );
  });

  it('evaluation never throws on JSON contexts, and NOT e is the negation of e', () => {
    // A small vocabulary so paths and literals often hit what the contexts hold.
    const key = fc.constantFrom('a', 'b', 'c');
    const scalar: fc.Arbitrary<Scalar> = fc.oneof(fc.constantFrom('a', 'b', 'A', 'ab', ''), fc.integer({ min: -2, max: 2 }), fc.boolean(), fc.constant(null));
    const { value } = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        scalar,
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(key, tie('value'), { maxKeys: 3 }),
      ),
    }));
    const context = fc.oneof(
      fc.record({ task: value, agent: value, queue: value }, { requiredKeys: [] }),
      fc.jsonValue(),
    ) as fc.Arbitrary<EvaluationContext>;
    fc.assert(
      fc.property(expressionArbitrary(key, scalar), context, (ast, ctx) => {
        const e = buildEvaluator(ast);
        const not = buildEvaluator({ kind: 'not', operand: ast, ...NO_SPAN });
        const result = e(ctx);
        expect(typeof result).toBe('boolean');
        expect(not(ctx)).toBe(!result);
      }),
      { numRuns: 500 },
    );
  });

  it('parsing any string gives an AST or an ExpressionError inside the source', () => {
    const token = fc.constantFrom(
      'task.a', 'agent.b.c', 'queue.d', 'tsk.x', 'task.', 'queue', '==', '=', '!=', '<', '>=', 'IN', 'NOT', 'not in', 'HAS',
      'CONTAINS', 'AND', 'or', '(', ')', '[', ']', ',', "'x'", '"y\\n"', "'open", '1', '-2.5e3', '1e999', 'nl-NL', 'null', 'TRUE', '.', '+', '\\',
    );
    const source = fc.oneof(
      fc.string({ maxLength: 40 }),
      anyText(40),
      fc.array(token, { maxLength: 12 }).map((tokens) => tokens.join(' ')),
      fc.array(token, { maxLength: 12 }).map((tokens) => tokens.join('')),
    );
    fc.assert(
      fc.property(source, (text) => {
        try {
          parseExpression(text);
        } catch (error) {
          expect(error).toBeInstanceOf(ExpressionError);
          const { position, length, issues } = error as ExpressionError;
          expect(position).toBeGreaterThanOrEqual(0);
          expect(position).toBeLessThanOrEqual(text.length);
          expect(length).toBeGreaterThanOrEqual(0);
          expect(position + length).toBeLessThanOrEqual(text.length);
          expect(issues.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });
});
