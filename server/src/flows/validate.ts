/**
 * Save-time validation of a flow: shape (zod), graph (targets, required exits, reachability, a way
 * out from every node), expressions and templates, and lookup hosts against the allow-list.
 *
 * Cycles are allowed: "anything else?" loops back to the main menu, and a lookup may be retried.
 * What is required is that from every reachable node some path leads to an `end` or `handoff`
 * node; questions (ask, menu) always have that path through their no_input / no_match exits
 * after `maxRetries`. A cycle in which no node waits for the customer or for an effect (only say,
 * set and branch) is reported as a warning: it can only end because a branch changes its mind, and
 * at run time the hop limit (`maxHops`) hands the customer off if it never does.
 *
 * Issues are errors (the flow cannot go live) or warnings (it can; e.g. a prompt missing one of the
 * flow's languages, which falls back to the other language).
 */
import { checkFlowExpression, checkTemplate, type ExprIssue } from './expr.ts';
import { flowSchema, isTerminal, knownExits, promptText, requiredExits, type Flow, type FlowNode, type Prompt } from './flow.ts';

export interface FlowIssue {
  /** null for flow-level settings. */
  nodeId: string | null;
  /** Dotted path inside the node (or the flow), e.g. `exits.next`, `conditions.0.when`, `prompt.nl`. */
  field: string;
  message: string;
  severity: 'error' | 'warning';
  /** For expressions and templates: where in the text (for the editor's squiggles). */
  position?: number;
  length?: number;
}

export interface FlowValidation {
  /** True when there are no errors (warnings allowed). */
  ok: boolean;
  /** The parsed flow with defaults applied, when its shape is right (even if other errors remain). */
  flow: Flow | null;
  issues: FlowIssue[];
}

/** Validate what an admin sends. */
export function validateFlow(input: unknown): FlowValidation {
  const parsed = flowSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => zodIssue(input, i));
    return { ok: false, flow: null, issues };
  }
  const issues = checkFlow(parsed.data);
  return { ok: !issues.some((i) => i.severity === 'error'), flow: parsed.data, issues };
}

function zodIssue(input: unknown, issue: { path: PropertyKey[]; message: string }): FlowIssue {
  const path = issue.path.map(String);
  if (path[0] === 'nodes' && path.length >= 2) {
    const nodes = (input as { nodes?: unknown[] } | null)?.nodes;
    const node = Array.isArray(nodes) ? (nodes[Number(path[1])] as { id?: unknown } | undefined) : undefined;
    const nodeId = node && typeof node.id === 'string' ? node.id : `#${path[1]}`;
    return { nodeId, field: path.slice(2).join('.') || 'node', message: issue.message, severity: 'error' };
  }
  return { nodeId: null, field: path.join('.') || 'flow', message: issue.message, severity: 'error' };
}

/** Host allowed by the list: exact (case-insensitive), or `*.example.nl` for any subdomain. */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return allowed.some((entry) => {
    const e = entry.toLowerCase().trim();
    if (e.startsWith('*.')) return h.endsWith(e.slice(1)) && h.length > e.length - 1;
    return h === e;
  });
}

/**
 * The scheme and host of a URL template, which must be written out (no `{{ }}` before the path) so
 * that the allow-list means something. Returns an error message instead when it is not.
 */
