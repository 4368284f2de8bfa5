import { describe, expect, it } from 'vitest';
import {
  buildEvaluator,
  checkExpression,
  compileExpression,
  ExpressionError,
  MAX_EXPRESSION_LENGTH,
  parseExpression,
  validateExpression,
  type EvaluationContext,
  type Expression,
  type LogicalNode,
  type ExpressionSchema,
  type Root,
} from '../../../src/routing/engine/expressions.ts';

const schema: ExpressionSchema = {
  task: { language: 'string', priority: 'number', tier: 'string', tags: 'string[]', vip: 'boolean', channel: 'string', attributes: 'any' },
  agent: { languages: 'string[]', 'skills.*': 'number', levels: 'number[]', name: 'string', team: 'string' },
  queue: { available: 'number', waiting: 'number', name: 'string' },
};
const ALL: Root[] = ['task', 'agent', 'queue'];

/** The AST without spans, to compare shapes. */
const shape = (e: unknown): unknown => {
  if (Array.isArray(e)) return e.map(shape);
  if (typeof e !== 'object' || e === null) return e;
  return Object.fromEntries(Object.entries(e).filter(([k]) => k !== 'position' && k !== 'length').map(([k, v]) => [k, shape(v)]));
};
const parsed = (source: string) => shape(parseExpression(source));
const errorOf = (source: string): { message: string; position: number; length: number } => {
  try {
    parseExpression(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ExpressionError);
    const e = error as ExpressionError;
    expect(e.issues).toHaveLength(1);
    return { message: e.issues[0]!.message, position: e.position, length: e.length };
  }
  throw new Error(`expected ${JSON.stringify(source)} not to parse`);
};
const run = (source: string, ctx: EvaluationContext): boolean => buildEvaluator(parseExpression(source))(ctx);
const path = (root: Root, ...segments: string[]) => ({ kind: 'path', root, segments });
const lit = (value: string | number | boolean | null) => ({ kind: 'literal', value });
const cmp = (left: unknown, operator: string, right: unknown) => ({ kind: 'compare', operator, left, right });

