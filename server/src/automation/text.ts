// Language and sentiment of inbound text, Dutch and English. Pure and small on purpose: it runs on
// every inbound message, in the request's transaction, and its results become conversation
// attributes that rules and routing read (`language`, `sentiment`, `sentimentScore`).
//
// Language: common function words of each language counted against the text, with a few spelling
// patterns as tie-breakers (Dutch "ij", "oe", "sch"; English "th", "wh"); too little evidence gives
// null rather than a guess. Sentiment: a lexicon of customer-service words scored −3..+3, with
// negation ("niet traag", "not helpful") flipping the next words, intensifiers ("heel", "really")
// strengthening them, shouting and exclamation marks adding weight, and emoji. The sum is squashed
// to −1..1 by s / √(s² + 15), so a long rant and a short one land on the same scale.

export type Language = 'nl' | 'en';
export type SentimentLabel = 'negative' | 'neutral' | 'positive';

const FUNCTION_WORD_LISTS: Record<Language, string> = {
  nl: 'de het een en van ik je jij jullie u uw wij we ze zij is zijn was waren niet geen wel dat die dit deze er hier daar met voor naar bij om op aan uit ook al nog maar want dus of als dan toen heb hebt heeft hebben had kan kunt kunnen wil wilt willen moet moeten mijn mij me ons onze wat wie waar waarom hoe wanneer nu graag alstublieft bedankt dank hallo hoi goedemorgen goedemiddag',
  en: 'the a an and of i you your we our they them is are was were not no yes that this these those there here with for to at on in from by also still but because so or if then when have has had can could would will want need my me what who where why how now please thanks thank hello hi morning afternoon it its be been do does did just very',
};
const listed = (language: Language) => new Set(FUNCTION_WORD_LISTS[language].split(' '));
// A word of both lists ("is", "we", "was", "had") tells nothing; it counts for neither.
const FUNCTION_WORDS: Record<Language, ReadonlySet<string>> = {
  nl: new Set([...listed('nl')].filter((w) => !listed('en').has(w))),
  en: new Set([...listed('en')].filter((w) => !listed('nl').has(w))),
};

