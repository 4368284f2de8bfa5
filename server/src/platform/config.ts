import path from 'node:path';
import { z } from 'zod';

/**
 * Hoorn's configuration, read from the environment once at start-up.
 * Every value is validated; a bad value stops the process with a message that names
 * the variable, what it expected and what it got (see `formatConfigError`).
 */
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const intInRange = (name: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `${name} must be a whole number between ${min} and ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `${name} must be at least ${min}`).max(max, `${name} must be at most ${max}`));

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** One WebRTC ICE server, as the browser's RTCIceServer takes it. */
const iceServerList = z.array(
  z.object({ urls: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]), username: z.string().optional(), credential: z.string().optional() }).strict(),
);
export type IceServer = z.infer<typeof iceServerList>[number];

const envSchema = z.object({
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PORT: intInRange('PORT', 0, 65535).default(3000),
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\/.+/, 'DATABASE_URL must be a postgres:// or postgresql:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  HOORN_DATA_DIR: z.string().trim().min(1).default('data'),
  HOORN_PUBLIC_URL: z.url({ message: 'HOORN_PUBLIC_URL must be an absolute URL such as https://hoorn.example.nl' }).optional(),
  HOORN_SECRET: z.string().min(32, 'HOORN_SECRET must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(logLevels, { message: `LOG_LEVEL must be one of ${logLevels.join(', ')}` }).default('info'),
  HOORN_SESSION_TTL_HOURS: intInRange('HOORN_SESSION_TTL_HOURS', 1, 24 * 90).default(12),
  HOORN_LOGIN_MAX_PER_MINUTE: intInRange('HOORN_LOGIN_MAX_PER_MINUTE', 1, 10_000).default(10),
  HOORN_OUTBOX_MAX_ATTEMPTS: intInRange('HOORN_OUTBOX_MAX_ATTEMPTS', 1, 100).default(8),
  HOORN_OUTBOX_POLL_MS: intInRange('HOORN_OUTBOX_POLL_MS', 10, 600_000).default(1000),
  HOORN_SEED_DEMO: booleanFlag.default(true),
  HOORN_WEB_DIST: z.string().trim().min(1).optional(),
  HOORN_SMTP_PORT: intInRange('HOORN_SMTP_PORT', 0, 65535).optional(),
  HOORN_SMTP_HOST: z.string().trim().min(1).default('0.0.0.0'),
  HOORN_MAIL_URL: z
    .string()
    .trim()
    .regex(/^smtps?:\/\/[^/\s]+/, 'HOORN_MAIL_URL must be an smtp:// or smtps:// URL such as smtp://user:password@smtp.example.nl:587')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  HOORN_WEBHOOKS_ALLOW_PRIVATE: booleanFlag.default(false),
  /** STUN/TURN servers for video calls, as JSON: [{"urls":"turn:turn.example.nl:3478","username":"u","credential":"c"}]. */
  HOORN_ICE_SERVERS: z
    .string()
    .trim()
    .default('[]')
    .transform((raw, ctx) => {
      try {
        return iceServerList.parse(JSON.parse(raw || '[]'));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'HOORN_ICE_SERVERS must be a JSON list such as [{"urls":"stun:stun.example.nl:3478"}]' });
        return z.NEVER;
      }
    }),
  HOORN_MAIL_FROM: z
    .string()
    .trim()
    .regex(/^([^<>]*<[^@\s<>]+@[^@\s<>]+>|[^@\s<>]+@[^@\s<>]+)$/, 'HOORN_MAIL_FROM must be an address such as rapportages@example.nl or "Hoorn <rapportages@example.nl>"')
    .optional(),
});

export type Env = z.input<typeof envSchema>;

export interface Config {
  host: string;
  port: number;
  /** PostgreSQL connection string; when absent Hoorn uses embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  /** Absolute path of the folder that holds PGlite's files (and later uploads). */
  dataDir: string;
  publicUrl: string;
  /** Encrypts channel credentials at rest; generated into dataDir when unset (single node only). */
  secret: string | undefined;
  logLevel: (typeof logLevels)[number];
  sessionTtlMs: number;
  loginMaxPerMinute: number;
  outboxMaxAttempts: number;
  outboxPollMs: number;
  seedDemo: boolean;
  /** Folder with the built web app; served at `/` when it exists. */
  webDist: string | undefined;
  /**
   * Where Hoorn's own mail server listens for inbound email channels; unset: no listener (so
   * `npm start` and the tests never take port 25). IMAP channels work without it.
   */
  smtpListen: { port: number; host: string } | undefined;
  /**
   * The outgoing mail server for Hoorn's own mail (scheduled reports), not a channel's relay;
   * unset: such mail is not sent and the schedules say so.
   */
  mail: { url: string; from: string } | undefined;
  /**
   * Whether outbound webhooks may go to private, loopback and link-local addresses (an on-premises
   * CRM on 10.x). Off by default: a webhook URL must not reach into Hoorn's own network.
   */
  webhooksAllowPrivate: boolean;
  /**
   * STUN/TURN servers handed to both browsers of a video call. Empty (the default) works when
   * both are on one network (localhost, a LAN); across the internet a TURN server is needed.
   */
  iceServers: IceServer[];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the configuration; throws ConfigError listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  const relevant = Object.fromEntries(
    Object.keys(envSchema.shape).flatMap((key) => (env[key] === undefined ? [] : [[key, env[key]]])),
  );
  const parsed = envSchema
    .superRefine((e, ctx) => {
      if (e.HOORN_MAIL_URL && !e.HOORN_MAIL_FROM) ctx.addIssue({ code: 'custom', path: ['HOORN_MAIL_FROM'], message: 'HOORN_MAIL_FROM is required when HOORN_MAIL_URL is set' });
    })
    .safeParse(relevant);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = String(issue.path[0] ?? '');
        const got = key in relevant ? ` (got ${JSON.stringify(relevant[key])})` : '';
        return `${key}: ${issue.message}${got}`;
      }),
    );
  }
  const e = parsed.data;
  return {
    host: e.HOST,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(cwd, e.HOORN_DATA_DIR),
    publicUrl: (e.HOORN_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    secret: e.HOORN_SECRET,
    logLevel: e.LOG_LEVEL,
    sessionTtlMs: e.HOORN_SESSION_TTL_HOURS * 3_600_000,
    loginMaxPerMinute: e.HOORN_LOGIN_MAX_PER_MINUTE,
    outboxMaxAttempts: e.HOORN_OUTBOX_MAX_ATTEMPTS,
    outboxPollMs: e.HOORN_OUTBOX_POLL_MS,
    seedDemo: e.HOORN_SEED_DEMO,
    webDist: e.HOORN_WEB_DIST ? path.resolve(cwd, e.HOORN_WEB_DIST) : undefined,
    smtpListen: e.HOORN_SMTP_PORT === undefined ? undefined : { port: e.HOORN_SMTP_PORT, host: e.HOORN_SMTP_HOST },
    mail: e.HOORN_MAIL_URL && e.HOORN_MAIL_FROM ? { url: e.HOORN_MAIL_URL, from: e.HOORN_MAIL_FROM } : undefined,
    webhooksAllowPrivate: e.HOORN_WEBHOOKS_ALLOW_PRIVATE,
    iceServers: e.HOORN_ICE_SERVERS,
  };
}
