import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkFlowExpression, evaluateSource, FlowExprError, normalizeText, parseFlowExpression, readPaths, renderTemplate, renderValueTemplate } from '../../src/flows/expr.ts';

const scope = { customer: { name: 'Anouk', tier: 'gold', orders: [{ id: 7 }] }, balance: -12.5, language: 'nl', empty: '', count: 3 };
const ev = (source: string) => evaluateSource(source, scope);

describe('flow expressions', () => {
  it('evaluates values, comparisons and logic', () => {
    expect(ev("customer.tier == 'gold'")).toBe(true);
    expect(ev("customer.tier != 'gold' or balance < 0")).toBe(true);
    expect(ev('not (count >= 3) && true')).toBe(false);
    expect(ev("'Dag ' + customer.name + '!'")).toBe('Dag Anouk!');
    expect(ev('count * 2 + 1')).toBe(7);
    expect(ev('-count % 2')).toBe(-1);
    expect(ev('count / 0')).toBeNull();
    expect(ev("customer.tier in ['gold', 'platinum']")).toBe(true);
    expect(ev("customer.name contains 'nou'")).toBe(true);
    expect(ev('customer.orders.0.id')).toBe(7);
    expect(ev("count == '3'")).toBe(true);
  });

  it('treats missing paths as null, and null compares only with == / !=', () => {
    expect(ev('customer.missing.deeper')).toBeNull();
    expect(ev('customer.missing == null')).toBe(true);
    expect(ev('customer.missing < 5')).toBe(false);
    expect(ev('customer.missing > 5')).toBe(false);
    expect(ev('customer.missing != 5')).toBe(true);
    expect(ev('customer.toString')).toBeNull();
  });

  it('has a few functions', () => {
    expect(ev("coalesce(customer.missing, empty, 'standard')")).toBe('standard');
    expect(ev('upper(customer.tier)')).toBe('GOLD');
    expect(ev("digits('06-123 45')")).toBe('0612345');
    expect(ev('amount(balance, language)')).toBe('-12,50');
    expect(ev("amount(balance, 'en')")).toBe('-12.50');
    expect(ev("if(balance < 0, 'debt', 'credit')")).toBe('debt');
    expect(ev('length(customer.orders)')).toBe(1);
    expect(ev("round(number('2,5'))")).toBe(3);
    expect(ev('round(2.345, 1)')).toBe(2.3);
    expect(ev('exists(customer.name) and not exists(customer.age)')).toBe(true);
  });

  it('reports syntax errors with positions', () => {
    expect(checkFlowExpression("a = 'b'")).toMatchObject({ position: 2, message: expect.stringMatching(/did you mean '=='/) });
    expect(checkFlowExpression('(a == 1')).toMatchObject({ position: 0, message: "Unclosed '('" });
    expect(checkFlowExpression('a ==')).toMatchObject({ position: 4 });
    expect(checkFlowExpression('nope(1)')).toMatchObject({ position: 0, message: expect.stringMatching(/Unknown function/) });
    expect(checkFlowExpression('lower(1, 2)')).toMatchObject({ message: expect.stringMatching(/takes 1 argument, got 2/) });
    expect(checkFlowExpression("'open")).toMatchObject({ message: 'Unterminated string' });
    expect(checkFlowExpression('a # b')).toMatchObject({ position: 2 });
    expect(checkFlowExpression('')).toBeDefined();
    expect(checkFlowExpression('a and and')).toBeDefined();
    expect(checkFlowExpression('x'.repeat(3000))).toBeDefined();
    expect(readPaths(parseFlowExpression("coalesce(customer.tier, a.b) == 'x' and c"))).toEqual(['customer.tier', 'a.b', 'c']);
  });

  it('renders templates, URL-encoding holes when asked, and keeps the type of a single hole', () => {
    expect(renderTemplate('Dag {{ customer.name }}, saldo {{ amount(balance, language) }}', scope)).toBe('Dag Anouk, saldo -12,50');
    expect(renderTemplate('/a/{{ q }}', { q: 'x/../y?z=1&b' }, encodeURIComponent)).toBe('/a/x%2F..%2Fy%3Fz%3D1%26b');
    expect(renderTemplate('{{ missing }}!', scope)).toBe('!');
    expect(renderValueTemplate('{{ count }}', scope)).toBe(3);
    expect(renderValueTemplate('n={{ count }}', scope)).toBe('n=3');
  });

  it('normalizes text for matching', () => {
    expect(normalizeText('  Één  Crème-BRÛLÉE! ')).toBe('een creme brulee');
  });

  it('never throws anything but FlowExprError on arbitrary input, and never throws when evaluating', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (source) => {
        try {
          const ast = parseFlowExpression(source);
          evaluateSource(source, scope);
          expect(ast).toBeDefined();
        } catch (error) {
          expect(error).toBeInstanceOf(FlowExprError);
        }
      }),
      { numRuns: 500 },
    );
    const token = fc.constantFrom('a', 'b.c', '1', "'x'", '==', '<', '+', '-', '*', '/', 'and', 'or', 'not', '(', ')', '[', ']', ',', 'lower(', 'null', 'true', 'in');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 20 }), (tokens) => {
        const source = tokens.join(' ');
        try {
          parseFlowExpression(source);
        } catch (error) {
          expect(error).toBeInstanceOf(FlowExprError);
        }
        evaluateSource(source, { a: 1, b: { c: 'x' } });
      }),
      { numRuns: 500 },
    );
  });
});
