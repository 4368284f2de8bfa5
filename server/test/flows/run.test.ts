import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFlow, type Flow, type FlowInput } from '../../src/flows/flow.ts';
import {
  FlowRunError,
  digitsOf,
  matchChoice,
  resumeRun,
  resumeInputSchema,
  runStateSchema,
  settle,
  startRun,
  type CustomerInput,
  type Effect,
  type EffectResult,
  type ResumeInput,
  type Step,
} from '../../src/flows/run.ts';
import { energyFlow, roundTrip, shopFlow } from './examples.ts';

/** Resume through a JSON round trip of the state, as adapters store it between requests. */
const resume = (flow: Flow, step: Step, input: ResumeInput): Step => resumeRun(flow, roundTrip(step.state), roundTrip(input));
const say = (input: CustomerInput): ResumeInput => ({ input });
const texts = (step: Step) => step.outputs.map((o) => o.text);

const account = { kind: 'lookup', outcome: 'response', status: 200, body: { name: 'Anouk de Vries', balance: 42.5, tier: 'gold' } } as const;

describe('flow runs: the Dutch IVR by keys', () => {
  it('walks menu → account number → lookup → balance → contained', () => {
    const flow = energyFlow();
    let step = startRun(flow, { channel: 'voice', language: 'nl', variables: { caller: { phone: '+31201234567' } } });
    expect(texts(step)).toEqual(['Welkom bij Hoorn Energie.', 'Waarmee kan ik u helpen?']);
    expect(step.await).toMatchObject({ type: 'input', nodeId: 'main', expect: { kind: 'choice', maxDigits: 1 } });
    if (step.await.type !== 'input') throw new Error('expected input');
    expect(step.await.expect.choices.map((c) => [c.digit, c.label])).toEqual([
      ['1', 'Mijn saldo'],
      ['2', 'Een vraag'],
      ['3', 'Terugbellen'],
    ]);

    step = resume(flow, step, say({ type: 'digits', digits: '1' }));
    expect(step.await).toMatchObject({ type: 'input', nodeId: 'ask_account', expect: { kind: 'digits', minDigits: 6, maxDigits: 6, finishOnKey: '#' } });
    step = resume(flow, step, say({ type: 'digits', digits: '123456#' }));
    expect(texts(step)).toEqual(['Een moment, ik zoek het op.']);
    expect(step.await).toMatchObject({
      type: 'effect',
      effect: { kind: 'lookup', method: 'GET', url: 'https://crm.example.nl/api/accounts/123456?lang=nl', headers: { Accept: 'application/json' }, timeoutMs: 2000, key: 'lookup_account:5' },
    });

    step = resume(flow, step, { effectResult: account });
    expect(texts(step)).toEqual(['Dag Anouk de Vries, uw tegoed is 42,50 euro.', 'Bedankt en tot ziens.']);
    expect(step.await).toEqual({ type: 'done', outcome: { result: 'contained', reason: 'balance_given', nodeId: 'end_balance' } });
    expect(step.state.variables).toMatchObject({ menu: 'saldo', intent: 'billing', account: { number: '123456', balance: 42.5 }, customer: { name: 'Anouk de Vries', valueTier: 'gold' } });
    expect(step.state.path).toEqual(['welcome', 'main', 'set_billing', 'ask_account', 'lookup_account', 'branch_balance', 'say_balance', 'end_balance']);
    // A finished run stays finished.
    expect(resume(flow, step, say({ type: 'digits', digits: '1' })).await.type).toBe('done');
  });

  it('hands off to billing with intent, language and value tier when the balance is negative', () => {
    const flow = energyFlow();
    let step = startRun(flow, { channel: 'voice' });
    step = resume(flow, step, say({ type: 'digits', digits: '1' }));
    step = resume(flow, step, say({ type: 'digits', digits: '654321' }));
    step = resume(flow, step, { effectResult: { ...account, body: { name: 'Bram', balance: -80, tier: 'platinum' } } });
    expect(texts(step)).toEqual(['Ik verbind u door met een medewerker van de afdeling facturen.']);
    expect(step.await).toEqual({
      type: 'done',
      outcome: { result: 'handed_off', reason: 'billing_needs_agent', queueId: 'billing', attributes: { language: 'nl', intent: 'billing', valueTier: 'platinum' }, nodeId: 'handoff_billing' },
    });
  });

  it('takes the timeout and error exits of a lookup', () => {
    const flow = energyFlow();
    const atLookup = resume(flow, resume(flow, startRun(flow, { channel: 'voice' }), say({ type: 'digits', digits: '1' })), say({ type: 'digits', digits: '111111' }));
    for (const result of [{ kind: 'lookup', outcome: 'timeout' }, { kind: 'lookup', outcome: 'error', message: 'ECONNRESET' }, { kind: 'lookup', outcome: 'response', status: 404, body: { error: 'not found' } }] as EffectResult[]) {
      const step = resume(flow, atLookup, { effectResult: result });
      expect(step.await).toMatchObject({ type: 'done', outcome: { result: 'handed_off', queueId: 'billing' } });
    }
  });
});

