/**
 * Routing expressions: the small language queues, workflow filters and workflow steps use to say
 * which tasks and agents go together (in the spirit of Twilio TaskRouter expressions).
 *
 *   expression  = or ;
 *   or          = and , { "OR" , and } ;
 *   and         = unary , { "AND" , unary } ;
 *   unary       = "NOT" , unary | "(" , expression , ")" | comparison ;
 *   comparison  = operand , operator , operand            (* a list only right of IN / NOT IN *)
 *   operator    = "==" | "!=" | "<" | "<=" | ">" | ">=" | "IN" | "NOT" "IN" | "HAS" | "CONTAINS" ;
 *   operand     = path | string | number | "true" | "false" | "null" | bareword | list ;
 *   path        = ( "task" | "agent" | "queue" ) , "." , segment , { "." , segment } ;   segment = [A-Za-z0-9_-]+
 *   list        = "[" , [ scalar , { "," , scalar } ] , "]" ;
 *   string      = "'" … "'" | '"' … '"'          (escapes: \\ \' \" \n \r \t \uXXXX)
 *   number      = [ "-" ] digits [ "." digits ] [ ( "e" | "E" ) [ "+" | "-" ] digits ] ;
 *   bareword    = [A-Za-z0-9_] [A-Za-z0-9_-]*     (not a number, not a keyword, no dots)
 *
 * Keywords (AND OR NOT IN HAS CONTAINS TRUE FALSE NULL) are case-insensitive, and a bare word that
 * spells a keyword is always the keyword (quote it to mean the text). Bare words exist because
 * supervisors write `task.language == nl-NL` and `task.tier IN [gold, platinum-plus]`; they may not
 * contain dots so that a mistyped root (`tsk.language`) is an error rather than a silent string.
 *
 * Why a hand-written recursive-descent parser: the grammar is tiny, we need exact character
 * positions for "as you type" squiggles, and evaluation compiles the AST to closures once so the
 * routing hot path never re-parses. Evaluation never throws: missing paths are `undefined`, any
 * comparison with `undefined` is false, except `!=` and `NOT IN` (negations) which are true.
 *
 * Which roots may appear depends on the place: queue eligibility reads `agent.`, workflow filters
 * `task.`, workflow steps both, and step skip-if conditions `queue.` (e.g. `queue.available == 0`).
 * That is the `allowedRoots` argument; the parser accepts every root and the checker enforces it.
 */
import { checkExpression as checkAst } from './expressions.check.ts';
import { buildEvaluator } from './expressions.evaluate.ts';

export type Root = 'task' | 'agent' | 'queue';
export const ROOTS: readonly Root[] = ['task', 'agent', 'queue'];
/** `object` is a map with free keys (e.g. `agent.skills`, tested with `HAS`). */
export type FieldType = 'string' | 'number' | 'boolean' | 'string[]' | 'number[]' | 'object' | 'any';
/**
 * Known fields per root. Keys are the path below the root joined with '.', e.g. `language` or
 * `skills.*`, where a `*` segment matches any single segment (`agent.skills.billing`).
 */
export interface ExpressionSchema {
  task: Record<string, FieldType>;
  agent: Record<string, FieldType>;
  queue: Record<string, FieldType>;
}

export interface Span {
  position: number;
  length: number;
}
export type Scalar = string | number | boolean | null;
export interface PathNode extends Span {
  kind: 'path';
  root: Root;
  segments: string[];
}
export interface LiteralNode extends Span {
  kind: 'literal';
  value: Scalar;
}
export interface ListNode extends Span {
  kind: 'list';
  items: LiteralNode[];
}
export type Operand = PathNode | LiteralNode | ListNode;
export type ComparisonOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'IN' | 'NOT IN' | 'HAS' | 'CONTAINS';
export interface ComparisonNode extends Span {
  kind: 'compare';
  operator: ComparisonOperator;
  left: Operand;
  right: Operand;
}
export interface NotNode extends Span {
  kind: 'not';
  operand: Expression;
}
export interface LogicalNode extends Span {
  kind: 'and' | 'or';
  left: Expression;
  right: Expression;
}
export type Expression = ComparisonNode | NotNode | LogicalNode;