describe('parsing', () => {
  it('binds NOT tighter than AND, and AND tighter than OR', () => {
    expect(parsed('task.a == 1 OR task.b == 2 AND NOT task.c == 3')).toEqual({
      kind: 'or',
      left: cmp(path('task', 'a'), '==', lit(1)),
      right: {
        kind: 'and',
        left: cmp(path('task', 'b'), '==', lit(2)),
        right: { kind: 'not', operand: cmp(path('task', 'c'), '==', lit(3)) },
      },
    });
  });

  it('groups AND and OR to the left', () => {
    const e = parseExpression('task.a == 1 AND task.b == 2 AND task.c == 3');
    expect(e.kind).toBe('and');
    expect((e as LogicalNode).left.kind).toBe('and');
  });

  it('lets parentheses override precedence, with the span covering them', () => {
    const source = '(task.a == 1 OR task.b == 2) AND task.c == 3';
    const e = parseExpression(source);
    expect(shape(e)).toEqual({
      kind: 'and',
      left: { kind: 'or', left: cmp(path('task', 'a'), '==', lit(1)), right: cmp(path('task', 'b'), '==', lit(2)) },
      right: cmp(path('task', 'c'), '==', lit(3)),
    });
    const left = (e as LogicalNode).left;
    expect(source.slice(left.position, left.position + left.length)).toBe('(task.a == 1 OR task.b == 2)');
    expect(e).toMatchObject({ position: 0, length: source.length });
  });

  it('reads keywords in any case', () => {
    expect(parsed('task.a in [x] and not task.b Has y oR task.c contains Z')).toEqual(
      parsed('task.a IN [x] AND NOT task.b HAS y OR task.c CONTAINS Z'),
    );
    expect(parsed('task.a == True AND task.b == FALSE AND task.c != nUlL')).toEqual({
      kind: 'and',
      left: { kind: 'and', left: cmp(path('task', 'a'), '==', lit(true)), right: cmp(path('task', 'b'), '==', lit(false)) },
      right: cmp(path('task', 'c'), '!=', lit(null)),
    });
    expect(parsed('task.a Not In [1]')).toEqual(cmp(path('task', 'a'), 'NOT IN', { kind: 'list', items: [lit(1)] }));
  });

  it('reads hyphenated bare words as text, and a keyword spelled in quotes as text', () => {
    expect(parsed('task.language == nl-NL')).toEqual(cmp(path('task', 'language'), '==', lit('nl-NL')));
    expect(parsed('task.tier IN [gold, platinum-plus, 24_7]')).toEqual(
      cmp(path('task', 'tier'), 'IN', { kind: 'list', items: [lit('gold'), lit('platinum-plus'), lit('24_7')] }),
    );
    expect(parsed("task.word == 'and'")).toEqual(cmp(path('task', 'word'), '==', lit('and')));
  });

  it('reads quoted strings with escapes, in either quote', () => {
    expect(parsed(String.raw`task.note == 'it\'s "ok"\n\t\\ \u00e9'`)).toEqual(cmp(path('task', 'note'), '==', lit('it\'s "ok"\n\t\\ é')));
    expect(parsed(String.raw`task.note == "say \"hi\" it's"`)).toEqual(cmp(path('task', 'note'), '==', lit('say "hi" it\'s')));
    expect(parsed("task.note == ''")).toEqual(cmp(path('task', 'note'), '==', lit('')));
  });

  it('reads numbers, negative and with exponents', () => {
    const value = (source: string) => ((parseExpression(`task.n == ${source}`) as { right: { value: unknown } }).right.value);
    expect(value('42')).toBe(42);
    expect(value('-3')).toBe(-3);
    expect(value('1.5')).toBe(1.5);
    expect(value('2e3')).toBe(2000);
    expect(value('-1.25E-2')).toBe(-0.0125);
    expect(value('1e+2')).toBe(100);
    expect(parsed('task.n>=-1')).toEqual(cmp(path('task', 'n'), '>=', lit(-1)));
  });

  it('reads lists, including empty and mixed ones, and paths on the right of IN', () => {
    expect(parsed('task.a IN []')).toEqual(cmp(path('task', 'a'), 'IN', { kind: 'list', items: [] }));
    expect(parsed("task.a IN [1, 'two', true, null]")).toEqual(
      cmp(path('task', 'a'), 'IN', { kind: 'list', items: [lit(1), lit('two'), lit(true), lit(null)] }),
    );
    expect(parsed('task.language IN agent.languages')).toEqual(cmp(path('task', 'language'), 'IN', path('agent', 'languages')));
  });

  it('reads all three roots and deep paths', () => {
    expect(parsed('queue.available == 0 OR agent.skills.billing-nl >= 3')).toEqual({
      kind: 'or',
      left: cmp(path('queue', 'available'), '==', lit(0)),
      right: cmp(path('agent', 'skills', 'billing-nl'), '>=', lit(3)),
    });
  });

  it('gives each node the span of its source text', () => {
    const source = 'NOT task.language == nl-NL';
    const e = parseExpression(source) as Extract<Expression, { kind: 'not' }>;
    expect(e).toMatchObject({ position: 0, length: source.length });
    const c = e.operand as Extract<Expression, { kind: 'compare' }>;
    expect(c).toMatchObject({ position: 4, length: 22 });
    expect(c.left).toMatchObject({ position: 4, length: 13 });
    expect(c.right).toMatchObject({ position: 21, length: 5 });
  });
});