describe('flow runs: English, chat, knowledge and callbacks', () => {
  it('runs the same flow in English on web chat with words instead of keys', () => {
    const flow = energyFlow();
    let step = startRun(flow, { channel: 'webchat', language: 'en' });
    expect(texts(step)).toEqual(['Welcome to Hoorn Energy.', 'How can I help you?']);
    step = resume(flow, step, say({ type: 'text', text: 'I have a QUESTION' }));
    expect(step.await).toMatchObject({ type: 'input', nodeId: 'ask_question', expect: { kind: 'speech' } });
    step = resume(flow, step, say({ type: 'text', text: 'How do I cancel my contract?' }));
    expect(step.await).toMatchObject({ type: 'effect', effect: { kind: 'knowledge', query: 'How do I cancel my contract?', language: 'en', minConfidence: 0.7 } });
    const answered = resume(flow, step, { effectResult: { kind: 'knowledge', answer: 'You can cancel online under My account.', confidence: 0.91, articleId: 'kb-12' } });
    expect(answered.outputs).toEqual([
      { type: 'say', nodeId: 'answer_question', text: 'You can cancel online under My account.', language: 'en', articleId: 'kb-12' },
      { type: 'say', nodeId: 'answer_question', text: 'I hope this helps.', language: 'en' },
    ]);
    expect(answered.await).toMatchObject({ type: 'done', outcome: { result: 'contained', reason: 'question_answered' } });
    expect(answered.state.variables.answer).toMatchObject({ articleId: 'kb-12', confidence: 0.91 });

    const unsure = resume(flow, step, { effectResult: { kind: 'knowledge', answer: 'Maybe this?', confidence: 0.4 } });
    expect(unsure.await).toMatchObject({ type: 'done', outcome: { result: 'handed_off', reason: 'not_resolved', queueId: 'general', attributes: { intent: 'question', language: 'en', valueTier: 'standard' } } });
  });

  it('hands off when the caller says "medewerker" or "agent", with the flow attributes', () => {
    const flow = energyFlow();
    let step = startRun(flow, { channel: 'voice', language: 'nl', variables: { customer: { valueTier: 'gold' } } });
    step = resume(flow, step, say({ type: 'speech', text: 'Mijn rekening', confidence: 0.8 }));
    expect(step.await).toMatchObject({ type: 'input', nodeId: 'ask_account' });
    step = resume(flow, step, say({ type: 'speech', text: 'Ik wil graag een Medewerker spreken' }));
    expect(step.await).toEqual({
      type: 'done',
      outcome: { result: 'handed_off', reason: 'customer_asked_for_agent', queueId: 'general', attributes: { language: 'nl', intent: 'billing', valueTier: 'gold' }, nodeId: 'ask_account' },
    });

    const en = resume(flow, startRun(flow, { channel: 'whatsapp', language: 'en' }), say({ type: 'text', text: 'human please' }));
    expect(en.await).toMatchObject({ type: 'done', outcome: { reason: 'customer_asked_for_agent', attributes: { intent: 'unknown', language: 'en', valueTier: 'standard' } } });
    // The flow's agent key.
    const zero = resume(flow, startRun(flow, { channel: 'voice' }), say({ type: 'digits', digits: '0' }));
    expect(zero.await).toMatchObject({ type: 'done', outcome: { reason: 'customer_asked_for_agent' } });
    // A long story that mentions a person is not a request for one.
    const story = resume(flow, startRun(flow, { channel: 'sms' }), say({ type: 'text', text: 'gisteren heeft een medewerker mij gebeld over mijn rekening maar ik begreep het niet' }));
    expect(story.await.type).not.toBe('done');
  });

  it('can switch the agent request off or send it elsewhere', () => {
    const input = structuredClone(energyFlow()) as FlowInput;
    input.agentRequest = { enabled: false };
    const off = parseFlow(input);
    const step = resume(off, startRun(off, { channel: 'webchat' }), say({ type: 'text', text: 'medewerker' }));
    expect(step.await).toMatchObject({ type: 'input', nodeId: 'main', expect: { attempt: 1 } });
    input.agentRequest = { reason: 'wants_person', queueId: 'humans', keywords: { nl: ['mensch'], en: [] } };
    const custom = parseFlow(input);
    const handed = resume(custom, startRun(custom, { channel: 'webchat' }), say({ type: 'text', text: 'Mensch!' }));
    expect(handed.await).toMatchObject({ type: 'done', outcome: { reason: 'wants_person', queueId: 'humans' } });
  });

  it('schedules a callback through an effect', () => {
    const flow = energyFlow();
    let step = startRun(flow, { channel: 'voice', variables: { caller: { phone: '+31201234567' } } });
    step = resume(flow, step, say({ type: 'speech', text: 'bel me terug' }));
    expect(step.await).toMatchObject({ type: 'effect', effect: { kind: 'callback', queueId: 'callbacks', phone: '+31201234567', at: null, language: 'nl', attributes: { intent: 'unknown' } } });
    step = resume(flow, step, { effectResult: { kind: 'callback', outcome: 'scheduled', callbackId: 'cb-1' } });
    expect(texts(step)).toEqual(['We bellen u zo snel mogelijk terug.']);
    expect(step.await).toMatchObject({ type: 'done', outcome: { result: 'contained', reason: 'callback_scheduled' } });
  });

  it('posts a JSON body with typed holes and loops through "anything else?"', async () => {
    const flow = shopFlow();
    const effects: Effect[] = [];
    const perform = (effect: Effect): EffectResult => {
      effects.push(effect);
      return { kind: 'lookup', outcome: 'response', status: 200, body: { status: 'shipped', eta: 'tomorrow' } };
    };
    let step = startRun(flow, { channel: 'webchat' });
    step = await settle(flow, resume(flow, step, say({ type: 'text', text: '1234' })), perform);
    expect(effects[0]).toMatchObject({ method: 'POST', url: 'https://api.shop.example.com/orders/search', body: { number: '1234', channel: 'webchat', limit: 1 } });
    expect(texts(step)).toEqual(['Order 1234 is on its way and arrives tomorrow.', 'Can I help you with anything else?']);
    step = resume(flow, step, say({ type: 'choice', value: 'yes' }));
    expect(step.await).toMatchObject({ type: 'input', nodeId: 'ask_order' });
    step = await settle(flow, resume(flow, step, say({ type: 'text', text: 'A-998' })), perform);
    step = resume(flow, step, say({ type: 'text', text: 'nope' }));
    expect(step.await).toMatchObject({ type: 'done', outcome: { result: 'contained', reason: 'order_status_given' } });
    expect(effects).toHaveLength(2);
  });
});

