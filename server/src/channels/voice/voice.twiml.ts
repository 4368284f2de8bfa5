/**
 * TwiML a call hears outside its flow: the hold loop with the caller's place in line, the offer
 * of a callback, the connection to the agent who accepted. Pure: strings in, XML out.
 */
import { DEFAULT_VOICES, escapeXml, VOICE_LOCALES } from '../../flows/render.ts';
import type { Language } from '../../flows/flow.ts';

const XML = '<?xml version="1.0" encoding="UTF-8"?>';
const say = (language: Language, text: string) => `<Say voice="${DEFAULT_VOICES[language]}" language="${VOICE_LOCALES[language]}">${escapeXml(text)}</Say>`;
export const twiml = (body: string) => `${XML}<Response>${body}</Response>`;

export const languageOf = (value: string | null | undefined): Language => (value?.slice(0, 2).toLowerCase() === 'en' ? 'en' : 'nl');

/** "ongeveer 3 minuten" / "about 3 minutes"; under a minute is said as such. */
export function spokenWait(seconds: number, language: Language): string {
  const minutes = Math.round(seconds / 60);
  if (language === 'en') return minutes < 1 ? 'less than a minute' : minutes === 1 ? 'about one minute' : `about ${minutes} minutes`;
  return minutes < 1 ? 'minder dan een minuut' : minutes === 1 ? 'ongeveer een minuut' : `ongeveer ${minutes} minuten`;
}

export interface HoldOptions {
  language: Language;
  position: number | null;
  estimatedWaitSeconds: number | null;
  /** Where a key press asking for a callback goes; null when callbacks are off. */
  callbackUrl: string | null;
  callbackDigit: string;
  /** Seconds of silence before Twilio asks the wait URL again. */
  pauseSeconds: number;
}

/** One turn of the hold loop (Twilio requests the wait URL again when it ends). */
export function holdTwiml(o: HoldOptions): string {
  const nl = o.language === 'nl';
  const parts: string[] = [];
  if (o.position !== null) parts.push(nl ? `U bent nummer ${o.position} in de wachtrij.` : `You are number ${o.position} in the queue.`);
  if (o.estimatedWaitSeconds !== null) parts.push(nl ? `De verwachte wachttijd is ${spokenWait(o.estimatedWaitSeconds, 'nl')}.` : `The expected wait is ${spokenWait(o.estimatedWaitSeconds, 'en')}.`);
  if (parts.length === 0) parts.push(nl ? 'Een moment geduld alstublieft, u wordt zo geholpen.' : 'Please hold, you will be helped shortly.');
  let body = say(o.language, parts.join(' '));
  if (o.callbackUrl) {
    const offer = nl ? `Wilt u liever teruggebeld worden? Toets dan ${o.callbackDigit}.` : `Would you rather be called back? Press ${o.callbackDigit}.`;
    body += `<Gather input="dtmf" numDigits="1" timeout="${o.pauseSeconds}" action="${escapeXml(o.callbackUrl)}" method="POST">${say(o.language, offer)}</Gather>`;
  } else {
    body += `<Pause length="${o.pauseSeconds}"/>`;
  }
  return twiml(body);
}

/** The caller chose a callback: confirm, and leave the queue (the task keeps its place as a callback). */
export function callbackConfirmedTwiml(language: Language): string {
  const text = language === 'nl' ? 'Dank u. We bellen u terug zodra er een collega vrij is. Tot ziens.' : 'Thank you. We will call you back as soon as a colleague is free. Goodbye.';
  return twiml(`${say(language, text)}<Leave/>`);
}

/** Put through to the agent who accepted (sent with Twilio's call update API). */
export function connectTwiml(language: Language, client: string): string {
  const text = language === 'nl' ? 'U wordt nu doorverbonden.' : 'Putting you through now.';
  return twiml(`${say(language, text)}<Dial><Client>${escapeXml(client)}</Client></Dial>`);
}

/** No flow on the number: straight into the queue. */
export function enqueueTwiml(language: Language, queueName: string, waitUrl: string): string {
  const text = language === 'nl' ? 'Welkom. U wordt zo snel mogelijk geholpen.' : 'Welcome. You will be helped as soon as possible.';
  return twiml(`${say(language, text)}<Enqueue waitUrl="${escapeXml(waitUrl)}" waitUrlMethod="POST">${escapeXml(queueName)}</Enqueue>`);
}

export const hangupTwiml = () => twiml('<Hangup/>');

/** The line the conversation's timeline gets when the call ends. */
export function callEndedText(language: Language, status: string, durationSeconds: number): string {
  const length = `${Math.floor(durationSeconds / 60)}:${String(durationSeconds % 60).padStart(2, '0')}`;
  if (status !== 'completed') return language === 'nl' ? `Oproep niet verbonden (${status})` : `Call not connected (${status})`;
  return language === 'nl' ? `Telefoongesprek beëindigd, duur ${length}` : `Call ended, duration ${length}`;
}