describe('parse errors', () => {
  it('suggests == for =', () => {
    expect(errorOf('task.language = nl')).toEqual({ message: "Unknown operator '=' (did you mean '==')", position: 14, length: 1 });
  });

  it('points at an unclosed parenthesis, bracket or string', () => {
    expect(errorOf('(task.a == 1 AND task.b == 2')).toMatchObject({ message: "Unclosed '('", position: 0, length: 1 });
    expect(errorOf('task.a == 1 AND (task.b == 2')).toMatchObject({ position: 16, length: 1 });
    expect(errorOf('task.a IN [1, 2')).toMatchObject({ message: "Unclosed '['", position: 10, length: 1 });
    expect(errorOf("task.a == 'abc")).toMatchObject({ message: 'Unterminated string', position: 10, length: 4 });
    expect(errorOf('task.a == "abc\\')).toMatchObject({ message: 'Unterminated string', position: 10, length: 5 });
    expect(errorOf("task.a == 'a\\qb'")).toMatchObject({ message: "Unknown escape '\\q'", position: 12, length: 2 });
  });

  it('rejects a mistyped root rather than reading it as text', () => {
    const e = errorOf('tsk.language == x');
    expect(e).toMatchObject({ position: 0, length: 12 });
    expect(e.message).toContain("'task.', 'agent.' or 'queue.'");
    expect(errorOf('task.a == queue')).toMatchObject({ message: "'queue' needs a field, e.g. queue.language", position: 10, length: 5 });
    expect(errorOf('task. == 1')).toMatchObject({ position: 0, length: 5 });
  });

  it('rejects trailing garbage', () => {
    expect(errorOf('task.a == 1 2')).toMatchObject({ message: "Expected AND, OR or the end of the expression, found '2'", position: 12, length: 1 });
    expect(errorOf('task.a == 1)')).toMatchObject({ message: "Unexpected ')' without a matching '('", position: 11, length: 1 });
    expect(errorOf('(task.a == 1) task.b == 2')).toMatchObject({ position: 14, length: 6 });
    expect(errorOf('task.a == 1 AND')).toMatchObject({ position: 15, length: 0 });
  });

  it('rejects empty input', () => {
    expect(errorOf('')).toEqual({ message: 'Expected an expression', position: 0, length: 0 });
    expect(errorOf('   ')).toEqual({ message: 'Expected an expression', position: 0, length: 0 });
  });

  it('rejects a list left of an operator, or right of anything but IN', () => {
    expect(errorOf('[a, b] IN task.tags')).toEqual({ message: 'A list can only follow IN or NOT IN', position: 0, length: 1 });
    expect(errorOf('task.a == 1 OR [a] == task.b')).toMatchObject({ position: 15, length: 1 });
    expect(errorOf('task.tags HAS [a]')).toMatchObject({ message: 'A list can only follow IN or NOT IN', position: 14, length: 1 });
  });

  it('rejects missing operators and operands, and other mistakes', () => {
    expect(errorOf('task.a')).toMatchObject({ message: "Expected an operator after 'task.a'", position: 6, length: 0 });
    expect(errorOf('task.a LIKE x')).toMatchObject({ position: 7, length: 4 });
    expect(errorOf('task.a == AND')).toMatchObject({ message: "Expected a value after '==', found 'AND'", position: 10, length: 3 });
    expect(errorOf('task.a NOT x')).toMatchObject({ position: 11, length: 1 });
    expect(errorOf('task.a === 1')).toMatchObject({ position: 7, length: 3 });
    expect(errorOf('task.a == 1e999')).toMatchObject({ message: "Number '1e999' is out of range", position: 10, length: 5 });
    expect(errorOf('task.a == #')).toMatchObject({ message: "Unexpected character '#'", position: 10, length: 1 });
    expect(errorOf(`${'NOT '.repeat(70)}task.a == 1`).message).toBe('Expression is nested too deeply');
  });

  it('caps the length of an expression', () => {
    const source = `task.a == 1${' OR task.a == 1'.repeat(MAX_EXPRESSION_LENGTH / 10)}`;
    expect(errorOf(source)).toMatchObject({ position: MAX_EXPRESSION_LENGTH, length: source.length - MAX_EXPRESSION_LENGTH });
    const longest = `task.a == 1${' OR task.a == 1'.repeat((MAX_EXPRESSION_LENGTH - 11) / 15)}`;
    expect(longest.length).toBeLessThanOrEqual(MAX_EXPRESSION_LENGTH);
    expect(run(longest, { task: { a: 1 } })).toBe(true);
  });
});

