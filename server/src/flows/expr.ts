/**
 * Flow expressions and templates: the small value language of branch conditions, `set`
 * assignments, handoff attributes and `{{ … }}` holes in prompts, URLs and bodies.
 *
 * The routing language (routing/engine/expressions.ts) only answers true/false about
 * `task.`/`agent.`/`queue.` fields; a flow also needs values (`'+31' + phone`, `lower(input)`),
 * so flows have their own, equally small, language. Same principles: a hand-written parser with
 * exact positions (for the editor's squiggles), and evaluation that never throws.
 *
 *   expression = or ;
 *   or         = and , { ( "or" | "||" ) , and } ;
 *   and        = not , { ( "and" | "&&" ) , not } ;
 *   not        = ( "not" | "!" ) , not | compare ;
 *   compare    = sum , [ ( "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "contains" ) , sum ] ;
 *   sum        = product , { ( "+" | "-" ) , product } ;
 *   product    = unary , { ( "*" | "/" | "%" ) , unary } ;
 *   unary      = "-" , unary | primary ;
 *   primary    = number | string | "true" | "false" | "null" | list | call | path | "(" , expression , ")" ;
 *   list       = "[" , [ expression , { "," , expression } ] , "]" ;
 *   call       = name , "(" , [ expression , { "," , expression } ] , ")" ;
 *   path       = name , { "." , name } ;          name = [A-Za-z_][A-Za-z0-9_]*
 *
 * A path reads the run's variables (`customer.tier`, `language`, `channel`, `input`); a missing
 * path is `null`. `+` adds numbers and concatenates when either side is a string. Comparisons with
 * `null` are false except `==`/`!=`. Division by zero gives `null`. Keywords are lower case.
 * Functions: see FUNCTIONS below (no regular expressions: nothing a flow author writes can hang the
 * interpreter).
 */

export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

export interface ExprIssue {
  message: string;
  position: number;
  length: number;
}

export class FlowExprError extends Error {
  readonly issue: ExprIssue;
  constructor(issue: ExprIssue) {
    super(`${issue.message} at ${issue.position}`);
    this.name = 'FlowExprError';
    this.issue = issue;
  }
}

export type Expr =
  | { kind: 'lit'; value: Value; position: number }
  | { kind: 'path'; segments: string[]; position: number }
  | { kind: 'list'; items: Expr[]; position: number }
  | { kind: 'call'; name: string; args: Expr[]; position: number }
  | { kind: 'unary'; op: '-' | 'not'; operand: Expr; position: number }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; position: number };

type BinaryOp = 'or' | 'and' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'contains' | '+' | '-' | '*' | '/' | '%';

export const MAX_FLOW_EXPRESSION_LENGTH = 2_000;
const MAX_DEPTH = 48;

// ------------------------------------------------------------------ lexer

type Tok = { type: 'num' | 'str' | 'name' | 'op' | 'eof'; text: string; value: string | number; position: number };

const OPS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '+', '-', '*', '/', '%', '!', '(', ')', '[', ']', ',', '.'];

function fail(message: string, position: number, length = 1): never {
  throw new FlowExprError({ message, position, length });
}

function lex(source: string): Tok[] {
  if (source.length > MAX_FLOW_EXPRESSION_LENGTH) fail(`Expression is too long (at most ${MAX_FLOW_EXPRESSION_LENGTH} characters)`, 0, source.length);
  const out: Tok[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (/[0-9]/.test(c)) {
      const m = /^\d+(\.\d+)?/.exec(source.slice(i)) as RegExpExecArray;
      i += m[0].length;
      out.push({ type: 'num', text: m[0], value: Number(m[0]), position: start });
    } else if (c === "'" || c === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= source.length) fail('Unterminated string', start, source.length - start);
        const d = source[i] as string;
        if (d === c) break;
        if (d === '\\') {
          const e = source[i + 1];
          const simple: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t' };
          if (e === undefined || simple[e] === undefined) fail(`Unknown escape '\\${e ?? ''}'`, i, 2);
          value += simple[e as string];
          i += 2;
        } else {
          value += d;
          i++;
        }
      }
      i++;
      out.push({ type: 'str', text: source.slice(start, i), value, position: start });
    } else if (/[A-Za-z_]/.test(c)) {
      while (i < source.length && /[A-Za-z0-9_]/.test(source[i] as string)) i++;
      const text = source.slice(start, i);
      out.push({ type: 'name', text, value: text, position: start });
    } else {
      const op = OPS.find((o) => source.startsWith(o, i));
      if (!op) fail(c === '=' ? "Unknown operator '=' (did you mean '==')" : `Unexpected character '${c}'`, i);
      i += (op as string).length;
      out.push({ type: 'op', text: op as string, value: op as string, position: start });
    }
  }
  out.push({ type: 'eof', text: 'the end of the expression', value: '', position: source.length });
  return out;
}

