/**
 * Static checks for routing expressions: every path must use a root allowed in this place and a
 * field the schema knows, and both sides of each comparison must have types that can ever match.
 *
 * The checker reports every issue at once, each with the span an editor should underline, because
 * supervisors fix expressions in a form, not one error per save. A path that already has an issue
 * (wrong root, unknown field) counts as `any` afterwards, so one typo gives one message rather
 * than a cascade of type complaints about the same operand.
 */
import type {
  ComparisonNode,
  ExpressionSchema,
  Expression,
  ExpressionIssue,
  FieldType,
  LiteralNode,
  Operand,
  PathNode,
  Root,
  Scalar,
  Span,
} from './expressions.ts';

/** The type of an operand: a schema field type, or `null` for the null literal. */
type OperandType = FieldType | 'null';

const ORDERING = new Set(['<', '<=', '>', '>=']);
const MAX_LISTED_FIELDS = 5;

// ---------------------------------------------------------------- field lookup

interface FieldMatch {
  type: FieldType;
}
type FieldLookup = FieldMatch | { missing: true; scalarParent?: { key: string; type: FieldType } };

const splitKey = (key: string): string[] => key.split('.');

/**
 * Resolves `segments` against one root's schema. An exact key beats a key with `*` segments (the
 * fewer wildcards the better); below an `object` or `any` field without a more specific entry the
 * value type is unknown (`any`); a wildcard key implies its parent is an object even when the
 * schema does not list the parent itself.
 */
function lookupField(fields: Record<string, FieldType>, segments: string[]): FieldLookup {
  let best: { type: FieldType; wildcards: number } | undefined;
  for (const [key, type] of Object.entries(fields)) {
    const parts = splitKey(key);
    if (parts.length !== segments.length) continue;
    let wildcards = 0;
    const matches = parts.every((part, i) => {
      if (part === '*') {
        wildcards++;
        return true;
      }
      return part === segments[i];
    });
    if (matches && (!best || wildcards < best.wildcards)) best = { type, wildcards };
  }
  if (best) return { type: best.type };

  // A strict prefix of a known key is a map (e.g. `skills` when the schema has `skills.*`).
  for (const key of Object.keys(fields)) {
    const parts = splitKey(key);
    if (parts.length > segments.length && segments.every((s, i) => parts[i] === '*' || parts[i] === s)) {
      return { type: 'object' };
    }
  }

  // Below a free-form field: the longest ancestor decides.
  for (let n = segments.length - 1; n >= 1; n--) {
    const ancestor = lookupField(fields, segments.slice(0, n));
    if ('type' in ancestor) {
      if (ancestor.type === 'object' || ancestor.type === 'any') return { type: 'any' };
      return { missing: true, scalarParent: { key: segments.slice(0, n).join('.'), type: ancestor.type } };
    }
  }
  return { missing: true };
}

/** Optimal string alignment distance: Levenshtein plus adjacent swaps (`langauge` is one edit from `language`). */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((d[i - 1]![j] as number) + 1, (d[i]![j - 1] as number) + 1, (d[i - 1]![j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, (d[i - 2]![j - 2] as number) + 1);
      d[i]![j] = value;
    }
  }
  return d[a.length]![b.length] as number;
}

/**
 * Concrete spellings the user may have meant: plain keys as they are, wildcard keys with the
 * user's own segments filled in (so `agent.skils.billing` suggests `agent.skills.billing`).
 */
function candidateKeys(fields: Record<string, FieldType>, segments: string[]): string[] {
  const out = new Set<string>();
  for (const key of Object.keys(fields)) {
    const parts = splitKey(key);
    if (!parts.includes('*')) out.add(key);
    else if (parts.length === segments.length) out.add(parts.map((p, i) => (p === '*' ? segments[i] : p)).join('.'));
  }
  return [...out];
}

function suggestField(fields: Record<string, FieldType>, segments: string[]): string | undefined {
  const typed = segments.join('.');
  const lower = typed.toLowerCase();
  // Allow roughly one typo per three characters, at least one, so short names don't match everything.
  const limit = Math.max(1, Math.floor(typed.length / 3));
  let best: { key: string; distance: number } | undefined;
  for (const key of candidateKeys(fields, segments)) {
    const distance = editDistance(lower, key.toLowerCase()) + (key === typed ? 0 : key.toLowerCase() === lower ? 0.5 : 0);
    if (distance <= limit && (!best || distance < best.distance)) best = { key, distance };
  }
  return best?.key;
}