describe('evaluation', () => {
  const ctx: EvaluationContext = {
    task: { language: 'nl-NL', priority: 3, tier: 'gold', tags: ['vip', 'refund'], vip: true, note: null, subject: 'Refund for Order 12' },
    agent: { languages: ['nl-NL', 'en-GB'], skills: { billing: 4, sales: 1 }, levels: [1, 2] },
    queue: { available: 0, waiting: 7 },
  };

  it('compares scalars', () => {
    expect(run('task.language == nl-NL', ctx)).toBe(true);
    expect(run('task.language == NL-nl', ctx)).toBe(false); // equality is case-sensitive
    expect(run('task.priority >= 3 AND task.priority < 4 AND task.priority != 2', ctx)).toBe(true);
    expect(run('task.tier > alpha AND task.tier <= gold', ctx)).toBe(true); // text orders by code unit
    expect(run('task.vip == true AND task.note == null', ctx)).toBe(true);
    expect(run("task.priority == '3'", ctx)).toBe(false); // no coercion
    expect(run("task.priority < 'z'", ctx)).toBe(false);
    expect(run('queue.available == 0 AND queue.waiting > 5', ctx)).toBe(true);
    expect(run('1 == 1', {})).toBe(true);
  });

  it('tests lists with IN and NOT IN', () => {
    expect(run('task.tier IN [gold, platinum-plus]', ctx)).toBe(true);
    expect(run('task.tier NOT IN [gold, platinum-plus]', ctx)).toBe(false);
    expect(run('task.priority IN [1, 2]', ctx)).toBe(false);
    expect(run('task.language IN agent.languages', ctx)).toBe(true);
    expect(run('task.tier IN agent.languages', ctx)).toBe(false);
    expect(run('task.tier IN []', ctx)).toBe(false);
  });

  it('tests HAS on arrays and on objects', () => {
    expect(run('task.tags HAS vip', ctx)).toBe(true);
    expect(run('task.tags HAS VIP', ctx)).toBe(false);
    expect(run('agent.levels HAS 2', ctx)).toBe(true);
    expect(run('agent.skills HAS billing', ctx)).toBe(true);
    expect(run('agent.skills HAS cooking', ctx)).toBe(false);
    expect(run('agent.skills HAS toString', ctx)).toBe(false); // own keys only
    expect(run('agent.languages HAS task.language', ctx)).toBe(true);
    expect(run('task.language HAS n', ctx)).toBe(false);
  });

  it('tests CONTAINS on text without case and on arrays', () => {
    expect(run('task.subject CONTAINS refund', ctx)).toBe(true);
    expect(run("task.subject CONTAINS 'ORDER 12'", ctx)).toBe(true);
    expect(run('task.subject CONTAINS chargeback', ctx)).toBe(false);
    expect(run('task.tags CONTAINS refund', ctx)).toBe(true);
    expect(run('agent.levels CONTAINS 3', ctx)).toBe(false);
    expect(run('task.priority CONTAINS 3', ctx)).toBe(false);
  });

  it('treats missing paths as false, except for != and NOT IN', () => {
    expect(run('task.missing == 1', ctx)).toBe(false);
    expect(run('task.missing == null', ctx)).toBe(false);
    expect(run('task.missing < 1 OR task.missing >= 1', ctx)).toBe(false);
    expect(run('task.missing IN [1]', ctx)).toBe(false);
    expect(run('task.missing HAS x OR task.missing CONTAINS x', ctx)).toBe(false);
    expect(run('task.missing != 1', ctx)).toBe(true);
    expect(run('task.missing NOT IN [1]', ctx)).toBe(true);
    expect(run('task.language.deeper == x', ctx)).toBe(false);
    expect(run('task.tier IN task.missing', ctx)).toBe(false);
    expect(run('task.tier NOT IN task.missing', ctx)).toBe(true);
    expect(run('agent.skills.cooking > 0', ctx)).toBe(false);
    expect(run('agent.skills.billing > 3', ctx)).toBe(true);
  });

  it('never throws, whatever the context', () => {
    const e = buildEvaluator(parseExpression('task.a == 1 OR agent.b.c HAS x OR queue.d CONTAINS y OR task.a != 1'));
    const hostile = { get task(): unknown { throw new Error('boom'); } };
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const context of [undefined, null, 42, 'text', [], {}, { task: null }, { task: 'x' }, { agent: { b: 7 } }, hostile, { task: cyclic, agent: cyclic }]) {
      expect(() => e(context as EvaluationContext)).not.toThrow();
    }
    expect(e(hostile as EvaluationContext)).toBe(false);
    expect(run('task.self == task.self', { task: cyclic })).toBe(true);
  });

  it('compares structured values by value', () => {
    expect(run('task.a == task.b', { task: { a: { x: [1, 2] }, b: { x: [1, 2] } } })).toBe(true);
    expect(run('task.a == task.b', { task: { a: { x: [1, 2] }, b: { x: [2, 1] } } })).toBe(false);
    expect(run('task.a IN task.b', { task: { a: { x: 1 }, b: [{ x: 1 }] } })).toBe(true);
  });
});