describe('flow runs: retries, loops and misuse', () => {
  it('asks again after no input and no match, then takes the exit', () => {
    const flow = energyFlow();
    let step = startRun(flow, { channel: 'voice' });
    step = resume(flow, step, say({ type: 'no_input' }));
    expect(texts(step)).toEqual(['Ik heb geen antwoord ontvangen.', 'Waarmee kan ik u helpen?']);
    expect(step.await).toMatchObject({ type: 'input', expect: { attempt: 1 } });
    step = resume(flow, step, say({ type: 'speech', text: 'bananen' }));
    expect(texts(step)).toEqual(['Sorry, dat begreep ik niet.', 'Waarmee kan ik u helpen?']);
    expect(step.await).toMatchObject({ type: 'input', expect: { attempt: 2 } });
    step = resume(flow, step, say({ type: 'digits', digits: '9' }));
    expect(step.await).toMatchObject({ type: 'done', outcome: { result: 'handed_off', reason: 'not_resolved', nodeId: 'handoff_general' } });

    // The question's own no-match text, and the attempt counter starts afresh at the next question.
    let ask = resume(flow, startRun(flow, { channel: 'voice' }), say({ type: 'digits', digits: '1' }));
    ask = resume(flow, ask, say({ type: 'digits', digits: '12#' }));
    expect(texts(ask)[0]).toBe('Dat is geen klantnummer van zes cijfers.');
    ask = resume(flow, ask, say({ type: 'speech', text: 'een twee drie vier vijf zes' }));
    expect(ask.await).toMatchObject({ type: 'effect', effect: { url: expect.stringContaining('/accounts/123456?') } });
  });

  it('stops a loop that never waits at the hop limit and hands off', () => {
    const flow = parseFlow({
      id: 'loop',
      name: 'Loop',
      version: 1,
      start: 'a',
      maxHops: 25,
      handoff: { queueId: 'general', attributes: { intent: "'looping'" } },
      nodes: [
        { id: 'a', type: 'set', assignments: [{ variable: 'n', value: 'coalesce(n, 0) + 1' }], exits: { next: 'b' } },
        { id: 'b', type: 'branch', conditions: [{ exit: 'again', when: 'n > 0' }], exits: { again: 'a', else: 'end' } },
        { id: 'end', type: 'end', reason: 'never' },
      ],
    });
    const step = startRun(flow, { channel: 'voice' });
    expect(step.await).toMatchObject({ type: 'done', outcome: { result: 'handed_off', reason: 'loop_limit', queueId: 'general', attributes: { intent: 'looping' } } });
    expect(step.state.hops).toBe(25);
    expect(step.state.path).toHaveLength(25);
  });

  it('stops a customer going round a menu forever at the hop limit', () => {
    const input = structuredClone(shopFlowInputWithLimit());
    const flow = parseFlow(input);
    let step = startRun(flow, { channel: 'sms' });
    for (let i = 0; i < 50 && step.await.type !== 'done'; i++) {
      step = resume(flow, step, say({ type: 'text', text: step.await.type === 'input' && step.await.nodeId === 'more' ? 'yes' : '12345' }));
      if (step.await.type === 'effect') step = resume(flow, step, { effectResult: { kind: 'lookup', outcome: 'response', status: 200, body: { status: 'packed' } } });
    }
    expect(step.await).toMatchObject({ type: 'done', outcome: { reason: 'loop_limit', queueId: 'webshop' } });
  });

  it('refuses resumes that do not fit, and never changes the state it was given', () => {
    const flow = energyFlow();
    const start = startRun(flow, { channel: 'voice' });
    const frozen = roundTrip(start.state);
    resumeRun(flow, start.state, say({ type: 'digits', digits: '1' }));
    expect(start.state).toEqual(frozen);
    expect(() => resumeRun(flow, start.state, { effectResult: account })).toThrow(FlowRunError);
    const atLookup = resume(flow, resume(flow, start, say({ type: 'digits', digits: '1' })), say({ type: 'digits', digits: '123456' }));
    expect(() => resumeRun(flow, atLookup.state, say({ type: 'text', text: 'hallo?' }))).toThrow(/waits for an effect result/);
    expect(() => resumeRun(flow, atLookup.state, { effectResult: { kind: 'knowledge', answer: null, confidence: 0 } })).toThrow(/lookup result/);
    expect(() => resumeRun({ ...flow, version: 4 }, atLookup.state, { effectResult: account })).toThrow(/v3/);
  });

  it('does not call a host outside the allow-list even when the flow was not validated', () => {
    const input = structuredClone(shopFlowInputWithLimit());
    input.allowedHosts = ['other.example.com'];
    const flow = parseFlow(input);
    const step = resume(flow, startRun(flow, { channel: 'webchat' }), say({ type: 'text', text: '12345' }));
    expect(step.await).toMatchObject({ type: 'done', outcome: { reason: 'order_not_found' } });
    expect(step.state.variables.lookup).toMatchObject({ outcome: 'error', message: 'host_not_allowed' });
  });

  it('keeps state and inputs valid against their schemas', () => {
    const flow = energyFlow();
    const step = resume(flow, startRun(flow, { channel: 'voice' }), say({ type: 'digits', digits: '1' }));
    expect(runStateSchema.safeParse(roundTrip(step.state)).success).toBe(true);
    expect(resumeInputSchema.safeParse({ input: { type: 'digits', digits: '1' } }).success).toBe(true);
    expect(resumeInputSchema.safeParse({ effectResult: account }).success).toBe(true);
    expect(resumeInputSchema.safeParse({ input: { type: 'shout' } }).success).toBe(false);
  });
});

