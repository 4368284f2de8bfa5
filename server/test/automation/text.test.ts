import { describe, expect, it } from 'vitest';
import { detectLanguage, scoreSentiment } from '../../src/automation/text.ts';

describe('language', () => {
  it.each([
    ['Hallo, ik wacht al twee weken op mijn bestelling. Kunnen jullie kijken waar die is?', 'nl'],
    ['Goedemorgen, ik wil graag mijn abonnement opzeggen', 'nl'],
    ['Hi, I have been waiting two weeks for my order. Could you check where it is?', 'en'],
    ['Thanks for the quick help this morning', 'en'],
  ])('%s → %s', (text, language) => {
    expect(detectLanguage(text).language).toBe(language);
  });

  it('says nothing when the text gives too little to tell', () => {
    expect(detectLanguage('OK').language).toBeNull();
    expect(detectLanguage('12345 👍').language).toBeNull();
    expect(detectLanguage('').confidence).toBe(0);
  });
});

describe('sentiment', () => {
  it.each([
    ['@Hoorn jullie reageren veel te traag, waardeloos!', 'negative'],
    ['Wat een belachelijke service, ik ben echt boos 😡', 'negative'],
    ['Your support is the worst, still no answer after a week', 'negative'],
    ['Super geholpen, heel vriendelijk, bedankt!', 'positive'],
    ['Great, thanks a lot for fixing it so fast 👍', 'positive'],
    ['Wat zijn jullie openingstijden op zaterdag?', 'neutral'],
    ['Wat een trage en slechte service', 'negative'],
    ['What is my order number?', 'neutral'],
  ])('%s → %s', (text, label) => {
    expect(scoreSentiment(text).label).toBe(label);
  });

  it('turns a negated word around, milder, and lets intensifiers, exclamation marks and shouting strengthen it', () => {
    expect(scoreSentiment('niet slecht').score).toBeGreaterThan(0);
    expect(scoreSentiment('not helpful').score).toBeLessThan(0);
    expect(scoreSentiment('niet slecht').score).toBeLessThan(scoreSentiment('goed').score + 1e-9);
    expect(scoreSentiment('heel traag').score).toBeLessThan(scoreSentiment('traag').score);
    expect(scoreSentiment('traag!!!').score).toBeLessThan(scoreSentiment('traag').score);
    expect(scoreSentiment('DIT IS WAARDELOOS').score).toBeLessThan(scoreSentiment('dit is waardeloos').score);
  });

  it('stays within −1..1 however long the rant', () => {
    const rant = 'slecht waardeloos belachelijk '.repeat(200);
    expect(scoreSentiment(rant).score).toBeGreaterThanOrEqual(-1);
    expect(scoreSentiment(rant).score).toBeLessThan(-0.95);
  });
});