export interface ExpressionIssue extends Span {
  message: string;
}

export interface EvaluationContext {
  task?: unknown;
  agent?: unknown;
  queue?: unknown;
}
export interface CompiledExpression {
  source: string;
  evaluate(ctx: EvaluationContext): boolean;
  /** Every path the expression reads, as `task.a.b` / `agent.x`, unique, in order of appearance. */
  paths: string[];
}

export class ExpressionError extends Error {
  readonly position: number;
  readonly length: number;
  /** All problems found; one entry for a syntax error, possibly several for type issues. */
  readonly issues: ExpressionIssue[];
  constructor(issues: ExpressionIssue[]) {
    const first = issues[0] ?? { message: 'Invalid expression', position: 0, length: 0 };
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super(`${first.message} at ${first.position}${more}`);
    this.name = 'ExpressionError';
    this.position = first.position;
    this.length = first.length;
    this.issues = issues;
  }
}

// ---------------------------------------------------------------- lexer

type TokenType = 'word' | 'path' | 'string' | 'number' | 'op' | '(' | ')' | '[' | ']' | ',' | 'eof';
interface Token extends Span {
  type: TokenType;
  text: string; // source text (for messages)
  value: string | number | string[]; // unescaped string, number, keyword-upper/word, path segments
}

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IN', 'HAS', 'CONTAINS', 'TRUE', 'FALSE', 'NULL']);
const SYMBOL_OPERATORS = new Set(['==', '!=', '<', '<=', '>', '>=']);
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
const SEGMENT = /^[A-Za-z0-9_-]+$/;
const RUN_CHAR = /[A-Za-z0-9_.+-]/;
const OP_CHAR = /[=!<>~&|^%*/]/;
const MAX_DEPTH = 64;
// Long AND/OR chains parse iteratively but compile and evaluate recursively; capping the length
// keeps a pasted megabyte from overflowing the stack (a RangeError instead of an ExpressionError).
export const MAX_EXPRESSION_LENGTH = 10_000;
const isRoot = (text: string | undefined): text is Root => text === 'task' || text === 'agent' || text === 'queue';

const fail = (message: string, position: number, length: number): never => {
  throw new ExpressionError([{ message, position, length }]);
};

