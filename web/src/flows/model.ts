/** Pure helpers over a flow definition as the editor holds it: layout, summaries, new nodes. */
import type { FlowDefinition, FlowIssue, FlowNodeJson, NodeType } from './types';

export const NODE_COLORS: Record<NodeType, string> = {
  say: 'blue',
  ask: 'cyan',
  menu: 'violet',
  branch: 'orange',
  set: 'gray',
  lookup: 'teal',
  answer: 'grape',
  handoff: 'red',
  callback: 'pink',
  end: 'green',
};

/** A short glyph per node type, shown in the node's coloured badge. */
export const NODE_GLYPHS: Record<NodeType, string> = {
  say: '”',
  ask: '?',
  menu: '≡',
  branch: '⑂',
  set: '=',
  lookup: '⇄',
  answer: '¶',
  handoff: '☎',
  callback: '↺',
  end: '■',
};

export const colorOf = (type: string): string => NODE_COLORS[type as NodeType] ?? 'dark';
export const glyphOf = (type: string): string => NODE_GLYPHS[type as NodeType] ?? '•';

const LAYER_HEIGHT = 130;
const COLUMN_WIDTH = 250;

function hasPosition(node: FlowNodeJson): boolean {
  const p = node.position;
  return !!p && typeof p === 'object' && Number.isFinite(p.x) && Number.isFinite(p.y);
}

/**
 * Positions for the canvas: a node's own `position`, or for nodes without one a place in
 * breadth-first layers from `start` (unreachable nodes in a last layer).
 */
export function layoutPositions(definition: FlowDefinition): Map<number, { x: number; y: number }> {
  const nodes = definition.nodes;
  const result = new Map<number, { x: number; y: number }>();
  const needLayout = nodes.some((n) => !hasPosition(n));
  const layers = needLayout ? bfsLayers(definition) : new Map<number, number>();
  const perLayer = new Map<number, number[]>();
  nodes.forEach((_, i) => {
    const layer = layers.get(i) ?? 0;
    perLayer.set(layer, [...(perLayer.get(layer) ?? []), i]);
  });
  nodes.forEach((node, i) => {
    if (hasPosition(node)) {
      result.set(i, { x: node.position!.x, y: node.position!.y });
      return;
    }
    const layer = layers.get(i) ?? 0;
    const row = perLayer.get(layer) ?? [i];
    const column = row.indexOf(i);
    result.set(i, { x: (column - (row.length - 1) / 2) * COLUMN_WIDTH, y: layer * LAYER_HEIGHT });
  });
  return result;
}

/** Node index → BFS depth from the start node. */
export function bfsLayers(definition: FlowDefinition): Map<number, number> {
  const nodes = definition.nodes;
  const indexOf = new Map<string, number>();
  nodes.forEach((n, i) => {
    if (typeof n.id === 'string' && !indexOf.has(n.id)) indexOf.set(n.id, i);
  });
  const layers = new Map<number, number>();
  const startIndex = typeof definition.start === 'string' ? indexOf.get(definition.start) : undefined;
  const queue: number[] = [];
  if (startIndex !== undefined) {
    layers.set(startIndex, 0);
    queue.push(startIndex);
  }
  while (queue.length > 0) {
    const i = queue.shift()!;
    const depth = layers.get(i)!;
    for (const target of Object.values(exitsOf(nodes[i]!))) {
      const j = indexOf.get(target);
      if (j !== undefined && !layers.has(j)) {
        layers.set(j, depth + 1);
        queue.push(j);
      }
    }
  }
  const last = Math.max(-1, ...layers.values()) + 1;
  nodes.forEach((_, i) => {
    if (!layers.has(i)) layers.set(i, last);
  });
  return layers;
}

/** Every node placed anew in BFS layers (the "Arrange" button). */
export function autoLayout(definition: FlowDefinition): FlowDefinition {
  const stripped = { ...definition, nodes: definition.nodes.map(({ position: _position, ...rest }) => rest as FlowNodeJson) };
  const positions = layoutPositions(stripped);
  return { ...definition, nodes: definition.nodes.map((n, i) => ({ ...n, position: positions.get(i)! })) };
}

export function exitsOf(node: FlowNodeJson): Record<string, string> {
  const exits = node.exits;
  if (!exits || typeof exits !== 'object' || Array.isArray(exits)) return {};
  const result: Record<string, string> = {};
  for (const [name, target] of Object.entries(exits)) if (typeof target === 'string') result[name] = target;
  return result;
}

function localized(value: unknown, language: string): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  const own = v[language];
  if (typeof own === 'string' && own.trim() !== '') return own;
  const other = v[language === 'nl' ? 'en' : 'nl'];
  return typeof other === 'string' && other.trim() !== '' ? other : undefined;
}