// ------------------------------------------------------------------ parser

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'contains', 'true', 'false', 'null']);

export function parseFlowExpression(source: string): Expr {
  const toks = lex(source);
  let k = 0;
  const peek = () => toks[k] as Tok;
  const next = () => toks[k++] as Tok;
  const isOp = (t: Tok, op: string) => t.type === 'op' && t.text === op;
  const isKw = (t: Tok, kw: string) => t.type === 'name' && t.text === kw;
  const what = (t: Tok) => (t.type === 'eof' ? t.text : `'${t.text}'`);
  const expect = (op: string, open?: Tok) => {
    const t = peek();
    if (!isOp(t, op)) {
      if (t.type === 'eof' && open) fail(`Unclosed '${open.text}'`, open.position);
      fail(`Expected '${op}', found ${what(t)}`, t.position, Math.max(1, t.text.length));
    }
    next();
  };

  const or = (d: number): Expr => {
    if (d > MAX_DEPTH) fail('Expression is nested too deeply', peek().position);
    let left = and(d);
    while (isKw(peek(), 'or') || isOp(peek(), '||')) {
      const t = next();
      left = { kind: 'binary', op: 'or', left, right: and(d), position: t.position };
    }
    return left;
  };
  const and = (d: number): Expr => {
    let left = not(d);
    while (isKw(peek(), 'and') || isOp(peek(), '&&')) {
      const t = next();
      left = { kind: 'binary', op: 'and', left, right: not(d), position: t.position };
    }
    return left;
  };
  const not = (d: number): Expr => {
    const t = peek();
    if (isKw(t, 'not') || isOp(t, '!')) {
      next();
      if (d > MAX_DEPTH) fail('Expression is nested too deeply', t.position);
      return { kind: 'unary', op: 'not', operand: not(d + 1), position: t.position };
    }
    return compare(d);
  };
  const COMPARE = new Set(['==', '!=', '<', '<=', '>', '>=']);
  const compare = (d: number): Expr => {
    const left = sum(d);
    const t = peek();
    let op: BinaryOp | undefined;
    if (t.type === 'op' && COMPARE.has(t.text)) op = t.text as BinaryOp;
    else if (isKw(t, 'in') || isKw(t, 'contains')) op = t.text as BinaryOp;
    if (!op) return left;
    next();
    return { kind: 'binary', op, left, right: sum(d), position: t.position };
  };
  const sum = (d: number): Expr => {
    let left = product(d);
    while (isOp(peek(), '+') || isOp(peek(), '-')) {
      const t = next();
      left = { kind: 'binary', op: t.text as BinaryOp, left, right: product(d), position: t.position };
    }
    return left;
  };
  const product = (d: number): Expr => {
    let left = unary(d);
    while (isOp(peek(), '*') || isOp(peek(), '/') || isOp(peek(), '%')) {
      const t = next();
      left = { kind: 'binary', op: t.text as BinaryOp, left, right: unary(d), position: t.position };
    }
    return left;
  };
  const unary = (d: number): Expr => {
    const t = peek();
    if (isOp(t, '-')) {
      next();
      if (d > MAX_DEPTH) fail('Expression is nested too deeply', t.position);
      return { kind: 'unary', op: '-', operand: unary(d + 1), position: t.position };
    }
    return primary(d);
  };
  const primary = (d: number): Expr => {
    const t = next();
    if (t.type === 'num' || t.type === 'str') return { kind: 'lit', value: t.value, position: t.position };
    if (isOp(t, '(')) {
      const inner = or(d + 1);
      expect(')', t);
      return inner;
    }
    if (isOp(t, '[')) {
      const items: Expr[] = [];
      if (!isOp(peek(), ']')) {
        for (;;) {
          items.push(or(d + 1));
          if (isOp(peek(), ',')) {
            next();
            continue;
          }
          break;
        }
      }
      expect(']', t);
      return { kind: 'list', items, position: t.position };
    }
    if (t.type === 'name') {
      if (t.text === 'true' || t.text === 'false') return { kind: 'lit', value: t.text === 'true', position: t.position };
      if (t.text === 'null') return { kind: 'lit', value: null, position: t.position };
      if (KEYWORDS.has(t.text)) fail(`Expected a value, found '${t.text}'`, t.position, t.text.length);
      if (isOp(peek(), '(')) {
        const open = next();
        const fn = FUNCTIONS[t.text];
        if (!fn) fail(`Unknown function '${t.text}' (known: ${Object.keys(FUNCTIONS).join(', ')})`, t.position, t.text.length);
        const args: Expr[] = [];
        if (!isOp(peek(), ')')) {
          for (;;) {
            args.push(or(d + 1));
            if (isOp(peek(), ',')) {
              next();
              continue;
            }
            break;
          }
        }
        expect(')', open);
        const [min, max] = (fn as FnDef).arity;
        if (args.length < min || args.length > max) {
          const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
          fail(`'${t.text}' takes ${want} argument${want === '1' ? '' : 's'}, got ${args.length}`, t.position, t.text.length);
        }
        return { kind: 'call', name: t.text, args, position: t.position };
      }
      const segments = [t.text];
      while (isOp(peek(), '.')) {
        next();
        const s = next();
        if (s.type !== 'name' && s.type !== 'num') fail(`Expected a field name after '.', found ${what(s)}`, s.position, Math.max(1, s.text.length));
        segments.push(s.text);
      }
      return { kind: 'path', segments, position: t.position };
    }
    if (t.type === 'eof') fail('Expected a value, found the end of the expression', t.position, 0);
    return fail(`Expected a value, found '${t.text}'`, t.position, t.text.length);
  };

  if (peek().type === 'eof') fail('Expected an expression', 0, 0);
  const ast = or(0);
  const rest = peek();
  if (rest.type !== 'eof') fail(`Expected an operator or the end of the expression, found '${rest.text}'`, rest.position, rest.text.length);
  return ast;
}