function tokenize(source: string): Token[] {
  if (source.length > MAX_EXPRESSION_LENGTH) {
    fail(`Expression is too long (${source.length} characters; at most ${MAX_EXPRESSION_LENGTH})`, MAX_EXPRESSION_LENGTH, source.length - MAX_EXPRESSION_LENGTH);
  }
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (ch === '(' || ch === ')' || ch === '[' || ch === ']' || ch === ',') {
      tokens.push({ type: ch, text: ch, value: ch, position: i, length: 1 });
      i++;
    } else if (ch === "'" || ch === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= source.length) fail('Unterminated string', start, source.length - start);
        const c = source[i] as string;
        if (c === ch) break;
        if (c === '\\') {
          const e = source[i + 1];
          const simple: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', r: '\r', t: '\t' };
          if (e !== undefined && simple[e] !== undefined) {
            value += simple[e];
            i += 2;
          } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(source.slice(i + 2, i + 6))) {
            value += String.fromCharCode(parseInt(source.slice(i + 2, i + 6), 16));
            i += 6;
          } else {
            fail(e === undefined ? 'Unterminated string' : `Unknown escape '\\${e}'`, e === undefined ? start : i, e === undefined ? source.length - start : 2);
          }
        } else {
          value += c;
          i++;
        }
      }
      i++;
      tokens.push({ type: 'string', text: source.slice(start, i), value, position: start, length: i - start });
    } else if (OP_CHAR.test(ch)) {
      while (i < source.length && OP_CHAR.test(source[i] as string)) i++;
      const text = source.slice(start, i);
      if (!SYMBOL_OPERATORS.has(text)) fail(`Unknown operator '${text}'${text === '=' ? " (did you mean '==')" : ''}`, start, text.length);
      tokens.push({ type: 'op', text, value: text, position: start, length: text.length });
    } else if (RUN_CHAR.test(ch)) {
      // '+' only belongs in an exponent; a run never starts with '.' or '+'.
      if (ch === '.' || ch === '+') fail(`Unexpected character '${ch}'`, i, 1);
      while (i < source.length && RUN_CHAR.test(source[i] as string)) i++;
      const text = source.slice(start, i);
      const length = text.length;
      if (NUMBER.test(text)) {
        // 1e999 would become Infinity, which prints as a bare word and so would not round-trip.
        if (!Number.isFinite(Number(text))) fail(`Number '${text}' is out of range`, start, length);
        tokens.push({ type: 'number', text, value: Number(text), position: start, length });
      } else if (text.includes('.')) {
        const [root, ...segments] = text.split('.');
        if (!isRoot(root)) {
          fail(`Paths start with 'task.', 'agent.' or 'queue.' (found '${text}'); quote it if you meant text`, start, length);
        }
        const bad = segments.findIndex((s) => !SEGMENT.test(s));
        if (bad >= 0) fail(`Expected a field name after '.' in '${text}'`, start, length);
        tokens.push({ type: 'path', text, value: [root as string, ...segments], position: start, length });
      } else if (ch === '-' || text.includes('+')) {
        fail(`Invalid number '${text}'`, start, length);
      } else if (isRoot(text)) {
        fail(`'${text}' needs a field, e.g. ${text}.language`, start, length);
      } else {
        tokens.push({ type: 'word', text, value: text, position: start, length });
      }
    } else {
      fail(`Unexpected character '${ch}'`, i, 1);
    }
  }
  tokens.push({ type: 'eof', text: 'end of expression', value: '', position: source.length, length: 0 });
  return tokens;
}

// ---------------------------------------------------------------- parser

const keywordOf = (t: Token): string | undefined => {
  if (t.type !== 'word') return undefined;
  const upper = (t.value as string).toUpperCase();
  return KEYWORDS.has(upper) ? upper : undefined;
};
const describe = (t: Token): string => (t.type === 'eof' ? 'the end of the expression' : `'${t.text}'`);
const spanOf = (a: Span, b: Span): Span => ({ position: a.position, length: b.position + b.length - a.position });