// ---------------------------------------------------------------- types and wording

const TYPE_NAMES: Record<OperandType, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true/false',
  'string[]': 'a list of text',
  'number[]': 'a list of numbers',
  object: 'a map of named values',
  any: 'any value',
  null: 'null',
};

const literalType = (value: Scalar): OperandType => {
  if (value === null) return 'null';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  return 'boolean';
};

const elementType = (t: OperandType): OperandType | undefined => {
  if (t === 'string[]') return 'string';
  if (t === 'number[]') return 'number';
  if (t === 'any') return 'any';
  return undefined;
};

/** Whether `==` between the two types can ever be true. `any` and the null literal fit everything. */
const compatible = (a: OperandType, b: OperandType): boolean => a === b || a === 'any' || b === 'any' || a === 'null' || b === 'null';

const showLiteral = (value: Scalar): string => {
  if (typeof value !== 'string') return String(value);
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
};
const pathText = (p: PathNode): string => [p.root, ...p.segments].join('.');
const show = (o: Operand): string => {
  if (o.kind === 'path') return pathText(o);
  if (o.kind === 'literal') return showLiteral(o.value);
  return `[${o.items.map((i) => showLiteral(i.value)).join(', ')}]`;
};

const listRoots = (roots: readonly Root[]): string => {
  const names = roots.map((r) => `${r}.`);
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
};

const spanOf = (node: Span): Span => ({ position: node.position, length: node.length });

// ---------------------------------------------------------------- the checker