export function staticUrlHost(urlTemplate: string): { scheme: string; host: string } | { error: string } {
  const hole = urlTemplate.indexOf('{{');
  const prefix = hole < 0 ? urlTemplate : urlTemplate.slice(0, hole);
  const m = /^(https?):\/\/([^/?#]*)([/?#]|$)/i.exec(prefix);
  if (!m) {
    return { error: hole >= 0 && /^https?:\/\/[^/?#]*$/i.test(prefix) ? 'The host must be written out; {{ }} may only appear in the path and query' : 'The URL must start with https:// and a host' };
  }
  if (hole >= 0 && m[3] === '') return { error: 'The host must be written out; {{ }} may only appear in the path and query' };
  const authority = m[2] as string;
  if (authority.includes('@')) return { error: 'The URL may not contain a user name or password' };
  const host = authority.startsWith('[') ? authority.slice(0, authority.indexOf(']') + 1) : (authority.split(':')[0] as string);
  if (!host) return { error: 'The URL has no host' };
  return { scheme: (m[1] as string).toLowerCase(), host: host.toLowerCase() };
}

const RESULT_PATH = /^(status|body|headers)(\.[^.]+)*$/;
const RESERVED_VARIABLES = new Set(['channel', 'input']);

/** Every semantic check on a flow whose shape is already right. */
export function checkFlow(flow: Flow): FlowIssue[] {
  const issues: FlowIssue[] = [];
  const error = (nodeId: string | null, field: string, message: string, at?: ExprIssue) =>
    issues.push({ nodeId, field, message, severity: 'error', ...(at ? { position: at.position, length: at.length } : {}) });
  const warn = (nodeId: string | null, field: string, message: string) => issues.push({ nodeId, field, message, severity: 'warning' });

  const byId = new Map<string, FlowNode>();
  for (const node of flow.nodes) {
    if (byId.has(node.id)) error(node.id, 'id', `Another node already has the id '${node.id}'`);
    else byId.set(node.id, node);
  }
  if (!byId.has(flow.start)) error(null, 'start', `The start node '${flow.start}' does not exist`);
  else if (isTerminal(byId.get(flow.start) as FlowNode) && flow.nodes.length > 1) warn(null, 'start', 'The flow ends at its first node');

  const expression = (nodeId: string | null, field: string, source: string) => {
    const issue = checkFlowExpression(source);
    if (issue) error(nodeId, field, `Invalid expression: ${issue.message}`, issue);
  };
  const template = (nodeId: string | null, field: string, text: string) => {
    const issue = checkTemplate(text);
    if (issue) error(nodeId, field, `Invalid template: ${issue.message}`, issue);
  };
  const prompt = (nodeId: string, field: string, p: Prompt | undefined, required: boolean) => {
    if (!p) return;
    if (!promptText(p, flow.defaultLanguage)) {
      if (required) error(nodeId, field, 'The prompt is empty');
      return;
    }
    for (const lang of ['nl', 'en'] as const) {
      const text = p[lang];
      if (text) template(nodeId, `${field}.${lang}`, text);
      else if (flow.languages.includes(lang)) warn(nodeId, `${field}.${lang}`, `No ${lang === 'nl' ? 'Dutch' : 'English'} text; the other language is used`);
    }
  };
  const variable = (nodeId: string, field: string, path: string) => {
    const root = path.split('.')[0] as string;
    if (RESERVED_VARIABLES.has(root)) error(nodeId, field, `'${root}' is set by the flow engine and cannot be assigned`);
  };

  for (const [name, source] of Object.entries(flow.handoff.attributes)) expression(null, `handoff.attributes.${name}`, source);
  const agentDigit = flow.agentRequest.enabled ? flow.agentRequest.digit : undefined;

  for (const node of flow.nodes) {
    const nid = node.id;
    // exits
    const known = new Set(knownExits(node));
    for (const [exit, target] of Object.entries(node.exits)) {
      if (!known.has(exit)) error(nid, `exits.${exit}`, `A ${node.type} node has no exit '${exit}'${known.size ? ` (its exits: ${[...known].join(', ')})` : ''}`);
      else if (!byId.has(target)) error(nid, `exits.${exit}`, `Exit '${exit}' leads to '${target}', which does not exist`);
    }
    for (const exit of requiredExits(node)) {
      if (node.exits[exit] === undefined) error(nid, `exits.${exit}`, `Exit '${exit}' is not connected`);
    }

    switch (node.type) {
      case 'say':
        prompt(nid, 'prompt', node.prompt, true);
        break;
      case 'ask':
      case 'menu': {
        prompt(nid, 'prompt', node.prompt, true);
        prompt(nid, 'noInputPrompt', node.noInputPrompt, false);
        prompt(nid, 'noMatchPrompt', node.noMatchPrompt, false);
        if (node.variable) variable(nid, 'variable', node.variable);
        const isChoice = node.type === 'menu' || node.kind === 'choice';
        if (node.type === 'ask' && node.kind === 'choice' && node.choices.length === 0) error(nid, 'choices', 'A choice question needs at least one choice');
        if (node.type === 'ask' && !isChoice && node.choices.length > 0) warn(nid, 'choices', `Choices are ignored by a ${node.kind} question`);
        if (node.type === 'ask' && node.kind === 'digits' && node.minDigits !== undefined && node.maxDigits !== undefined && node.minDigits > node.maxDigits) {
          error(nid, 'minDigits', 'minDigits is larger than maxDigits');
        }
        if (node.type === 'ask' && node.minLength !== undefined && node.maxLength !== undefined && node.minLength > node.maxLength) {
          error(nid, 'minLength', 'minLength is larger than maxLength');
        }
        if (isChoice) {
          const values = new Set<string>();
          const digits = new Map<string, string>();
          node.choices.forEach((c, i) => {
            if (values.has(c.value)) error(nid, `choices.${i}.value`, `Two choices have the value '${c.value}'`);
            values.add(c.value);
            if (node.type === 'menu' && (c.value === 'no_input' || c.value === 'no_match')) error(nid, `choices.${i}.value`, `'${c.value}' is the name of a built-in exit`);
            prompt(nid, `choices.${i}.label`, c.label, true);
            const digit = c.digit ?? (i < 9 ? String(i + 1) : undefined);
            if (digit === undefined) error(nid, `choices.${i}.digit`, 'Choices after the ninth need an explicit key');
            else if (digits.has(digit)) error(nid, `choices.${i}.digit`, `Key ${digit} is already used by '${digits.get(digit)}'`);
            else if (digit === agentDigit) error(nid, `choices.${i}.digit`, `Key ${digit} is the flow's "talk to a person" key`);
            else digits.set(digit, c.value);
          });
        }
        break;
      }
      case 'branch':
        node.conditions.forEach((c, i) => {
          expression(nid, `conditions.${i}.when`, c.when);
          if (c.exit === 'else') error(nid, `conditions.${i}.exit`, "'else' is the exit taken when no condition holds");
        });
        break;
      case 'set':
        node.assignments.forEach((a, i) => {
          variable(nid, `assignments.${i}.variable`, a.variable);
          if (a.mode === 'template') template(nid, `assignments.${i}.value`, a.value);
          else expression(nid, `assignments.${i}.value`, a.value);
        });
        break;
      case 'lookup': {
        template(nid, 'url', node.url);
        const host = staticUrlHost(node.url);
        if ('error' in host) error(nid, 'url', host.error);
        else {
          if (host.scheme !== 'https') warn(nid, 'url', 'Plain http: data travels unencrypted');
          if (!hostAllowed(host.host, flow.allowedHosts)) error(nid, 'url', `Host '${host.host}' is not on the flow's list of allowed hosts`);
        }
        for (const [name, value] of Object.entries(node.headers)) {
          if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) error(nid, `headers.${name}`, 'Not a valid header name');
          template(nid, `headers.${name}`, value);
        }
        if (node.body !== undefined) {
          if (node.method === 'GET' || node.method === 'DELETE') warn(nid, 'body', `A ${node.method} request is sent without its body`);
          walkStrings(node.body, 'body', (text, field) => template(nid, field, text));
        }
        for (const [variableName, path] of Object.entries(node.result)) {
          if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(variableName)) error(nid, `result.${variableName}`, 'Not a variable name');
          else variable(nid, `result.${variableName}`, variableName);
          if (!RESULT_PATH.test(path)) error(nid, `result.${variableName}`, "A result path starts with 'status', 'body' or 'headers' (e.g. body.account.balance)");
        }
        prompt(nid, 'prompt', node.prompt, false);
        break;
      }
      case 'answer':
        template(nid, 'query', node.query);
        variable(nid, 'variable', node.variable);
        prompt(nid, 'followUp', node.followUp, false);
        break;
      case 'handoff':
        for (const [name, source] of Object.entries(node.attributes)) expression(nid, `attributes.${name}`, source);
        prompt(nid, 'prompt', node.prompt, false);
        break;
      case 'callback':
        expression(nid, 'phone', node.phone);
        expression(nid, 'at', node.at);
        for (const [name, source] of Object.entries(node.attributes)) expression(nid, `attributes.${name}`, source);
        prompt(nid, 'prompt', node.prompt, false);
        break;
      case 'end':
        prompt(nid, 'prompt', node.prompt, false);
        break;
    }
  }

  graphChecks(flow, byId, error, warn);
  return issues;
}

function walkStrings(value: unknown, field: string, visit: (text: string, field: string) => void): void {
  if (typeof value === 'string') visit(value, field);
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, `${field}.${i}`, visit));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walkStrings(v, `${field}.${k}`, visit);
}

