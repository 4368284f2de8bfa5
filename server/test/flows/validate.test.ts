import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FlowInput } from '../../src/flows/flow.ts';
import { hostAllowed, staticUrlHost, validateFlow, type FlowIssue } from '../../src/flows/validate.ts';
import { energyFlowInput, shopFlowInput } from './examples.ts';

type NodeInput = FlowInput['nodes'][number];

const base = (nodes: NodeInput[], extra: Partial<FlowInput> = {}): FlowInput => ({
  id: 'f',
  name: 'Test',
  version: 1,
  start: nodes[0]?.id ?? 'start',
  languages: ['nl'],
  handoff: { queueId: 'general' },
  nodes,
  ...extra,
});
const errors = (input: unknown): FlowIssue[] => validateFlow(input).issues.filter((i) => i.severity === 'error');
const warnings = (input: unknown): FlowIssue[] => validateFlow(input).issues.filter((i) => i.severity === 'warning');
const find = (issues: FlowIssue[], nodeId: string | null, field: string) => issues.find((i) => i.nodeId === nodeId && i.field === field);

const end: NodeInput = { id: 'end', type: 'end', reason: 'done' };

describe('flow validation', () => {
  it('accepts the example flows without errors or warnings', () => {
    for (const input of [energyFlowInput, shopFlowInput]) {
      const result = validateFlow(input);
      expect(result.issues).toEqual([]);
      expect(result.ok).toBe(true);
      expect(result.flow?.nodes.length).toBe(input.nodes.length);
    }
  });

  it('reports shape errors with the node id and field', () => {
    const result = validateFlow(base([{ id: 'hello', type: 'say', prompt: { nl: 'Hoi' }, exits: { next: 'end' } }, { id: 'end', type: 'end' } as unknown as NodeInput]));
    expect(result.ok).toBe(false);
    expect(result.flow).toBeNull();
    expect(find(result.issues, 'end', 'reason')).toBeDefined();
    const unknownType = validateFlow(base([{ id: 'x', type: 'teleport' } as unknown as NodeInput]));
    expect(unknownType.issues[0]?.nodeId).toBe('x');
    expect(validateFlow(null).ok).toBe(false);
  });

  it('reports exits to unknown nodes, unknown exit names and missing required exits', () => {
    const issues = errors(
      base([
        { id: 'hello', type: 'say', prompt: { nl: 'Hoi' }, exits: { next: 'nowhere', later: 'end' } },
        { id: 'q', type: 'ask', kind: 'text', prompt: { nl: 'Naam?' }, variable: 'name', exits: { next: 'end' } },
        end,
      ]),
    );
    expect(find(issues, 'hello', 'exits.next')?.message).toMatch(/nowhere.*does not exist/);
    expect(find(issues, 'hello', 'exits.later')?.message).toMatch(/no exit 'later'/);
    expect(find(issues, 'q', 'exits.no_input')?.message).toMatch(/not connected/);
    expect(find(issues, 'q', 'exits.no_match')).toBeDefined();
  });

  it('reports unreachable nodes, a missing start and duplicate ids', () => {
    const issues = errors(
      base([
        { id: 'hello', type: 'say', prompt: { nl: 'Hoi' }, exits: { next: 'end' } },
        { id: 'island', type: 'say', prompt: { nl: 'Niemand hoort mij' }, exits: { next: 'end' } },
        end,
        { id: 'end', type: 'end', reason: 'again' },
      ]),
    );
    expect(find(issues, 'island', 'node')?.message).toMatch(/No path from the start/);
    expect(find(issues, 'end', 'id')?.message).toMatch(/already has the id/);
    expect(find(errors(base([end], { start: 'missing' })), null, 'start')).toBeDefined();
  });

  it('reports nodes with no way to an end, and warns about loops that never wait', () => {
    const input = base([
      { id: 'a', type: 'say', prompt: { nl: 'A' }, exits: { next: 'b' } },
      { id: 'b', type: 'set', assignments: [{ variable: 'n', value: 'coalesce(n, 0) + 1' }], exits: { next: 'a' } },
    ]);
    const issues = errors(input);
    expect(find(issues, 'a', 'exits')?.message).toMatch(/end or handoff/);
    expect(find(issues, 'b', 'exits')).toBeDefined();
    const loop = warnings(input).find((w) => w.message.includes('Loop without a question'));
    expect(loop?.message).toContain('a → b');

    // A counted loop that can leave: only the warning remains.
    const counted = base([
      { id: 'a', type: 'set', assignments: [{ variable: 'n', value: 'coalesce(n, 0) + 1' }], exits: { next: 'b' } },
      { id: 'b', type: 'branch', conditions: [{ exit: 'again', when: 'n < 3' }], exits: { again: 'a', else: 'end' } },
      end,
    ]);
    expect(errors(counted)).toEqual([]);
    expect(warnings(counted)).toHaveLength(1);

    // A question in the loop is fine: it has no_input / no_match exits after its retries.
    const menuLoop = base([
      { id: 'm', type: 'menu', prompt: { nl: 'Nog iets?' }, choices: [{ value: 'ja', label: { nl: 'Ja' } }, { value: 'nee', label: { nl: 'Nee' } }], exits: { ja: 'm', nee: 'end', no_input: 'end', no_match: 'm' } },
      end,
    ]);
    expect(validateFlow(menuLoop).issues).toEqual([]);
  });

  it('names the node, field and position of bad expressions and templates', () => {
    const issues = errors(
      base([
        { id: 'b', type: 'branch', conditions: [{ exit: 'gold', when: "customer.tier = 'gold'" }], exits: { gold: 'end', else: 's' } },
        { id: 's', type: 'set', assignments: [{ variable: 'x', value: 'lower(' }, { variable: 'y', value: 'Hoi {{ name ', mode: 'template' }, { variable: 'channel', value: "'sms'" }], exits: { next: 'say' } },
        { id: 'say', type: 'say', prompt: { nl: 'Hallo {{ foo(1) }}' }, exits: { next: 'h' } },
        { id: 'h', type: 'handoff', queueId: 'q', attributes: { tier: 'customer..tier' } },
        end,
      ]),
    );
    const when = find(issues, 'b', 'conditions.0.when');
    expect(when?.message).toMatch(/did you mean '=='/);
    expect(when?.position).toBe(14);
    expect(find(issues, 's', 'assignments.0.value')?.message).toMatch(/Unclosed|Expected a value/);
    expect(find(issues, 's', 'assignments.1.value')?.message).toMatch(/Unclosed '\{\{'/);
    expect(find(issues, 's', 'assignments.2.variable')?.message).toMatch(/cannot be assigned/);
    expect(find(issues, 'say', 'prompt.nl')?.message).toMatch(/Unknown function 'foo'/);
    expect(find(issues, 'say', 'prompt.nl')?.position).toBe(9);
    expect(find(issues, 'h', 'attributes.tier')).toBeDefined();
    expect(errors(base([end], { handoff: { queueId: 'q', attributes: { a: '1 +' } } })).map((i) => i.field)).toEqual(['handoff.attributes.a']);
  });

  it('checks lookup hosts against the allow-list and refuses a templated host', () => {
    const lookup = (url: string, allowedHosts: string[]) =>
      errors(
        base(
          [
            { id: 'l', type: 'lookup', url, result: { 'customer.name': 'body.name', bad: 'name' }, exits: { ok: 'end', error: 'end' } },
            end,
          ],
          { allowedHosts },
        ),
      ).filter((i) => i.nodeId === 'l');
    expect(lookup('https://crm.example.nl/a/{{ id }}', ['crm.example.nl']).map((i) => i.field)).toEqual(['result.bad']);
    expect(lookup('https://evil.example.org/a', ['crm.example.nl'])[0]?.message).toMatch(/evil\.example\.org.*not on the flow's list/);
    expect(lookup('https://{{ host }}/a', ['crm.example.nl']).find((i) => i.field === 'url')?.message).toMatch(/host must be written out/);
    expect(lookup('https://user:pw@crm.example.nl/a', ['crm.example.nl']).find((i) => i.field === 'url')?.message).toMatch(/user name/);
    expect(lookup('ftp://crm.example.nl/a', ['crm.example.nl']).find((i) => i.field === 'url')).toBeDefined();
    expect(lookup('https://api.crm.example.nl:8443/a', ['*.example.nl']).filter((i) => i.field === 'url')).toEqual([]);
    expect(hostAllowed('example.nl', ['*.example.nl'])).toBe(false);
    expect(hostAllowed('CRM.Example.NL', ['crm.example.nl'])).toBe(true);
    expect(hostAllowed('crm.example.nl.evil.org', ['crm.example.nl'])).toBe(false);
    expect(staticUrlHost('https://crm.example.nl?x={{ a }}')).toEqual({ scheme: 'https', host: 'crm.example.nl' });
  });

  it('checks menus: duplicate keys, the agent key, built-in exit names, too many choices without keys', () => {
    const choices = Array.from({ length: 10 }, (_, i) => ({ value: `c${i}`, label: { nl: `Keuze ${i}` } }));
    const issues = errors(
      base(
        [
          {
            id: 'm',
            type: 'menu',
            prompt: { nl: 'Kies' },
            choices: [...choices.slice(0, 2), { value: 'no_match', label: { nl: 'x' }, digit: '1' }, { value: 'z', label: { nl: 'z' }, digit: '0' }, ...choices.slice(2)],
            exits: Object.fromEntries([...choices.map((c) => [c.value, 'end']), ['no_input', 'end'], ['no_match', 'end'], ['z', 'end']]),
          },
          end,
        ],
        { agentRequest: { digit: '0' } },
      ),
    );
    expect(find(issues, 'm', 'choices.2.value')?.message).toMatch(/built-in exit/);
    expect(find(issues, 'm', 'choices.2.digit')?.message).toMatch(/Key 1 is already used/);
    expect(find(issues, 'm', 'choices.3.digit')?.message).toMatch(/talk to a person/);
    expect(find(issues, 'm', 'choices.11.digit')?.message).toMatch(/explicit key/);
  });

  it('warns about a prompt missing one of the flow languages, and rejects an empty one', () => {
    const input = base([{ id: 'hello', type: 'say', prompt: { nl: 'Hallo' }, exits: { next: 'end' } }, end], { languages: ['nl', 'en'] });
    expect(warnings(input).map((w) => [w.nodeId, w.field])).toEqual([['hello', 'prompt.en']]);
    expect(validateFlow(input).ok).toBe(true);
    const empty = base([{ id: 'hello', type: 'say', prompt: {}, exits: { next: 'end' } }, end]);
    expect(find(errors(empty), 'hello', 'prompt')?.message).toMatch(/empty/);
  });

  it('checks ask settings', () => {
    const issues = errors(
      base([
        { id: 'c', type: 'ask', kind: 'choice', prompt: { nl: 'Kies' }, variable: 'c', exits: { next: 'd', no_input: 'end', no_match: 'end' } },
        { id: 'd', type: 'ask', kind: 'digits', prompt: { nl: 'Toets' }, variable: 'input', minDigits: 8, maxDigits: 4, exits: { next: 'end', no_input: 'end', no_match: 'end' } },
        end,
      ]),
    );
    expect(find(issues, 'c', 'choices')).toBeDefined();
    expect(find(issues, 'd', 'minDigits')).toBeDefined();
    expect(find(issues, 'd', 'variable')).toBeDefined();
  });

  it('never throws, whatever is sent', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const result = validateFlow(input);
        expect(result.ok).toBe(false);
      }),
      { numRuns: 200 },
    );
    // Shuffled and broken exits of a valid flow: still only issues, never an exception.
    const ids = energyFlowInput.nodes.map((n) => n.id);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(ids.length - 1), fc.constantFrom(...ids, 'ghost')), { maxLength: 20 }), (edits) => {
        const input = structuredClone(energyFlowInput);
        for (const [i, target] of edits) {
          const node = input.nodes[i] as { exits?: Record<string, string> };
          const exits = node.exits ?? {};
          const name = Object.keys(exits)[0] ?? 'next';
          node.exits = { ...exits, [name]: target };
        }
        const result = validateFlow(input);
        for (const issue of result.issues) expect(typeof issue.message).toBe('string');
      }),
      { numRuns: 100 },
    );
  });
});