// ------------------------------------------------------------------ evaluation

export type Scope = Record<string, unknown>;

interface FnDef {
  arity: [number, number];
  fn: (args: Value[]) => Value;
}

/** Lower case, accents removed, punctuation to spaces, whitespace collapsed: how inputs are compared. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function toText(v: Value | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function toNumber(v: Value): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v.trim().replace(',', '.'));
    return Number.isFinite(n) ? n : null;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  return null;
}

function truthy(v: Value): boolean {
  if (v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

function equal(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'string') return toNumber(b) === a;
  if (typeof a === 'string' && typeof b === 'number') return toNumber(a) === b;
  if (typeof a === 'string' && typeof b === 'string') return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i] as Value));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((key) => key in b && equal(a[key] as Value, b[key] as Value));
  }
  return false;
}

const FUNCTIONS: Record<string, FnDef> = {
  lower: { arity: [1, 1], fn: ([a]) => toText(a).toLowerCase() },
  upper: { arity: [1, 1], fn: ([a]) => toText(a).toUpperCase() },
  trim: { arity: [1, 1], fn: ([a]) => toText(a).trim() },
  normalize: { arity: [1, 1], fn: ([a]) => normalizeText(toText(a)) },
  length: { arity: [1, 1], fn: ([a]) => (Array.isArray(a) ? a.length : a && typeof a === 'object' ? Object.keys(a).length : toText(a).length) },
  number: { arity: [1, 1], fn: ([a]) => toNumber(a as Value) },
  text: { arity: [1, 1], fn: ([a]) => toText(a) },
  round: {
    arity: [1, 2],
    fn: ([a, places]) => {
      const n = toNumber(a as Value);
      const p = Math.max(0, Math.min(10, Math.trunc(toNumber(places ?? 0) ?? 0)));
      return n === null ? null : Math.round(n * 10 ** p) / 10 ** p;
    },
  },
  coalesce: { arity: [1, 16], fn: (args) => args.find((a) => a !== null && a !== '') ?? null },
  digits: { arity: [1, 1], fn: ([a]) => toText(a).replace(/\D+/g, '') },
  startsWith: { arity: [2, 2], fn: ([a, b]) => toText(a).startsWith(toText(b)) },
  endsWith: { arity: [2, 2], fn: ([a, b]) => toText(a).endsWith(toText(b)) },
  exists: { arity: [1, 1], fn: ([a]) => a !== null },
  /** `if(condition, then, else)` */
  if: { arity: [3, 3], fn: ([c, a, b]) => (truthy(c as Value) ? (a as Value) : (b as Value)) },
  /** Money and numbers as people say them: `amount(12.5, 'nl')` → "12,50". */
  amount: {
    arity: [1, 2],
    fn: ([a, lang]) => {
      const n = toNumber(a as Value);
      if (n === null) return null;
      const fixed = n.toFixed(2);
      return lang === 'nl' ? fixed.replace('.', ',') : fixed;
    },
  },
};

