import { parseFlow, type Flow, type FlowInput } from '../../src/flows/flow.ts';

/**
 * A bilingual (Dutch first) phone and chat service of an energy company: a menu by key or word,
 * the balance from the CRM (lookup), questions answered from the knowledge base, callbacks, and
 * handoffs with intent, language and value tier.
 */
export const energyFlowInput: FlowInput = {
  id: 'klantenservice',
  name: 'Klantenservice Hoorn Energie',
  version: 3,
  start: 'welcome',
  defaultLanguage: 'nl',
  languages: ['nl', 'en'],
  allowedHosts: ['crm.example.nl'],
  handoff: {
    queueId: 'general',
    attributes: { intent: "coalesce(intent, 'unknown')", valueTier: "coalesce(customer.valueTier, 'standard')" },
  },
  agentRequest: { digit: '0' },
  nodes: [
    { id: 'welcome', type: 'say', position: { x: 0, y: 0 }, prompt: { nl: 'Welkom bij Hoorn Energie.', en: 'Welcome to Hoorn Energy.' }, exits: { next: 'main' } },
    {
      id: 'main',
      type: 'menu',
      prompt: { nl: 'Waarmee kan ik u helpen?', en: 'How can I help you?' },
      choices: [
        { value: 'saldo', label: { nl: 'Mijn saldo', en: 'My balance' }, synonyms: { nl: ['rekening', 'factuur'], en: ['bill', 'invoice'] } },
        { value: 'vraag', label: { nl: 'Een vraag', en: 'A question' }, synonyms: { nl: ['informatie'], en: ['information'] } },
        { value: 'terugbellen', label: { nl: 'Terugbellen', en: 'Call me back' }, synonyms: { nl: ['bel me terug'], en: ['callback'] } },
      ],
      variable: 'menu',
      exits: { saldo: 'set_billing', vraag: 'set_question', terugbellen: 'callback', no_input: 'handoff_general', no_match: 'handoff_general' },
    },
    { id: 'set_billing', type: 'set', assignments: [{ variable: 'intent', value: "'billing'" }], exits: { next: 'ask_account' } },
    {
      id: 'ask_account',
      type: 'ask',
      kind: 'digits',
      prompt: { nl: 'Toets uw klantnummer van zes cijfers, gevolgd door een hekje.', en: 'Enter your six digit customer number, followed by the pound key.' },
      noMatchPrompt: { nl: 'Dat is geen klantnummer van zes cijfers.', en: 'That is not a six digit customer number.' },
      variable: 'account.number',
      minDigits: 6,
      maxDigits: 6,
      exits: { next: 'lookup_account', no_input: 'handoff_general', no_match: 'handoff_general' },
    },
    {
      id: 'lookup_account',
      type: 'lookup',
      method: 'GET',
      url: 'https://crm.example.nl/api/accounts/{{ account.number }}?lang={{ language }}',
      headers: { Accept: 'application/json' },
      timeoutMs: 2000,
      result: { 'customer.name': 'body.name', 'account.balance': 'body.balance', 'customer.valueTier': 'body.tier' },
      prompt: { nl: 'Een moment, ik zoek het op.', en: 'One moment, I am looking it up.' },
      exits: { ok: 'branch_balance', error: 'handoff_billing', timeout: 'handoff_billing' },
    },
    { id: 'branch_balance', type: 'branch', conditions: [{ exit: 'debt', when: 'account.balance < 0' }], exits: { debt: 'handoff_billing', else: 'say_balance' } },
    {
      id: 'say_balance',
      type: 'say',
      prompt: {
        nl: 'Dag {{ customer.name }}, uw tegoed is {{ amount(account.balance, language) }} euro.',
        en: 'Hello {{ customer.name }}, your credit is {{ amount(account.balance, language) }} euros.',
      },
      exits: { next: 'end_balance' },
    },
    { id: 'end_balance', type: 'end', reason: 'balance_given', prompt: { nl: 'Bedankt en tot ziens.', en: 'Thank you, goodbye.' } },
    { id: 'set_question', type: 'set', assignments: [{ variable: 'intent', value: "'question'" }], exits: { next: 'ask_question' } },
    {
      id: 'ask_question',
      type: 'ask',
      kind: 'speech',
      prompt: { nl: 'Stel uw vraag in een paar woorden.', en: 'Please ask your question in a few words.' },
      variable: 'question',
      hints: ['opzeggen', 'verhuizen', 'meterstand'],
      exits: { next: 'answer_question', no_input: 'handoff_general', no_match: 'handoff_general' },
    },
    {
      id: 'answer_question',
      type: 'answer',
      query: '{{ question }}',
      minConfidence: 0.7,
      followUp: { nl: 'Ik hoop dat dit u helpt.', en: 'I hope this helps.' },
      exits: { answered: 'end_answered', low_confidence: 'handoff_general' },
    },
    { id: 'end_answered', type: 'end', reason: 'question_answered' },
    {
      id: 'callback',
      type: 'callback',
      queueId: 'callbacks',
      phone: 'caller.phone',
      prompt: { nl: 'We bellen u zo snel mogelijk terug.', en: 'We will call you back as soon as possible.' },
      exits: { scheduled: 'end_callback', error: 'handoff_general' },
    },
    { id: 'end_callback', type: 'end', reason: 'callback_scheduled' },
    {
      id: 'handoff_billing',
      type: 'handoff',
      queueId: 'billing',
      reason: 'billing_needs_agent',
      attributes: { intent: "'billing'" },
      prompt: { nl: 'Ik verbind u door met een medewerker van de afdeling facturen.', en: 'I will put you through to our billing team.' },
    },
    { id: 'handoff_general', type: 'handoff', queueId: 'general', reason: 'not_resolved', prompt: { nl: 'Ik verbind u door.', en: 'Connecting you now.' } },
  ],
};