describe('checking', () => {
  const check = (source: string, roots: Root[] = ALL) => checkExpression(parseExpression(source), schema, roots);

  it('accepts well-typed expressions', () => {
    for (const source of [
      'task.language == nl-NL',
      'task.priority >= 2 AND task.tier IN [gold, platinum-plus]',
      'task.tags HAS vip AND task.tags CONTAINS refund AND task.channel CONTAINS mail',
      'agent.skills HAS billing AND agent.skills.billing >= 3',
      'task.language IN agent.languages AND agent.levels HAS 2',
      'task.vip != false OR task.language == null OR task.priority IN [1, null]',
      'task.attributes.anything.deep == 1 AND task.attributes CONTAINS x',
      'queue.available == 0 OR queue.waiting > 10',
      "1 == 1",
      "task.language > 'a'",
    ]) {
      expect(check(source), source).toEqual([]);
    }
  });

  it('reports a root not allowed here, naming the allowed ones', () => {
    expect(check('agent.name == x', ['task'])).toEqual([
      { message: "agent. fields can't be used here; only task. fields can", position: 0, length: 10 },
    ]);
    expect(check('task.priority > 1 AND queue.available == 0', ['task', 'agent'])).toEqual([
      { message: "queue. fields can't be used here; only task. and agent. fields can", position: 22, length: 15 },
    ]);
    expect(check('queue.available == 0', [])[0]!.message).toBe("queue. fields can't be used here");
  });

  it('reports unknown fields with a suggestion when one is close', () => {
    expect(check('task.langauge == nl')).toEqual([
      { message: 'Unknown field task.langauge; did you mean task.language?', position: 0, length: 13 },
    ]);
    expect(check('task.Priority > 1')[0]!.message).toBe('Unknown field task.Priority; did you mean task.priority?');
    expect(check('agent.skils.billing > 1')[0]!.message).toBe('Unknown field agent.skils.billing; did you mean agent.skills.billing?');
    expect(check('task.skills.billing > 1')[0]!.message).toBe('Unknown field task.skills.billing; did you mean agent.skills.billing?');
  });

  it('lists known fields when nothing is close', () => {
    expect(check('task.colour == red')).toEqual([
      {
        message: 'Unknown field task.colour; known fields are task.attributes, task.channel, task.language, task.priority, task.tags and 2 more',
        position: 0,
        length: 11,
      },
    ]);
    expect(check('queue.nope == 1')[0]!.message).toBe('Unknown field queue.nope; known fields are queue.available, queue.name, queue.waiting');
    expect(checkExpression(parseExpression('queue.x == 1'), { ...schema, queue: {} }, ALL)[0]!.message).toBe('Unknown field queue.x; there are no queue. fields');
  });

  it('reports paths below a field that has no fields', () => {
    expect(check('task.language.code == nl')).toEqual([
      { message: 'task.language is text and has no fields, so task.language.code does not exist', position: 0, length: 18 },
    ]);
    expect(check('agent.skills.billing.level > 1')[0]!.message).toContain('agent.skills.billing is a number');
  });

  it('requires numbers or text on both sides of an ordering', () => {
    expect(check("task.priority > 'high'")).toEqual([{ message: "task.priority is a number but 'high' is text", position: 16, length: 6 }]);
    expect(check('task.vip < 3')).toEqual([{ message: "'<' compares numbers or text, but task.vip is true/false", position: 0, length: 8 }]);
    expect(check('task.tags >= 3')[0]).toMatchObject({ position: 0, length: 9 });
    expect(check('task.priority <= null')).toEqual([{ message: "'<=' compares numbers or text, but null is neither", position: 17, length: 4 }]);
    expect(check('task.priority > agent.name')).toEqual([{ message: 'task.priority is a number but agent.name is text', position: 0, length: 26 }]);
  });

  it('requires compatible types for == and !=, with null fitting anything', () => {
    expect(check('task.priority == high')).toEqual([{ message: "task.priority is a number but 'high' is text", position: 17, length: 4 }]);
    expect(check("'high' != task.priority")).toEqual([{ message: "'high' is text but task.priority is a number", position: 0, length: 6 }]);
    expect(check('task.vip == yes')[0]!.message).toBe("task.vip is true/false but 'yes' is text");
    expect(check('task.tags == vip')[0]!.message).toBe("task.tags is a list of text but 'vip' is text; use HAS to test whether the list holds it");
    expect(check("1 == 'a'")).toEqual([{ message: "1 is a number but 'a' is text", position: 5, length: 3 }]);
    expect(check('task.tags == null AND agent.skills != null')).toEqual([]);
  });

  it('requires a list right of IN with items that fit the left', () => {
    expect(check('task.priority IN [1, high, 3, low]')).toEqual([
      { message: "task.priority is a number but 'high' is text", position: 21, length: 4 },
      { message: "task.priority is a number but 'low' is text", position: 30, length: 3 },
    ]);
    expect(check('task.tier NOT IN task.language')).toEqual([
      { message: 'NOT IN needs a list on the right, like [a, b], or a list field; task.language is text (use CONTAINS instead?)', position: 17, length: 13 },
    ]);
    expect(check('task.tier IN gold')[0]).toMatchObject({ message: 'IN needs a list on the right, like [a, b], or a list field', position: 13, length: 4 });
    expect(check('task.priority IN agent.languages')).toEqual([
      { message: 'task.priority is a number but agent.languages is a list of text', position: 0, length: 32 },
    ]);
    expect(check('task.tags IN [a, b]')[0]!.message).toBe("task.tags is a list of text but 'a' is text");
  });

  it('requires an array or a map left of HAS', () => {
    expect(check('task.language HAS nl')).toEqual([
      { message: 'HAS needs a list or a map on the left, but task.language is text (use == or CONTAINS for text)', position: 0, length: 13 },
    ]);
    expect(check('task.tags HAS 3')).toEqual([{ message: "task.tags is a list of text but 3 is a number", position: 14, length: 1 }]);
    expect(check('agent.skills HAS true')).toEqual([{ message: 'HAS on a map tests for a name, but true is true/false', position: 17, length: 4 }]);
  });

  it('requires text or an array left of CONTAINS', () => {
    expect(check('task.priority CONTAINS 1')).toEqual([
      { message: 'CONTAINS needs text or a list on the left, but task.priority is a number', position: 0, length: 13 },
    ]);
    expect(check('task.channel CONTAINS 3')).toEqual([{ message: "CONTAINS looks for text inside task.channel, but 3 is a number", position: 22, length: 1 }]);
    expect(check('agent.levels CONTAINS x')[0]!.message).toBe("agent.levels is a list of numbers but 'x' is text");
  });

  it('reports every issue at once, in source order, one per broken operand', () => {
    const source = 'task.langauge == nl AND agent.name == x OR task.priority == high AND NOT task.tags HAS 3';
    const issues = check(source, ['task']);
    expect(issues.map((i) => [i.position, i.length])).toEqual([
      [0, 13],
      [source.indexOf('agent.name'), 10],
      [source.indexOf('high'), 4],
      [source.length - 1, 1],
    ]);
    expect(issues.map((i) => i.message)).toEqual([
      'Unknown field task.langauge; did you mean task.language?',
      "agent. fields can't be used here; only task. fields can",
      "task.priority is a number but 'high' is text",
      'task.tags is a list of text but 3 is a number',
    ]);
  });
});