export const FLOW_FUNCTIONS: readonly string[] = Object.keys(FUNCTIONS);

function readPath(scope: Scope, segments: string[]): Value {
  let cur: unknown = scope;
  for (const s of segments) {
    if (cur === null || typeof cur !== 'object') return null;
    if (!Object.prototype.hasOwnProperty.call(cur, s)) return null;
    cur = (cur as Record<string, unknown>)[s];
  }
  return cur === undefined ? null : (cur as Value);
}

export function evaluate(ast: Expr, scope: Scope): Value {
  switch (ast.kind) {
    case 'lit':
      return ast.value;
    case 'path':
      return readPath(scope, ast.segments);
    case 'list':
      return ast.items.map((i) => evaluate(i, scope));
    case 'call': {
      const def = FUNCTIONS[ast.name];
      if (!def) return null;
      if (ast.name === 'if') {
        return truthy(evaluate(ast.args[0] as Expr, scope)) ? evaluate(ast.args[1] as Expr, scope) : evaluate(ast.args[2] as Expr, scope);
      }
      return def.fn(ast.args.map((a) => evaluate(a, scope)));
    }
    case 'unary': {
      const v = evaluate(ast.operand, scope);
      if (ast.op === 'not') return !truthy(v);
      const n = toNumber(v);
      return n === null ? null : -n;
    }
    case 'binary': {
      if (ast.op === 'and') return truthy(evaluate(ast.left, scope)) && truthy(evaluate(ast.right, scope));
      if (ast.op === 'or') return truthy(evaluate(ast.left, scope)) || truthy(evaluate(ast.right, scope));
      const l = evaluate(ast.left, scope);
      const r = evaluate(ast.right, scope);
      switch (ast.op) {
        case '==':
          return equal(l, r);
        case '!=':
          return !equal(l, r);
        case '<':
        case '<=':
        case '>':
        case '>=': {
          if (l === null || r === null) return false;
          let cmp: number;
          const ln = toNumber(l);
          const rn = toNumber(r);
          if (ln !== null && rn !== null && typeof l !== 'boolean' && typeof r !== 'boolean') cmp = ln - rn;
          else if (typeof l === 'string' && typeof r === 'string') cmp = l < r ? -1 : l > r ? 1 : 0;
          else return false;
          return ast.op === '<' ? cmp < 0 : ast.op === '<=' ? cmp <= 0 : ast.op === '>' ? cmp > 0 : cmp >= 0;
        }
        case 'in':
          return Array.isArray(r) ? r.some((x) => equal(l, x)) : typeof r === 'string' ? r.includes(toText(l)) : false;
        case 'contains':
          return Array.isArray(l) ? l.some((x) => equal(x, r)) : typeof l === 'string' ? l.toLowerCase().includes(toText(r).toLowerCase()) : false;
        case '+': {
          if (typeof l === 'string' || typeof r === 'string') return toText(l) + toText(r);
          const a = toNumber(l);
          const b = toNumber(r);
          return a === null || b === null ? null : a + b;
        }
        default: {
          const a = toNumber(l);
          const b = toNumber(r);
          if (a === null || b === null) return null;
          if (ast.op === '-') return a - b;
          if (ast.op === '*') return a * b;
          if (b === 0) return null;
          return ast.op === '/' ? a / b : a % b;
        }
      }
    }
  }
}