describe('switching language', () => {
  it('lets a set node switch the run to English (and ignores languages it does not know)', () => {
    const flow = parseFlow({
      id: 'lang',
      name: 'Taal',
      version: 1,
      start: 'pick',
      handoff: { queueId: 'general' },
      nodes: [
        {
          id: 'pick',
          type: 'menu',
          prompt: { nl: 'Voor Nederlands toets 1.', en: 'For English press 2.' },
          choices: [
            { value: 'nl', label: { nl: 'Nederlands', en: 'Dutch' } },
            { value: 'en', label: { nl: 'Engels', en: 'English' } },
          ],
          variable: 'chosen',
          exits: { nl: 'hello', en: 'switch', no_input: 'hello', no_match: 'hello' },
        },
        { id: 'switch', type: 'set', assignments: [{ variable: 'language', value: 'chosen' }, { variable: 'language', value: "'fr'" }], exits: { next: 'hello' } },
        { id: 'hello', type: 'end', reason: 'greeted', prompt: { nl: 'Hallo!', en: 'Hello!' } },
      ],
    });
    const step = resumeRun(flow, startRun(flow, { channel: 'voice' }).state, { input: { type: 'speech', text: 'English' } });
    expect(step.outputs).toEqual([{ type: 'say', nodeId: 'hello', text: 'Hello!', language: 'en' }]);
    expect(step.state.language).toBe('en');
  });
});