/** Targets of a node's known exits that exist. */
function successors(node: FlowNode, byId: Map<string, FlowNode>): string[] {
  const known = new Set(knownExits(node));
  return Object.entries(node.exits)
    .filter(([exit, target]) => known.has(exit) && byId.has(target))
    .map(([, target]) => target);
}

const WAITS = new Set(['ask', 'menu', 'lookup', 'answer', 'callback']);

function graphChecks(
  flow: Flow,
  byId: Map<string, FlowNode>,
  error: (nodeId: string | null, field: string, message: string) => void,
  warn: (nodeId: string | null, field: string, message: string) => void,
): void {
  const next = new Map<string, string[]>();
  for (const [nid, node] of byId) next.set(nid, successors(node, byId));

  // reachable from the start
  const reachable = new Set<string>();
  if (byId.has(flow.start)) {
    const stack = [flow.start];
    while (stack.length) {
      const n = stack.pop() as string;
      if (reachable.has(n)) continue;
      reachable.add(n);
      for (const m of next.get(n) ?? []) stack.push(m);
    }
  }
  for (const nid of byId.keys()) if (!reachable.has(nid) && byId.has(flow.start)) error(nid, 'node', 'No path from the start reaches this node');

  // can reach a terminal (walk the reversed graph from every end / handoff)
  const previous = new Map<string, string[]>();
  for (const [n, targets] of next) for (const t of targets) previous.set(t, [...(previous.get(t) ?? []), n]);
  const canEnd = new Set<string>();
  const stack = [...byId.values()].filter(isTerminal).map((n) => n.id);
  while (stack.length) {
    const n = stack.pop() as string;
    if (canEnd.has(n)) continue;
    canEnd.add(n);
    for (const p of previous.get(n) ?? []) stack.push(p);
  }
  for (const nid of reachable) if (!canEnd.has(nid)) error(nid, 'exits', 'No path from this node leads to an end or handoff node');

  // cycles through nodes that never wait (strongly connected components of say/set/branch nodes)
  const busy = [...reachable].filter((n) => !WAITS.has((byId.get(n) as FlowNode).type));
  const busySet = new Set(busy);
  for (const component of stronglyConnected(busy, (n) => (next.get(n) ?? []).filter((m) => busySet.has(m)))) {
    const first = component[0] as string;
    const selfLoop = component.length === 1 && (next.get(first) ?? []).includes(first);
    if (component.length > 1 || selfLoop) {
      warn(first, 'exits', `Loop without a question or lookup (${component.join(' → ')}); it only stops when a branch changes, or at the hop limit of ${flow.maxHops}`);
    }
  }
}

/** Tarjan's algorithm, iterative (flows have at most 500 nodes, but no recursion on user data). */
function stronglyConnected(nodes: string[], edges: (n: string) => string[]): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: Array<{ node: string; edges: string[]; i: number }> = [];
    const open = (n: string) => {
      index.set(n, counter);
      low.set(n, counter);
      counter++;
      stack.push(n);
      onStack.add(n);
      work.push({ node: n, edges: edges(n), i: 0 });
    };
    open(root);
    while (work.length) {
      const frame = work[work.length - 1] as { node: string; edges: string[]; i: number };
      if (frame.i < frame.edges.length) {
        const m = frame.edges[frame.i++] as string;
        if (!index.has(m)) open(m);
        else if (onStack.has(m)) low.set(frame.node, Math.min(low.get(frame.node) as number, index.get(m) as number));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node) as number, low.get(frame.node) as number));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        for (;;) {
          const m = stack.pop() as string;
          onStack.delete(m);
          component.push(m);
          if (m === frame.node) break;
        }
        out.push(component.reverse());
      }
    }
  }
  return out;
}