export { truthy as isTruthy };

/** Parse and evaluate; a bad expression evaluates to `null` (validation keeps those from being saved). */
export function evaluateSource(source: string, scope: Scope): Value {
  try {
    return evaluate(parseFlowExpression(source), scope);
  } catch (error) {
    if (error instanceof FlowExprError) return null;
    throw error;
  }
}

export function checkFlowExpression(source: string): ExprIssue | undefined {
  try {
    parseFlowExpression(source);
    return undefined;
  } catch (error) {
    if (error instanceof FlowExprError) return error.issue;
    throw error;
  }
}

/** Every variable path an expression reads (`customer.tier`), in order of appearance. */
export function readPaths(ast: Expr): string[] {
  const out = new Set<string>();
  const visit = (e: Expr): void => {
    if (e.kind === 'path') out.add(e.segments.join('.'));
    else if (e.kind === 'list') e.items.forEach(visit);
    else if (e.kind === 'call') e.args.forEach(visit);
    else if (e.kind === 'unary') visit(e.operand);
    else if (e.kind === 'binary') {
      visit(e.left);
      visit(e.right);
    }
  };
  visit(ast);
  return [...out];
}

// ------------------------------------------------------------------ templates

export type TemplatePart = { text: string } | { expr: Expr; source: string; position: number };

/** `Uw saldo is {{ amount(account.balance, language) }} euro.` — holes are expressions. */
export function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{{', i);
    if (open < 0) {
      parts.push({ text: template.slice(i) });
      break;
    }
    if (open > i) parts.push({ text: template.slice(i, open) });
    const close = template.indexOf('}}', open + 2);
    if (close < 0) fail("Unclosed '{{'", open, 2);
    const source = template.slice(open + 2, close);
    try {
      parts.push({ expr: parseFlowExpression(source.trim()), source: source.trim(), position: open });
    } catch (error) {
      if (error instanceof FlowExprError) {
        const lead = source.length - source.trimStart().length;
        fail(`${error.issue.message} (in '{{${source}}}')`, open + 2 + lead + error.issue.position, error.issue.length);
      }
      throw error;
    }
    i = close + 2;
  }
  return parts;
}

export function checkTemplate(template: string): ExprIssue | undefined {
  try {
    parseTemplate(template);
    return undefined;
  } catch (error) {
    if (error instanceof FlowExprError) return error.issue;
    throw error;
  }
}

/** Fills a template; `encode` is applied to every hole's text (e.g. encodeURIComponent for URLs). */
export function renderTemplate(template: string, scope: Scope, encode: (s: string) => string = (s) => s): string {
  let parts: TemplatePart[];
  try {
    parts = parseTemplate(template);
  } catch (error) {
    if (error instanceof FlowExprError) return template;
    throw error;
  }
  return parts.map((p) => ('text' in p ? p.text : encode(toText(evaluate(p.expr, scope))))).join('');
}

/** A template that is exactly one hole (`{{ account.id }}`) yields the raw value, not its text. */
export function renderValueTemplate(template: string, scope: Scope): Value {
  try {
    const parts = parseTemplate(template);
    if (parts.length === 1 && 'expr' in parts[0]!) return evaluate(parts[0].expr, scope);
  } catch (error) {
    if (!(error instanceof FlowExprError)) throw error;
    return template;
  }
  return renderTemplate(template, scope);
}
