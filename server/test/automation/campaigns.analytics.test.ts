import { describe, expect, it } from 'vitest';
import { Projection, type AnalyticsEvent } from '../../src/analytics/facts.ts';

// How the KPI projection sees campaign conversations (docs/automation.md, "Campaigns"): the
// outbound message opens a conversation that is no contact until the customer answers it.
const config = { serviceLevelSeconds: () => 20, routable: () => true, teamOf: () => '', fcrWindowMs: 7 * 86_400_000 };
const at = (minute: number) => new Date(Date.UTC(2026, 0, 15, 10, minute));
const ev = (type: string, subjectId: string, payload: Record<string, unknown>, minute: number, actorId: string | null = null): AnalyticsEvent => ({ type, subjectId, payload, actorId, createdAt: at(minute) });
const CUSTOMER = '11111111-1111-4111-8111-111111111111';

describe('campaign conversations in analytics', () => {
  it('marks a conversation a campaign opened, and makes it a contact once the customer answers and it is routed', () => {
    const projection = new Projection(config);
    projection.apply(ev('conversation.created', 'conv-campaign', { channelType: 'sms', customerId: CUSTOMER, campaignId: 'camp-1', direction: 'outbound' }, 0, 'campaign:camp-1'));
    projection.apply(ev('conversation.created', 'conv-other', { channelType: 'sms', customerId: 'someone', campaignId: 'camp-1', direction: 'outbound' }, 0, 'campaign:camp-1'));
    projection.apply(ev('conversation.created', 'conv-customer', { channelType: 'webchat', customerId: 'someone-else' }, 1));
    expect(projection.conversations.get('conv-campaign')!.origin).toBe('campaign');
    expect(projection.conversations.get('conv-customer')!.origin).toBe('customer');
    // The bot's campaign message is no first response.
    projection.apply(ev('message.queued', 'conv-campaign', { bot: true }, 0, 'campaign:camp-1'));
    expect(projection.conversations.get('conv-campaign')!.firstResponseAt).toBeNull();
    // The customer answers: routing makes a task; from then on it is a contact.
    projection.apply(ev('routing.task_created', 'task-1', { taskId: 'task-1', conversationId: 'conv-campaign', channel: 'sms' }, 5));
    expect(projection.conversations.get('conv-campaign')!.origin).toBe('campaign_reply');
    expect(projection.conversations.get('conv-other')!.origin).toBe('campaign');
  });

  it('a campaign writing to a customer is not the customer coming back (no repeat contact)', () => {
    const projection = new Projection(config);
    projection.apply(ev('conversation.created', 'conv-1', { channelType: 'webchat', customerId: CUSTOMER }, 0));
    projection.apply(ev('conversation.status_changed', 'conv-1', { from: 'open', to: 'resolved' }, 2));
    projection.apply(ev('conversation.created', 'conv-2', { channelType: 'sms', customerId: CUSTOMER, campaignId: 'camp-1' }, 10));
    expect(projection.conversations.get('conv-1')!.repeatContact).toBe(false);
    // The customer writing again is.
    projection.apply(ev('conversation.created', 'conv-3', { channelType: 'webchat', customerId: CUSTOMER }, 20));
    expect(projection.conversations.get('conv-1')!.repeatContact).toBe(true);
  });
});