export function checkExpression(ast: Expression, schema: ExpressionSchema, allowedRoots: Root[]): ExpressionIssue[] {
  const issues: ExpressionIssue[] = [];
  const report = (span: Span, message: string) => issues.push({ message, ...spanOf(span) });
  const fieldsOf = (root: Root): Record<string, FieldType> => (schema as Partial<ExpressionSchema>)[root] ?? {};

  /** Type of an operand; reports path problems and answers `any` for a path that has one. */
  const typeOf = (o: Operand): OperandType => {
    if (o.kind === 'literal') return literalType(o.value);
    if (o.kind === 'list') return 'any'; // callers look at list items themselves
    if (!allowedRoots.includes(o.root)) {
      const only = allowedRoots.length > 0 ? `; only ${listRoots(allowedRoots)} fields can` : '';
      report(o, `${o.root}. fields can't be used here${only}`);
      return 'any';
    }
    const fields = fieldsOf(o.root);
    const found = lookupField(fields, o.segments);
    if ('type' in found) return found.type;
    const name = pathText(o);
    if (found.scalarParent) {
      report(o, `${o.root}.${found.scalarParent.key} is ${TYPE_NAMES[found.scalarParent.type]} and has no fields, so ${name} does not exist`);
      return 'any';
    }
    const suggestion = suggestField(fields, o.segments);
    if (suggestion !== undefined) {
      report(o, `Unknown field ${name}; did you mean ${o.root}.${suggestion}?`);
      return 'any';
    }
    // The field may exist under another root the user may use here (task.skills vs agent.skills).
    const elsewhere = allowedRoots.find((r) => r !== o.root && 'type' in lookupField(fieldsOf(r), o.segments));
    if (elsewhere) {
      report(o, `Unknown field ${name}; did you mean ${elsewhere}.${o.segments.join('.')}?`);
      return 'any';
    }
    const known = Object.keys(fields).sort();
    if (known.length === 0) {
      report(o, `Unknown field ${name}; there are no ${o.root}. fields`);
    } else {
      const listed = known.slice(0, MAX_LISTED_FIELDS).map((k) => `${o.root}.${k}`).join(', ');
      const more = known.length > MAX_LISTED_FIELDS ? ` and ${known.length - MAX_LISTED_FIELDS} more` : '';
      report(o, `Unknown field ${name}; known fields are ${listed}${more}`);
    }
    return 'any';
  };

  /** "task.priority is a number but 'high' is text", underlining the literal when there is one. */
  const mismatch = (node: ComparisonNode, a: Operand, aType: OperandType, b: Operand | LiteralNode, bType: OperandType, hint = '') => {
    const span = b.kind === 'literal' ? b : a.kind === 'literal' ? a : node;
    report(span, `${show(a)} is ${TYPE_NAMES[aType]} but ${show(b)} is ${TYPE_NAMES[bType]}${hint}`);
  };

  const checkComparison = (node: ComparisonNode): void => {
    const { operator, left, right } = node;
    const leftType = typeOf(left);
    const rightType = typeOf(right);

    if (ORDERING.has(operator)) {
      let orderable = true;
      for (const [o, t] of [[left, leftType], [right, rightType]] as const) {
        if (t !== 'number' && t !== 'string' && t !== 'any') {
          const what = t === 'null' ? 'null is neither' : `${show(o)} is ${TYPE_NAMES[t]}`;
          report(o, `'${operator}' compares numbers or text, but ${what}`);
          orderable = false;
        }
      }
      if (orderable && !compatible(leftType, rightType)) mismatch(node, left, leftType, right, rightType);
      return;
    }

    if (operator === '==' || operator === '!=') {
      if (!compatible(leftType, rightType)) {
        const listVsItem = elementType(leftType) !== undefined && leftType !== 'any' && compatible(elementType(leftType)!, rightType);
        mismatch(node, left, leftType, right, rightType, listVsItem ? `; use HAS to test whether the list holds it` : '');
      }
      return;
    }

    if (operator === 'IN' || operator === 'NOT IN') {
      if (right.kind === 'list') {
        for (const item of right.items) {
          const itemType = literalType(item.value);
          if (!compatible(leftType, itemType)) mismatch(node, left, leftType, item, itemType);
        }
        return;
      }
      const element = elementType(rightType);
      if (element === undefined) {
        const what = right.kind === 'path' ? `; ${show(right)} is ${TYPE_NAMES[rightType]}` : '';
        const hint = right.kind === 'path' && (rightType === 'string' || rightType === 'object') ? ` (use ${rightType === 'string' ? 'CONTAINS' : 'HAS'} instead?)` : '';
        report(right, `${operator} needs a list on the right, like [a, b], or a list field${what}${hint}`);
        return;
      }
      if (!compatible(leftType, element)) {
        report(node, `${show(left)} is ${TYPE_NAMES[leftType]} but ${show(right)} is ${TYPE_NAMES[rightType]}`);
      }
      return;
    }

    if (operator === 'HAS') {
      if (leftType === 'object') {
        if (rightType !== 'string' && rightType !== 'number' && rightType !== 'any') {
          report(right, `HAS on a map tests for a name, but ${show(right)} is ${TYPE_NAMES[rightType]}`);
        }
        return;
      }
      const element = elementType(leftType);
      if (element === undefined) {
        const hint = leftType === 'string' ? ' (use == or CONTAINS for text)' : '';
        report(left, `HAS needs a list or a map on the left, but ${show(left)} is ${TYPE_NAMES[leftType]}${hint}`);
        return;
      }
      if (!compatible(element, rightType)) mismatch(node, left, leftType, right, rightType);
      return;
    }

    // CONTAINS: substring of text (case-insensitive) or membership in a list.
    if (leftType === 'string') {
      if (rightType !== 'string' && rightType !== 'any') {
        report(right, `CONTAINS looks for text inside ${show(left)}, but ${show(right)} is ${TYPE_NAMES[rightType]}`);
      }
      return;
    }
    const element = elementType(leftType);
    if (element === undefined) {
      report(left, `CONTAINS needs text or a list on the left, but ${show(left)} is ${TYPE_NAMES[leftType]}`);
      return;
    }
    if (!compatible(element, rightType)) mismatch(node, left, leftType, right, rightType);
  };

  const visit = (e: Expression): void => {
    if (e.kind === 'compare') checkComparison(e);
    else if (e.kind === 'not') visit(e.operand);
    else {
      visit(e.left);
      visit(e.right);
    }
  };
  visit(ast);
  // Stable sort: issues read left to right, as an editor lists them.
  return issues.sort((a, b) => a.position - b.position);
}
