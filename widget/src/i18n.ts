import type { Lang } from './api';

const nl = {
  openChat: 'Chat openen',
  closeChat: 'Chat sluiten',
  chatWith: 'Chat met {name}',
  online: 'We zijn online',
  offline: 'We zijn offline',
  waitPosition: 'Je bent nummer {n} in de rij',
  waitQueued: 'Je staat in de rij',
  waitMinutes: 'ongeveer {n} min',
  unread: '{n} ongelezen',
  name: 'Naam',
  email: 'E-mailadres',
  optional: 'optioneel',
  start: 'Start gesprek',
  consent: 'Ik ga akkoord met het verwerken van mijn gegevens voor dit gesprek.',
  messages: 'Berichten',
  message: 'Bericht',
  placeholder: 'Typ een bericht…',
  send: 'Versturen',
  attach: 'Bestand toevoegen',
  sending: 'Wordt verstuurd…',
  uploading: 'Wordt geüpload…',
  notSent: 'Niet verstuurd',
  retry: 'Opnieuw proberen',
  read: 'Gelezen',
  agent: 'Medewerker',
  typing: '{name} is aan het typen…',
  earlier: 'Eerdere berichten laden',
  loading: 'Laden…',
  offlineIntro: 'We zijn er nu niet. Laat een bericht achter, dan antwoorden we per e-mail.',
  offlineSubmit: 'Bericht versturen',
  offlineSent: 'Bedankt, je bericht is verstuurd.',
  offlineNote: 'We antwoorden per e-mail op {email}.',
  offlineBanner: 'We zijn nu offline. Laat gerust een bericht achter; we antwoorden zo snel mogelijk.',
  needName: 'Vul je naam in.',
  needEmail: 'Vul een geldig e-mailadres in.',
  needConsent: 'Geef toestemming om verder te gaan.',
  needMessage: 'Schrijf een bericht.',
  network: 'Geen verbinding. Je berichten worden verstuurd zodra de verbinding terug is.',
  generic: 'Er ging iets mis. Probeer het opnieuw.',
  tooLarge: '"{file}" is te groot: maximaal {max}.',
  badType: '"{file}" kan niet worden verstuurd: dit bestandstype is niet toegestaan.',
  uploadFailed: '"{file}" kon niet worden geüpload.',
  identity: 'We konden je account niet bevestigen; je chat als gast.',
  callIncoming: '{name} belt je voor een videogesprek',
  callIncomingAudio: '{name} belt je (alleen geluid)',
  callAccept: 'Opnemen met camera',
  callAudioOnly: 'Alleen geluid',
  callDecline: 'Weigeren',
  callRecordConsent: 'Ik ga akkoord met het opnemen van dit gesprek.',
  callRecording: 'Dit gesprek wordt opgenomen.',
  callWaiting: 'Wachten op een medewerker…',
  callConnecting: 'Verbinden…',
  callCancel: 'Annuleren',
  callMute: 'Microfoon uit',
  callUnmute: 'Microfoon aan',
  callCamOff: 'Camera uit',
  callCamOn: 'Camera aan',
  callShare: 'Scherm delen',
  callStopShare: 'Stop met delen',
  callHangup: 'Ophangen',
  callStart: 'Videogesprek',
  callNoMedia: 'Geen toegang tot camera of microfoon.',
  callRequestPrompt: 'Een videogesprek met een medewerker beginnen?',
  callRequest: 'Bellen',
  callRecordingNow: '● Opname loopt',
};

export type Key = keyof typeof nl;

const en: Record<Key, string> = {
  openChat: 'Open chat',
  closeChat: 'Close chat',
  chatWith: 'Chat with {name}',
  online: 'We are online',
  waitPosition: 'You are number {n} in line',
  waitQueued: 'You are in line',
  waitMinutes: 'about {n} min',
  offline: 'We are offline',
  unread: '{n} unread',
  name: 'Name',
  email: 'Email address',
  optional: 'optional',
  start: 'Start chat',
  consent: 'I agree to my data being processed for this conversation.',
  messages: 'Messages',
  message: 'Message',
  placeholder: 'Type a message…',
  send: 'Send',
  attach: 'Attach a file',
  sending: 'Sending…',
  uploading: 'Uploading…',
  notSent: 'Not sent',
  retry: 'Retry',
  read: 'Read',
  agent: 'Agent',
  typing: '{name} is typing…',
  earlier: 'Load earlier messages',
  loading: 'Loading…',
  offlineIntro: 'We are offline; leave a message and we will answer by email.',
  offlineSubmit: 'Send message',
  offlineSent: 'Thank you, your message has been sent.',
  offlineNote: 'We will answer by email at {email}.',
  offlineBanner: 'We are offline right now. Feel free to leave a message; we will answer as soon as we can.',
  needName: 'Please enter your name.',
  needEmail: 'Please enter a valid email address.',
  needConsent: 'Please give your consent to continue.',
  needMessage: 'Please write a message.',
  network: 'No connection. Your messages will be sent as soon as the connection is back.',
  generic: 'Something went wrong. Please try again.',
  tooLarge: '"{file}" is too large: the maximum is {max}.',
  badType: '"{file}" cannot be sent: this file type is not allowed.',
  uploadFailed: '"{file}" could not be uploaded.',
  identity: 'We could not verify your account; you are chatting as a guest.',
  callIncoming: '{name} is calling you for a video call',
  callIncomingAudio: '{name} is calling you (audio only)',
  callAccept: 'Answer with camera',
  callAudioOnly: 'Audio only',
  callDecline: 'Decline',
  callRecordConsent: 'I agree to this call being recorded.',
  callRecording: 'This call is being recorded.',
  callWaiting: 'Waiting for an agent…',
  callConnecting: 'Connecting…',
  callCancel: 'Cancel',
  callMute: 'Mute',
  callUnmute: 'Unmute',
  callCamOff: 'Camera off',
  callCamOn: 'Camera on',
  callShare: 'Share screen',
  callStopShare: 'Stop sharing',
  callHangup: 'Hang up',
  callStart: 'Video call',
  callNoMedia: 'No access to the camera or microphone.',
  callRequestPrompt: 'Start a video call with an agent?',
  callRequest: 'Call',
  callRecordingNow: '● Recording',
};

const dictionaries: Record<Lang, Record<Key, string>> = { nl, en };

export type Translate = (key: Key, vars?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  const dict = dictionaries[lang];
  return (key, vars) => dict[key].replace(/\{(\w+)\}/g, (m, name: string) => (vars && name in vars ? String(vars[name]) : m));
}

/** The first candidate that is Dutch or English (`nl-BE` counts as nl), else nl. */
export function pickLang(...candidates: Array<string | null | undefined>): Lang {
  for (const c of candidates) {
    const p = c?.trim().slice(0, 2).toLowerCase();
    if (p === 'nl' || p === 'en') return p;
  }
  return 'nl';
}

export function formatTime(iso: string, lang: Lang, now = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const sameDay = d.toDateString() === now.toDateString();
  return new Intl.DateTimeFormat(lang, sameDay ? { hour: '2-digit', minute: '2-digit' } : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(d);
}

export function formatBytes(n: number, lang: Lang): string {
  const num = (v: number) => new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(v);
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${num(n / 1024)} KB`;
  return `${num(n / 1024 / 1024)} MB`;
}