export function parseExpression(source: string): Expression {
  const tokens = tokenize(source);
  let index = 0;
  const peek = (): Token => tokens[index] as Token;
  const next = (): Token => tokens[index++] as Token;

  const parseOr = (depth: number): Expression => {
    let left = parseAnd(depth);
    while (keywordOf(peek()) === 'OR') {
      const op = next();
      const right = parseAnd(depth, op);
      left = { kind: 'or', left, right, ...spanOf(left, right) };
    }
    return left;
  };
  const parseAnd = (depth: number, after?: Token): Expression => {
    let left = parseUnary(depth, after);
    while (keywordOf(peek()) === 'AND') {
      const op = next();
      const right = parseUnary(depth, op);
      left = { kind: 'and', left, right, ...spanOf(left, right) };
    }
    return left;
  };
  const parseUnary = (depth: number, after?: Token): Expression => {
    if (depth > MAX_DEPTH) fail('Expression is nested too deeply', peek().position, peek().length);
    const t = peek();
    if (keywordOf(t) === 'NOT') {
      next();
      const operand = parseUnary(depth + 1, t);
      return { kind: 'not', operand, ...spanOf(t, operand) };
    }
    if (t.type === '(') {
      next();
      const inner = parseOr(depth + 1);
      const close = peek();
      if (close.type !== ')') {
        if (close.type === 'eof') fail("Unclosed '('", t.position, 1);
        fail(`Expected ')' to close the '(' at ${t.position}, found ${describe(close)}`, close.position, close.length);
      }
      next();
      return { ...inner, ...spanOf(t, close) };
    }
    return parseComparison(after);
  };
  const parseComparison = (after?: Token): ComparisonNode => {
    const first = peek();
    if (first.type === '[') fail('A list can only follow IN or NOT IN', first.position, first.length);
    if (!startsOperand(first)) {
      const where = after ? ` after '${after.text}'` : '';
      fail(`Expected a condition${where}, found ${describe(first)}`, first.position, first.length);
    }
    const left = parseOperand(false, after ?? first);
    const opToken = peek();
    let operator: ComparisonOperator;
    const kw = keywordOf(opToken);
    if (opToken.type === 'op') {
      operator = opToken.value as ComparisonOperator;
      next();
    } else if (kw === 'IN' || kw === 'HAS' || kw === 'CONTAINS') {
      operator = kw;
      next();
    } else if (kw === 'NOT') {
      next();
      const inToken = peek();
      if (keywordOf(inToken) !== 'IN') fail(`Expected IN after NOT, found ${describe(inToken)}`, inToken.position, inToken.length);
      next();
      operator = 'NOT IN';
    } else if (opToken.type === 'eof') {
      return fail(`Expected an operator after '${source.slice(left.position, left.position + left.length)}'`, opToken.position, 0);
    } else {
      return fail(`Unknown operator ${describe(opToken)}; use one of == != < <= > >= IN, NOT IN, HAS, CONTAINS`, opToken.position, opToken.length);
    }
    const right = parseOperand(operator === 'IN' || operator === 'NOT IN', opToken, operator);
    const end = peek();
    if (end.type !== 'eof' && end.type !== ')' && keywordOf(end) !== 'AND' && keywordOf(end) !== 'OR') {
      fail(`Expected AND, OR or the end of the expression, found ${describe(end)}`, end.position, end.length);
    }
    return { kind: 'compare', operator, left, right, ...spanOf(left, right) };
  };
  const startsOperand = (t: Token): boolean => {
    const kw = keywordOf(t);
    if (kw) return kw === 'TRUE' || kw === 'FALSE' || kw === 'NULL';
    return t.type === 'word' || t.type === 'path' || t.type === 'string' || t.type === 'number' || t.type === '[';
  };
  const parseScalar = (t: Token): LiteralNode | undefined => {
    const span = { position: t.position, length: t.length };
    const kw = keywordOf(t);
    if (kw === 'TRUE' || kw === 'FALSE') return { kind: 'literal', value: kw === 'TRUE', ...span };
    if (kw === 'NULL') return { kind: 'literal', value: null, ...span };
    if (kw) return undefined;
    if (t.type === 'string' || t.type === 'word') return { kind: 'literal', value: t.value as string, ...span };
    if (t.type === 'number') return { kind: 'literal', value: t.value as number, ...span };
    return undefined;
  };
  const parseOperand = (listAllowed: boolean, after: Token, operator?: string): Operand => {
    const t = peek();
    const expected = () => fail(`Expected a value after '${operator ?? after.text}', found ${describe(t)}`, t.position, t.length);
    if (t.type === 'path') {
      next();
      const [root, ...segments] = t.value as string[];
      return { kind: 'path', root: root as Root, segments, position: t.position, length: t.length };
    }
    if (t.type === '[') {
      if (!listAllowed) fail('A list can only follow IN or NOT IN', t.position, t.length);
      next();
      const items: LiteralNode[] = [];
      let close = peek();
      if (close.type !== ']') {
        for (;;) {
          const item = peek();
          const literal = parseScalar(item);
          if (!literal) fail(`Expected a value in the list, found ${describe(item)}`, item.position, item.length);
          next();
          items.push(literal as LiteralNode);
          const sep = peek();
          if (sep.type === ',') {
            next();
            continue;
          }
          if (sep.type === ']') break;
          if (sep.type === 'eof') fail("Unclosed '['", t.position, 1);
          fail(`Expected ',' or ']' in the list, found ${describe(sep)}`, sep.position, sep.length);
        }
        close = peek();
      }
      next();
      return { kind: 'list', items, ...spanOf(t, close) };
    }
    const literal = parseScalar(t);
    if (!literal) return expected();
    next();
    return literal;
  };

  const first = peek();
  if (first.type === 'eof') fail('Expected an expression', 0, 0);
  const ast = parseOr(0);
  const rest = peek();
  if (rest.type !== 'eof') {
    fail(rest.type === ')' ? "Unexpected ')' without a matching '('" : `Expected AND, OR or the end of the expression, found ${describe(rest)}`, rest.position, rest.length);
  }
  return ast;
}