describe('voice and web chat give the same run', () => {
  /** The same intent, as a caller (keys, speech) and as a chatter (buttons, typing). */
  const scripts: Array<{ voice: CustomerInput[]; chat: CustomerInput[] }> = [
    { voice: [{ type: 'digits', digits: '1' }, { type: 'digits', digits: '123456#' }], chat: [{ type: 'choice', value: 'saldo' }, { type: 'text', text: '123456' }] },
    { voice: [{ type: 'speech', text: 'een vraag' }, { type: 'speech', text: 'Hoe verhuis ik?' }], chat: [{ type: 'text', text: '2' }, { type: 'text', text: 'Hoe verhuis ik?' }] },
    { voice: [{ type: 'digits', digits: '3' }], chat: [{ type: 'text', text: 'Terugbellen' }] },
    { voice: [{ type: 'no_input' }, { type: 'speech', text: 'factuur' }, { type: 'speech', text: 'medewerker' }], chat: [{ type: 'no_input' }, { type: 'text', text: 'Factuur' }, { type: 'text', text: 'Medewerker!' }] },
    { voice: [{ type: 'digits', digits: '7' }, { type: 'digits', digits: '8' }, { type: 'no_input' }], chat: [{ type: 'text', text: 'huh' }, { type: 'text', text: '?' }, { type: 'no_input' }] },
  ];
  const perform = (effect: Effect): EffectResult =>
    effect.kind === 'lookup'
      ? account
      : effect.kind === 'knowledge'
        ? { kind: 'knowledge', answer: 'Geef uw verhuizing door in de app.', confidence: 0.8, articleId: 'kb-3' }
        : { kind: 'callback', outcome: 'scheduled', callbackId: 'cb-9' };

  const play = async (flow: Flow, channel: string, inputs: CustomerInput[]) => {
    let step = await settle(flow, startRun(flow, { channel, variables: { caller: { phone: '+31600000000' } } }), perform);
    const said: string[] = [...texts(step)];
    for (const input of inputs) {
      step = await settle(flow, resume(flow, step, { input }), perform);
      said.push(...texts(step));
    }
    return { step, said };
  };

  it('ends with the same outcome, path, variables and prompts', async () => {
    const flow = energyFlow();
    for (const script of scripts) {
      const voice = await play(flow, 'voice', script.voice);
      const chat = await play(flow, 'webchat', script.chat);
      expect(chat.step.await).toEqual(voice.step.await);
      expect(chat.step.state.path).toEqual(voice.step.state.path);
      expect(chat.said).toEqual(voice.said);
      const { input: _v, ...voiceVars } = voice.step.state.variables;
      const { input: _c, ...chatVars } = chat.step.state.variables;
      expect(chatVars).toEqual(voiceVars);
    }
  });

  it('always finishes: random inputs end contained or handed off within the hop limit', () => {
    const flow = energyFlow();
    const input = fc.oneof(
      fc.record({ type: fc.constant('digits' as const), digits: fc.stringMatching(/^[0-9#*]{0,8}$/) }),
      fc.record({ type: fc.constant('text' as const), text: fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('saldo', 'vraag', 'terugbellen', 'twee', 'agent', '123456')) }),
      fc.record({ type: fc.constant('speech' as const), text: fc.string({ maxLength: 20 }) }),
      fc.record({ type: fc.constant('choice' as const), value: fc.constantFrom('saldo', 'vraag', 'nope') }),
      fc.constant({ type: 'no_input' as const }),
    );
    const effect = fc.constantFrom<EffectResult[]>(
      [account, { kind: 'knowledge', answer: 'Ja.', confidence: 1 }, { kind: 'callback', outcome: 'scheduled' }],
      [{ kind: 'lookup', outcome: 'timeout' }, { kind: 'knowledge', answer: null, confidence: 0 }, { kind: 'callback', outcome: 'error' }],
    );
    fc.assert(
      fc.property(fc.array(input, { minLength: 40, maxLength: 40 }), effect, (inputs, results) => {
        let step = startRun(flow, { channel: 'voice' });
        for (const i of inputs) {
          if (step.await.type === 'done') break;
          if (step.await.type === 'effect') {
            const kind = step.await.effect.kind;
            step = resume(flow, step, { effectResult: results.find((r) => r.kind === kind) as EffectResult });
          } else step = resume(flow, step, { input: i });
        }
        // 40 inputs are more than any path through this flow needs (3 questions × 3 attempts).
        expect(step.await.type).toBe('done');
        expect(step.state.hops).toBeLessThanOrEqual(flow.maxHops);
      }),
      { numRuns: 200 },
    );
  });
});

describe('understanding answers', () => {
  const choices = energyFlow().nodes.find((n) => n.id === 'main')?.type === 'menu' ? (energyFlow().nodes.find((n) => n.id === 'main') as Extract<Flow['nodes'][number], { type: 'menu' }>).choices : [];
  const m = (text: string) => matchChoice(choices, { type: 'text', text })?.value;

  it('matches choices regardless of case, accents and punctuation', () => {
    expect(m('SALDO')).toBe('saldo');
    expect(m('  terugbellen!! ')).toBe('terugbellen');
    expect(m('BEL ME TERUG')).toBe('terugbellen');
    expect(m('Factúúr')).toBe('saldo');
  });

  it('matches labels, synonyms, numbers and words inside a sentence; not ambiguous ones', () => {
    expect(m('mijn SALDO')).toBe('saldo');
    expect(m('Mijn sáldo')).toBe('saldo');
    expect(m('factuur')).toBe('saldo');
    expect(m('twee')).toBe('vraag');
    expect(m('optie 3')).toBe('terugbellen');
    expect(m('de tweede')).toBe('vraag');
    expect(m('2')).toBe('vraag');
    expect(m('ik heb een vraag over mijn factuur')).toBeUndefined();
    expect(m('Call me back please')).toBe('terugbellen');
    expect(m('')).toBeUndefined();
    expect(matchChoice(choices, { type: 'digits', digits: '2#' })?.value).toBe('vraag');
    expect(matchChoice(choices, { type: 'choice', value: 'terugbellen' })?.value).toBe('terugbellen');
  });

  it('reads digits typed, written and spoken', () => {
    expect(digitsOf({ type: 'digits', digits: '1234#' })).toBe('1234');
    expect(digitsOf({ type: 'speech', text: 'één twee 3 4' })).toBe('1234');
    expect(digitsOf({ type: 'text', text: '12 34 56' })).toBe('123456');
    expect(digitsOf({ type: 'text', text: 'twaalf' })).toBeNull();
    expect(digitsOf({ type: 'digits', digits: '12*' })).toBeNull();
  });
});

function shopFlowInputWithLimit(): FlowInput {
  const flow = shopFlow() as FlowInput;
  return { ...structuredClone(flow), maxHops: 30 };
}
