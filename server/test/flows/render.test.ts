import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFlow } from '../../src/flows/flow.ts';
import { escapeXml, parseTwilioGather, renderText, renderTwiml, splitText } from '../../src/flows/render.ts';
import { resumeRun, startRun, type Step } from '../../src/flows/run.ts';
import { energyFlow } from './examples.ts';

const ACTION = 'https://hoorn.example.nl/channels/voice/ch1/flow?run=r1&step=2';

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** A tiny XML reader for the TwiML subset: elements, attributes, text; throws if not well-formed. */
function parseXml(xml: string): XmlElement {
  const body = xml.replace(/^<\?xml[^?]*\?>/, '');
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  const unescape = (s: string) => {
    if (/&(?!amp;|lt;|gt;|quot;|apos;)/.test(s)) throw new Error(`bad entity in ${s}`);
    return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  };
  const tag = /<(\/?)([A-Za-z]+)((?:\s+[A-Za-z]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = tag.exec(body))) {
    consumed = tag.lastIndex;
    const top = stack[stack.length - 1] as XmlElement;
    if (m[5] !== undefined) {
      if (m[5].includes('>')) throw new Error('raw > in text');
      top.text += unescape(m[5]);
    } else if (m[1]) {
      if (top.name !== m[2]) throw new Error(`</${m[2]}> closes <${top.name}>`);
      stack.pop();
    } else {
      const attributes: Record<string, string> = {};
      for (const a of (m[3] ?? '').matchAll(/([A-Za-z]+)="([^"]*)"/g)) attributes[a[1] as string] = unescape(a[2] as string);
      const el: XmlElement = { name: m[2] as string, attributes, children: [], text: '' };
      top.children.push(el);
      if (!m[4]) stack.push(el);
    }
  }
  if (consumed !== body.length || stack.length !== 1) throw new Error('not well-formed');
  return root.children[0] as XmlElement;
}

const flow = energyFlow();