const PATTERNS: Record<Language, RegExp> = { nl: /ij|oe|sch|aa|uu|ui/g, en: /th|wh|ing\b|ould\b|'s\b/g };

export interface LanguageGuess {
  language: Language | null;
  /** Share of the evidence for the winner, 0.5..1 (0 when there is none). */
  confidence: number;
}

const words = (text: string): string[] => text.toLowerCase().normalize('NFC').match(/[\p{L}']+/gu) ?? [];

/** The text's language (Dutch or English), or null when the text gives too little to tell. */
export function detectLanguage(text: string): LanguageGuess {
  const tokens = words(text);
  const score = { nl: 0, en: 0 };
  for (const token of tokens) {
    if (FUNCTION_WORDS.nl.has(token)) score.nl += 1;
    if (FUNCTION_WORDS.en.has(token)) score.en += 1;
  }
  const lower = text.toLowerCase();
  // Spelling patterns weigh less than a function word: they are hints, common to names and loans.
  score.nl += 0.25 * (lower.match(PATTERNS.nl)?.length ?? 0);
  score.en += 0.25 * (lower.match(PATTERNS.en)?.length ?? 0);
  const total = score.nl + score.en;
  if (total < 1) return { language: null, confidence: 0 };
  const winner: Language = score.nl >= score.en ? 'nl' : 'en';
  const confidence = score[winner] / total;
  // A near tie is no answer.
  if (confidence < 0.6) return { language: null, confidence: Math.round(confidence * 100) / 100 };
  return { language: winner, confidence: Math.round(confidence * 100) / 100 };
}

// ---------------------------------------------------------------- sentiment

/** Word → valence, −3..+3. Stems end in `*` and match any ending ("teleurgesteld", "teleurstellend"). */
const LEXICON: Array<[string, number]> = [
  // Dutch
  ['goed', 2], ['prima', 2], ['top', 3], ['super', 2], ['fijn', 2], ['blij', 2], ['tevreden', 2], ['snel', 1], ['vriendelijk', 2],
  ['behulpzaam', 2], ['geweldig', 3], ['fantastisch', 3], ['uitstekend', 3], ['bedankt', 1], ['dank', 1], ['handig', 1], ['opgelost', 2],
  ['slecht*', -2], ['traag', -2], ['langzaam', -2], ['waardeloos', -3], ['belachelijk', -3], ['schandalig', -3], ['boos', -2], ['woedend', -3],
  ['teleurgesteld', -2], ['teleurstell*', -2], ['klacht*', -2], ['ontevreden', -2], ['irritant', -2], ['onbeschoft', -3], ['kapot', -2],
  ['stuk', -1], ['fout*', -1], ['probleem', -1], ['problemen', -1], ['nooit', -1], ['onacceptabel', -3], ['slechtste', -3], ['treurig', -2],
  ['zielig', -2], ['oplichter*', -3], ['bagger', -3], ['ellende', -2], ['frustrer*', -2], ['gefrustreerd', -2], ['opzeggen', -2], ['vervelend', -2],
  // English
  ['good', 2], ['great', 3], ['excellent', 3], ['awesome', 3], ['amazing', 3], ['love', 3], ['happy', 2], ['glad', 2], ['thanks', 1],
  ['thank', 1], ['helpful', 2], ['friendly', 2], ['quick', 1], ['fast', 1], ['fixed', 2], ['resolved', 2], ['perfect', 3], ['nice', 2],
  ['bad', -2], ['slow', -2], ['terrible', -3], ['awful', -3], ['horrible', -3], ['worst', -3], ['useless', -3], ['ridiculous', -3],
  ['angry', -2], ['furious', -3], ['disappoint*', -2], ['complain*', -2], ['unhappy', -2], ['annoy*', -2], ['rude', -3], ['broken', -2],
  ['problem*', -1], ['never', -1], ['unacceptable', -3], ['scam*', -3], ['frustrat*', -2], ['cancel', -1], ['hate', -3], ['poor', -2],
];
const EXACT = new Map<string, number>();
const STEMS: Array<[string, number]> = [];
for (const [word, value] of LEXICON) {
  if (word.endsWith('*')) STEMS.push([word.slice(0, -1), value]);
  else EXACT.set(word, value);
}
const NEGATIONS = new Set(['niet', 'geen', 'nooit', 'nergens', 'not', 'no', "don't", "doesn't", "didn't", "isn't", "wasn't", "aren't", "can't", 'cannot', "won't", 'without', 'zonder']);
const INTENSIFIERS = new Map([
  ['heel', 1.5], ['erg', 1.5], ['zeer', 1.5], ['echt', 1.3], ['super', 1.5], ['veel', 1.3], ['te', 1.3], ['zo', 1.3], ['extreem', 2],
  ['very', 1.5], ['really', 1.3], ['so', 1.3], ['too', 1.3], ['extremely', 2], ['absolutely', 1.5], ['totally', 1.5],
]);
const EMOJI: Array<[RegExp, number]> = [
  [/[😡🤬😠👎💩]/gu, -2.5],
  [/[😞😢😭🙁☹😤😒]/gu, -1.5],
  [/[🙂😊😀😃😄👍❤💯🎉🙏]/gu, 1.5],
];

export interface Sentiment {
  /** −1 (very negative) .. 1 (very positive). */
  score: number;
  label: SentimentLabel;
}

/**
 * The word and its Dutch base forms: an inflected adjective drops its -e and, after a single vowel,
 * gets the vowel back that spelling dropped ("trage" → "traag", "slechte" → "slecht").
 */
function forms(token: string): string[] {
  const out = [token];
  for (const ending of ['en', 'e']) {
    if (!token.endsWith(ending) || token.length - ending.length < 3) continue;
    const base = token.slice(0, -ending.length);
    out.push(base, base.replace(/([^aeiou])([aeiou])([^aeiou])$/, '$1$2$2$3'));
  }
  return out;
}

function valence(token: string): number {
  for (const form of forms(token)) {
    const exact = EXACT.get(form);
    if (exact !== undefined) return exact;
  }
  for (const [stem, value] of STEMS) if (token.startsWith(stem)) return value;
  return 0;
}

/** Scores a text's sentiment; labels below −0.25 negative and above 0.25 positive. */
export function scoreSentiment(text: string): Sentiment {
  const tokens = words(text);
  let sum = 0;
  let negateFor = 0;
  let boost = 1;
  for (const token of tokens) {
    if (NEGATIONS.has(token)) {
      negateFor = 3;
      continue;
    }
    const intensity = INTENSIFIERS.get(token);
    // "super" is both a word of praise and an intensifier; before another scored word it intensifies.
    if (intensity !== undefined && valence(token) === 0) {
      boost *= intensity;
      continue;
    }
    let value = valence(token);
    if (value !== 0) {
      if (negateFor > 0) value = -value * 0.75; // "niet slecht" is milder than "goed"
      sum += value * boost;
      boost = 1;
    } else if (intensity !== undefined) {
      boost *= intensity;
    }
    if (negateFor > 0) negateFor--;
  }
  for (const [pattern, value] of EMOJI) sum += value * (text.match(pattern)?.length ?? 0);
  // Exclamation marks and a shouted message push whichever way the words already lean.
  const exclamations = Math.min(3, (text.match(/!/g) ?? []).length);
  const letters = text.replace(/[^\p{L}]/gu, '');
  const shouting = letters.length >= 8 && letters === letters.toUpperCase() && letters !== letters.toLowerCase();
  if (sum !== 0) sum += Math.sign(sum) * (0.3 * exclamations + (shouting ? 1 : 0));
  const score = Math.round((sum / Math.sqrt(sum * sum + 15)) * 1000) / 1000;
  return { score, label: score <= -0.25 ? 'negative' : score >= 0.25 ? 'positive' : 'neutral' };
}

export interface TextAnalysis {
  language: Language | null;
  languageConfidence: number;
  /** Null for a message without words or emoji (an attachment alone). */
  sentiment: Sentiment | null;
}

/** Both, for one inbound message. */
export function analyzeText(text: string): TextAnalysis {
  const guess = detectLanguage(text);
  const hasContent = /[\p{L}\p{Extended_Pictographic}]/u.test(text);
  return { language: guess.language, languageConfidence: guess.confidence, sentiment: hasContent ? scoreSentiment(text) : null };
}