// ---------------------------------------------------------------- printer

const printScalar = (value: Scalar): string => {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  let out = "'";
  for (const c of value) {
    if (c === '\\' || c === "'") out += `\\${c}`;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c.charCodeAt(0) < 0x20) out += `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return `${out}'`;
};
const printOperand = (o: Operand): string => {
  if (o.kind === 'path') return [o.root, ...o.segments].join('.');
  if (o.kind === 'list') return `[${o.items.map((i) => printScalar(i.value)).join(', ')}]`;
  return printScalar(o.value);
};
const PRECEDENCE = { or: 1, and: 2, not: 3, compare: 4 } as const;

/** Prints canonical source (strings always quoted, minimal parentheses); parsing it gives back the same AST shape. */
export function printExpression(ast: Expression, minPrecedence = 0): string {
  let text: string;
  switch (ast.kind) {
    case 'compare':
      text = `${printOperand(ast.left)} ${ast.operator} ${printOperand(ast.right)}`;
      break;
    case 'not':
      text = `NOT ${printExpression(ast.operand, PRECEDENCE.not)}`;
      break;
    default: {
      const p = PRECEDENCE[ast.kind];
      text = `${printExpression(ast.left, p)} ${ast.kind.toUpperCase()} ${printExpression(ast.right, p + 1)}`;
    }
  }
  return PRECEDENCE[ast.kind] < minPrecedence ? `(${text})` : text;
}

// ---------------------------------------------------------------- public API

export function checkExpression(ast: Expression, schema: ExpressionSchema, allowedRoots: Root[]): ExpressionIssue[] {
  return checkAst(ast, schema, allowedRoots);
}

export function expressionPaths(ast: Expression): string[] {
  const seen = new Set<string>();
  const visitOperand = (o: Operand) => {
    if (o.kind === 'path') seen.add([o.root, ...o.segments].join('.'));
  };
  const visit = (e: Expression): void => {
    if (e.kind === 'compare') {
      visitOperand(e.left);
      visitOperand(e.right);
    } else if (e.kind === 'not') visit(e.operand);
    else {
      visit(e.left);
      visit(e.right);
    }
  };
  visit(ast);
  return [...seen];
}

/** Parse + type check + compile to closures. Throws ExpressionError (with every issue) if anything is wrong. */
export function compileExpression(source: string, schema: ExpressionSchema, allowedRoots: Root[]): CompiledExpression {
  const ast = parseExpression(source);
  const issues = checkAst(ast, schema, allowedRoots);
  if (issues.length > 0) throw new ExpressionError(issues);
  return { source, evaluate: buildEvaluator(ast), paths: expressionPaths(ast) };
}

/**
 * For the "as you type" editor: every problem with `source` (the syntax error, or all type issues),
 * each with a span to underline; `[]` when the expression is fine.
 */
export function validateExpression(source: string, schema: ExpressionSchema, allowedRoots: Root[]): ExpressionIssue[] {
  let ast: Expression;
  try {
    ast = parseExpression(source);
  } catch (error) {
    if (error instanceof ExpressionError) return error.issues;
    throw error;
  }
  return checkAst(ast, schema, allowedRoots);
}

export { buildEvaluator };