describe('validateExpression and compileExpression', () => {
  it('returns the parse error, the type issues, or nothing', () => {
    expect(validateExpression('task.language = nl', schema, ['task'])).toEqual([
      { message: "Unknown operator '=' (did you mean '==')", position: 14, length: 1 },
    ]);
    expect(validateExpression('task.priority == high OR agent.name == x', schema, ['task'])).toHaveLength(2);
    expect(validateExpression('task.language == nl-NL', schema, ['task'])).toEqual([]);
  });

  it('compiles to an evaluator with the paths it reads, or throws with every issue', () => {
    const compiled = compileExpression('queue.available == 0 OR (queue.waiting > 3 AND queue.available < 2)', schema, ['queue']);
    expect(compiled.paths).toEqual(['queue.available', 'queue.waiting']);
    expect(compiled.evaluate({ queue: { available: 1, waiting: 5 } })).toBe(true);
    expect(compiled.evaluate({ queue: { available: 2, waiting: 5 } })).toBe(false);
    try {
      compileExpression('task.priority == high OR agent.name == x', schema, ['task']);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ExpressionError);
      const e = error as ExpressionError;
      expect(e.issues).toHaveLength(2);
      expect(e.position).toBe(17);
      expect(e.message).toBe("task.priority is a number but 'high' is text at 17 (and 1 more)");
    }
  });
});
