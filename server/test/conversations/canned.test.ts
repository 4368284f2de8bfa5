import { describe, expect, it } from 'vitest';
import { rankCanned, renderCanned } from '../../src/conversations/canned.ts';

const values = { customer: { name: 'Anna de Boer', email: 'anna@example.nl' }, agent: { name: 'Daan Bakker' }, conversation: { id: 'c-1' } };

describe('canned responses', () => {
  it('fills placeholders and leaves unknown ones as typed', () => {
    expect(renderCanned('Hallo {{customer.first_name}}, ik ben {{ agent.first_name }} ({{customer.email}}). {{order.number}}', values)).toBe(
      'Hallo Anna, ik ben Daan (anna@example.nl). {{order.number}}',
    );
  });

  it('fills empty strings for unknown customer details', () => {
    expect(renderCanned('Hoi {{customer.first_name}}!', { ...values, customer: { name: null, email: null } })).toBe('Hoi !');
  });

  it('ranks shortcode prefixes before title and body matches', () => {
    const items = [
      { shortcode: 'bedankt', title: 'Afsluiting', body: 'Graag gedaan' },
      { shortcode: 'retour', title: 'Retourneren', body: 'binnen 30 dagen' },
      { shortcode: 'bezorging', title: 'Bezorgtijden', body: 'retour zending' },
    ];
    expect(rankCanned(items, '/re').map((i) => i.shortcode)).toEqual(['retour', 'bezorging']);
    expect(rankCanned(items, '').map((i) => i.shortcode)).toEqual(['bedankt', 'bezorging', 'retour']);
    expect(rankCanned(items, 'xyz')).toEqual([]);
  });
});