describe('TwiML', () => {
  it('renders a menu as Say + Gather (dtmf and speech) with the question inside + Redirect', () => {
    const step = startRun(flow, { channel: 'voice', language: 'nl' });
    const xml = renderTwiml(step, { actionUrl: ACTION });
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?><Response>')).toBe(true);
    const response = parseXml(xml);
    expect(response.name).toBe('Response');
    expect(response.children.map((c) => c.name)).toEqual(['Say', 'Gather', 'Redirect']);
    const [welcome, gather, redirect] = response.children as [XmlElement, XmlElement, XmlElement];
    expect(welcome).toMatchObject({ attributes: { voice: 'Polly.Lotte', language: 'nl-NL' }, text: 'Welkom bij Hoorn Energie.' });
    expect(gather.attributes).toEqual({
      input: 'dtmf speech',
      action: ACTION,
      method: 'POST',
      timeout: '5',
      speechTimeout: 'auto',
      numDigits: '1',
      language: 'nl-NL',
      hints: 'Mijn saldo, Een vraag, Terugbellen, rekening, factuur, informatie, bel me terug',
    });
    expect(gather.children).toHaveLength(1);
    expect(gather.children[0]).toMatchObject({ name: 'Say', text: 'Waarmee kan ik u helpen?', attributes: { language: 'nl-NL' } });
    expect(redirect).toMatchObject({ attributes: { method: 'POST' }, text: ACTION });
    expect(xml).toContain('run=r1&amp;step=2');
  });

  it('uses en-US and another voice in English, and digits questions with finishOnKey and numDigits', () => {
    let step = startRun(flow, { channel: 'voice', language: 'en' });
    step = resumeRun(flow, step.state, { input: { type: 'digits', digits: '1' } });
    const response = parseXml(renderTwiml(step, { actionUrl: ACTION, voices: { en: 'Google.en-US-Standard-C' } }));
    const gather = response.children.find((c) => c.name === 'Gather') as XmlElement;
    expect(gather.attributes).toMatchObject({ input: 'dtmf speech', numDigits: '6', finishOnKey: '#', language: 'en-US' });
    expect(gather.children[0]?.attributes).toEqual({ voice: 'Google.en-US-Standard-C', language: 'en-US' });
    // A free speech question gathers speech only, with the question's hints.
    const question = resumeRun(flow, startRun(flow, { channel: 'voice' }).state, { input: { type: 'digits', digits: '2' } });
    const g = parseXml(renderTwiml(question, { actionUrl: ACTION })).children.find((c) => c.name === 'Gather') as XmlElement;
    expect(g.attributes).toMatchObject({ input: 'speech', hints: 'opzeggen, verhuizen, meterstand' });
    expect(g.attributes.numDigits).toBeUndefined();
  });

  it('renders a pending effect as Say + Redirect, a handoff as Enqueue or Dial, containment as Hangup', () => {
    let step = startRun(flow, { channel: 'voice' });
    step = resumeRun(flow, step.state, { input: { type: 'digits', digits: '1' } });
    step = resumeRun(flow, step.state, { input: { type: 'digits', digits: '123456' } });
    expect(parseXml(renderTwiml(step, { actionUrl: ACTION })).children.map((c) => c.name)).toEqual(['Say', 'Redirect']);

    const contained = resumeRun(flow, step.state, { effectResult: { kind: 'lookup', outcome: 'response', status: 200, body: { name: 'Anouk', balance: 1 } } });
    expect(parseXml(renderTwiml(contained, { actionUrl: ACTION })).children.map((c) => c.name)).toEqual(['Say', 'Say', 'Hangup']);

    const handed = resumeRun(flow, startRun(flow, { channel: 'voice' }).state, { input: { type: 'speech', text: 'medewerker' } });
    const enqueue = parseXml(renderTwiml(handed, { actionUrl: ACTION })).children;
    expect(enqueue.map((c) => [c.name, c.text])).toEqual([['Enqueue', 'general']]);
    const dial = parseXml(
      renderTwiml(handed, { actionUrl: ACTION, handoff: (o) => ({ verb: 'dial', client: `queue:${o.queueId}`, callerId: '+3120', action: `${ACTION}&dial=1` }) }),
    ).children[0] as XmlElement;
    expect(dial).toMatchObject({ name: 'Dial', attributes: { callerId: '+3120', action: `${ACTION}&dial=1` } });
    expect(dial.children[0]).toMatchObject({ name: 'Client', text: 'queue:general' });
    const waiting = parseXml(renderTwiml(handed, { actionUrl: ACTION, handoff: (o) => ({ verb: 'enqueue', name: o.queueId, waitUrl: '/hold?x=1&y=2' }) })).children[0];
    expect(waiting?.attributes.waitUrl).toBe('/hold?x=1&y=2');
  });

  it('escapes whatever the flow or a lookup puts into a prompt', () => {
    const evil = `Tom & Jerry <Hangup/> "quoted" 'single' ]]> \u0007bell \uD800 end`;
    const hostile = parseFlow({
      id: 'x',
      name: 'x',
      version: 1,
      start: 's',
      handoff: { queueId: 'q&<>"' },
      nodes: [
        { id: 's', type: 'say', prompt: { nl: 'Hallo {{ name }}' }, exits: { next: 'h' } },
        { id: 'h', type: 'handoff', queueId: 'q</Enqueue><Hangup/>' },
      ],
    });
    const step = startRun(hostile, { channel: 'voice', variables: { name: evil } });
    const xml = renderTwiml(step, { actionUrl: `${ACTION}&"<>` });
    const response = parseXml(xml);
    expect(response.children.map((c) => c.name)).toEqual(['Say', 'Enqueue']);
    expect(response.children[0]?.text).toBe(`Hallo Tom & Jerry <Hangup/> "quoted" 'single' ]]> bell  end`);
    expect(response.children[1]?.text).toBe('q</Enqueue><Hangup/>');
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 20 }), (name, url) => {
        const s = startRun(hostile, { channel: 'voice', variables: { name } });
        const parsed = parseXml(renderTwiml(s, { actionUrl: url }));
        expect(parsed.children.map((c) => c.name)).toEqual(['Say', 'Enqueue']);
      }),
      { numRuns: 300 },
    );
    expect(escapeXml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
  });

  it('reads Twilio Gather callbacks', () => {
    expect(parseTwilioGather({ Digits: '12#' })).toEqual({ type: 'digits', digits: '12#' });
    expect(parseTwilioGather({ SpeechResult: ' medewerker ', Confidence: '0.93' })).toEqual({ type: 'speech', text: 'medewerker', confidence: 0.93 });
    expect(parseTwilioGather({ SpeechResult: 'ja' })).toEqual({ type: 'speech', text: 'ja' });
    expect(parseTwilioGather({ Digits: '', SpeechResult: '' })).toEqual({ type: 'no_input' });
    expect(parseTwilioGather({})).toEqual({ type: 'no_input' });
  });
});