function firstWords(text: string, count = 7): string {
  const words = text.trim().split(/\s+/);
  return words.length > count ? `${words.slice(0, count).join(' ')}…` : words.join(' ');
}

/** What the graph shows under a node's id: its label, else the prompt's first words, else its key setting. */
export function nodeSummary(node: FlowNodeJson, language: string): string {
  if (typeof node.label === 'string' && node.label.trim() !== '') return node.label;
  const prompt = localized(node.prompt, language);
  if (prompt) return firstWords(prompt);
  const n = node as Record<string, unknown>;
  switch (node.type) {
    case 'set':
      return Array.isArray(n.assignments) ? n.assignments.map((a) => (a as { variable?: unknown }).variable).filter((v) => typeof v === 'string').join(', ') : '';
    case 'branch':
      return Array.isArray(n.conditions) ? firstWords(String((n.conditions[0] as { when?: unknown } | undefined)?.when ?? ''), 6) : '';
    case 'lookup':
      return `${typeof n.method === 'string' ? n.method : 'GET'} ${typeof n.url === 'string' ? n.url : ''}`.trim();
    case 'answer':
      return typeof n.query === 'string' ? n.query : '{{ input }}';
    case 'handoff':
    case 'callback':
      return typeof n.queueId === 'string' ? `→ ${n.queueId}` : '';
    case 'end':
      return typeof n.reason === 'string' ? n.reason : '';
    default:
      return '';
  }
}

function uniqueId(definition: FlowDefinition, type: string): string {
  const taken = new Set(definition.nodes.map((n) => n.id));
  for (let i = 1; ; i++) {
    const id = `${type}_${i}`;
    if (!taken.has(id)) return id;
  }
}

/** A node of the given type with just enough settings to pass the shape check; its exits still need wiring. */
export function newNode(definition: FlowDefinition, type: NodeType, near?: FlowNodeJson): FlowNodeJson {
  const id = uniqueId(definition, type);
  const positions = layoutPositions(definition);
  const lowest = Math.max(0, ...[...positions.values()].map((p) => p.y));
  const position = near?.position ? { x: near.position.x + 40, y: near.position.y + LAYER_HEIGHT } : { x: 0, y: lowest + LAYER_HEIGHT };
  const handoff = definition.handoff as { queueId?: unknown } | undefined;
  const queueId = typeof handoff?.queueId === 'string' ? handoff.queueId : 'Algemeen';
  const text = { nl: 'Nieuwe tekst', en: 'New text' };
  const base = { id, type, position, exits: {} as Record<string, string> };
  switch (type) {
    case 'say':
      return { ...base, prompt: text };
    case 'ask':
      return { ...base, kind: 'text', prompt: { nl: 'Wat is uw vraag?', en: 'What is your question?' }, variable: 'answer' };
    case 'menu':
      return { ...base, prompt: { nl: 'Maak een keuze.', en: 'Please choose.' }, choices: [{ value: 'optie_1', label: { nl: 'Optie 1', en: 'Option 1' } }] };
    case 'branch':
      return { ...base, conditions: [{ exit: 'ja', when: "input == 'ja'" }] };
    case 'set':
      return { ...base, assignments: [{ variable: 'intent', value: "'unknown'" }] };
    case 'lookup':
      return { ...base, method: 'GET', url: 'https://example.nl/api/{{ input }}', result: {} };
    case 'answer':
      return { ...base, query: '{{ input }}' };
    case 'handoff':
      return { ...base, queueId, reason: 'flow_handoff' };
    case 'callback':
      return { ...base, queueId };
    case 'end':
      return { ...base, reason: 'contained' };
  }
}

/** The settings: everything but the nodes. */
export function settingsOf(definition: FlowDefinition): Record<string, unknown> {
  const { nodes: _nodes, ...settings } = definition;
  return settings;
}

/** Turns the stored draft into the editor's shape (nodes always an array of objects). */
export function toDefinition(draft: Record<string, unknown>): FlowDefinition {
  const nodes = Array.isArray(draft.nodes) ? draft.nodes.filter((n): n is FlowNodeJson => !!n && typeof n === 'object' && !Array.isArray(n)) : [];
  return { ...draft, nodes } as FlowDefinition;
}

export function nodesWithErrors(issues: FlowIssue[]): Set<string> {
  return new Set(issues.filter((i) => i.severity === 'error' && i.nodeId !== null).map((i) => i.nodeId!));
}

/** The spoken text of a TwiML document: the contents of its <Say> elements. */
export function spokenText(twiml: string): string[] {
  try {
    const doc = new DOMParser().parseFromString(twiml, 'application/xml');
    return [...doc.getElementsByTagName('Say')].map((el) => el.textContent ?? '').filter((s) => s.trim() !== '');
  } catch {
    return [];
  }
}