/** An English web shop bot: order status by order number (POST lookup), and "anything else?". */
export const shopFlowInput: FlowInput = {
  id: 'order-status',
  name: 'Order status',
  version: 1,
  start: 'ask_order',
  defaultLanguage: 'en',
  languages: ['en'],
  allowedHosts: ['*.shop.example.com'],
  handoff: { queueId: 'webshop', attributes: { intent: "'order_status'" } },
  nodes: [
    {
      id: 'ask_order',
      type: 'ask',
      kind: 'text',
      prompt: { en: 'What is your order number?' },
      variable: 'order.number',
      minLength: 4,
      maxLength: 12,
      maxRetries: 1,
      exits: { next: 'lookup_order', no_input: 'bye', no_match: 'agent' },
    },
    {
      id: 'lookup_order',
      type: 'lookup',
      method: 'POST',
      url: 'https://api.shop.example.com/orders/search',
      headers: { 'Content-Type': 'application/json' },
      body: { number: '{{ order.number }}', channel: '{{ channel }}', limit: 1 },
      result: { 'order.status': 'body.status', 'order.eta': 'body.eta' },
      exits: { ok: 'status', error: 'agent' },
    },
    {
      id: 'status',
      type: 'branch',
      conditions: [
        { exit: 'shipped', when: "order.status == 'shipped'" },
        { exit: 'other', when: 'exists(order.status)' },
      ],
      exits: { shipped: 'say_shipped', other: 'say_other', else: 'agent' },
    },
    { id: 'say_shipped', type: 'say', prompt: { en: 'Order {{ order.number }} is on its way and arrives {{ order.eta }}.' }, exits: { next: 'more' } },
    { id: 'say_other', type: 'say', prompt: { en: 'Order {{ order.number }} is {{ order.status }}.' }, exits: { next: 'more' } },
    {
      id: 'more',
      type: 'ask',
      kind: 'choice',
      prompt: { en: 'Can I help you with anything else?' },
      variable: 'more',
      choices: [
        { value: 'yes', label: { en: 'Yes' }, synonyms: { nl: [], en: ['yep', 'another order'] } },
        { value: 'no', label: { en: 'No, thanks' }, synonyms: { nl: [], en: ['no', 'nope', 'that is all'] } },
      ],
      exits: { next: 'more_branch', no_input: 'bye', no_match: 'bye' },
    },
    { id: 'more_branch', type: 'branch', conditions: [{ exit: 'again', when: "more == 'yes'" }], exits: { again: 'ask_order', else: 'bye' } },
    { id: 'bye', type: 'end', reason: 'order_status_given', prompt: { en: 'Thanks for shopping with us!' } },
    { id: 'agent', type: 'handoff', queueId: 'webshop', reason: 'order_not_found' },
  ],
};

export const energyFlow = (): Flow => parseFlow(structuredClone(energyFlowInput));
export const shopFlow = (): Flow => parseFlow(structuredClone(shopFlowInput));

/** A deep copy through JSON, as if the state had been stored and loaded. */
export const roundTrip = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
