/**
 * The flow a new one starts from (and the demo's chat flow): a web shop's bilingual bot that
 * answers questions from the knowledge base, asks whether that helped, and hands off to a person
 * with the intent and the customer's value tier when it cannot help or is asked to.
 */
import type { FlowInput } from './flow.ts';

export function starterFlow(queue = 'Algemeen'): FlowInput {
  const handoffAttributes = { intent: "coalesce(intent, 'unknown')", valueTier: "coalesce(customer.valueTier, 'none')" };
  return {
    id: 'starter',
    name: 'Klantenservice',
    version: 1,
    start: 'welcome',
    defaultLanguage: 'nl',
    languages: ['nl', 'en'],
    allowedHosts: [],
    handoff: { queueId: queue, attributes: handoffAttributes },
    agentRequest: { enabled: true, digit: '0' },
    nodes: [
      {
        id: 'welcome',
        type: 'say',
        position: { x: 0, y: 0 },
        prompt: { nl: 'Hallo! Ik ben de digitale assistent van Webwinkel De Hoorn.', en: 'Hello! I am the digital assistant of Webwinkel De Hoorn.' },
        exits: { next: 'menu' },
      },
      {
        id: 'menu',
        type: 'menu',
        position: { x: 0, y: 120 },
        prompt: { nl: 'Waarmee kan ik je helpen?', en: 'How can I help you?' },
        choices: [
          { value: 'vraag', label: { nl: 'Ik heb een vraag', en: 'I have a question' }, synonyms: { nl: ['vraag', 'informatie', 'hulp'], en: ['question', 'information', 'help'] } },
          { value: 'bestelling', label: { nl: 'Mijn bestelling', en: 'My order' }, synonyms: { nl: ['pakket', 'bezorging', 'levering', 'retour'], en: ['parcel', 'delivery', 'return'] } },
          { value: 'medewerker', label: { nl: 'Een medewerker spreken', en: 'Talk to a person' }, synonyms: { nl: ['mens'], en: ['human'] } },
        ],
        variable: 'menu',
        exits: { vraag: 'ask_question', bestelling: 'set_order', medewerker: 'handoff', no_input: 'handoff', no_match: 'handoff' },
      },
      {
        id: 'ask_question',
        type: 'ask',
        kind: 'text',
        position: { x: -220, y: 240 },
        prompt: { nl: 'Stel je vraag maar.', en: 'Go ahead and ask your question.' },
        variable: 'question',
        exits: { next: 'answer', no_input: 'handoff', no_match: 'handoff' },
      },
      {
        id: 'answer',
        type: 'answer',
        position: { x: -220, y: 360 },
        query: '{{ question }}',
        minConfidence: 0.5,
        exits: { answered: 'helped', low_confidence: 'set_question_intent' },
      },
      {
        id: 'helped',
        type: 'menu',
        position: { x: -220, y: 480 },
        prompt: { nl: 'Heeft dit je geholpen?', en: 'Did this help?' },
        choices: [
          { value: 'ja', label: { nl: 'Ja, bedankt', en: 'Yes, thanks' }, synonyms: { nl: ['ja', 'top', 'dank'], en: ['yes', 'thanks'] } },
          { value: 'nee', label: { nl: 'Nee', en: 'No' }, synonyms: { nl: ['nee', 'niet'], en: ['no', 'not'] } },
        ],
        exits: { ja: 'done', nee: 'set_question_intent', no_input: 'done', no_match: 'set_question_intent' },
      },
      { id: 'set_question_intent', type: 'set', position: { x: -220, y: 600 }, assignments: [{ variable: 'intent', value: "'question'" }], exits: { next: 'handoff' } },
      { id: 'set_order', type: 'set', position: { x: 220, y: 240 }, assignments: [{ variable: 'intent', value: "'order'" }], exits: { next: 'handoff' } },
      {
        id: 'done',
        type: 'end',
        position: { x: -440, y: 600 },
        reason: 'question_answered',
        prompt: { nl: 'Fijn! Nog een prettige dag.', en: 'Great! Have a nice day.' },
      },
      {
        id: 'handoff',
        type: 'handoff',
        position: { x: 220, y: 720 },
        queueId: queue,
        reason: 'needs_agent',
        prompt: { nl: 'Ik verbind je met een collega. Een moment geduld.', en: 'I am connecting you with a colleague. One moment please.' },
      },
    ],
  };
}