describe('text channels', () => {
  const start = (channel: string): Step => startRun(flow, { channel, language: 'nl' });

  it('gives web chat one bubble per output and the choices as buttons', () => {
    expect(renderText(start('webchat'), { channel: 'webchat' })).toEqual([
      { text: 'Welkom bij Hoorn Energie.' },
      {
        text: 'Waarmee kan ik u helpen?',
        buttons: [
          { label: 'Mijn saldo', value: 'saldo' },
          { label: 'Een vraag', value: 'vraag' },
          { label: 'Terugbellen', value: 'terugbellen' },
        ],
      },
    ]);
  });

  it('gives SMS, WhatsApp and social one message with numbered options', () => {
    for (const channel of ['sms', 'whatsapp', 'messenger', 'instagram', 'x']) {
      expect(renderText(start(channel), { channel })).toEqual([{ text: 'Welkom bij Hoorn Energie.\n\nWaarmee kan ik u helpen?\n1. Mijn saldo\n2. Een vraag\n3. Terugbellen' }]);
    }
  });

  it('splits at the channel limit on word boundaries', () => {
    const messages = renderText(start('sms'), { channel: 'sms', maxLength: 40 });
    expect(messages.map((m) => m.text)).toEqual(['Welkom bij Hoorn Energie.', 'Waarmee kan ik u helpen?\n1. Mijn saldo', '2. Een vraag\n3. Terugbellen']);
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-zA-Zé]{1,12}$/), { minLength: 1, maxLength: 60 }), fc.integer({ min: 20, max: 80 }), (words, limit) => {
        const text = words.join(' ');
        const parts = splitText(text, limit);
        for (const p of parts) expect(p.length).toBeLessThanOrEqual(limit);
        expect(parts.join(' ').split(/\s+/)).toEqual(words);
      }),
      { numRuns: 300 },
    );
    expect(splitText('x'.repeat(45), 20)).toEqual(['x'.repeat(20), 'x'.repeat(20), 'x'.repeat(5)]);
  });

  it('carries the knowledge article id along with an answer', () => {
    let step = startRun(flow, { channel: 'webchat' });
    step = resumeRun(flow, step.state, { input: { type: 'choice', value: 'vraag' } });
    step = resumeRun(flow, step.state, { input: { type: 'text', text: 'verhuizen' } });
    step = resumeRun(flow, step.state, { effectResult: { kind: 'knowledge', answer: 'Geef het door in de app.', confidence: 0.9, articleId: 'kb-7' } });
    expect(renderText(step, { channel: 'webchat' })).toEqual([{ text: 'Geef het door in de app.', articleId: 'kb-7' }, { text: 'Ik hoop dat dit u helpt.' }]);
    expect(renderText(step, { channel: 'sms' })).toEqual([{ text: 'Geef het door in de app.\n\nIk hoop dat dit u helpt.', articleId: 'kb-7' }]);
  });
});
