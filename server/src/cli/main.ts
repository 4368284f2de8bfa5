import { Command, InvalidArgumentError, Option } from 'commander';
import { pino } from 'pino';
import { ConfigError, loadConfig, type Config } from '../platform/config.ts';
import { createPlatform } from '../platform/create.ts';
import { roles, type Role } from '../platform/db/schema.ts';
import { createUser } from '../platform/auth/auth.service.ts';
import { findWorkspaceBySlug } from '../platform/auth/auth.store.ts';
import { AppError } from '../platform/errors.ts';
import { startHoorn } from '../main.ts';
import { formatCredentials, seedDemo } from '../seed/demo.ts';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { importOrdersCsv } from '../customers/orders.service.ts';
import cliProgress from 'cli-progress';
import { readSummaryCsv, readTransactionsCsv } from '../clv/clv.files.ts';
import { fitClvModels, type ClvFit } from '../clv/fit.ts';
import { fitParetoNbd, prepareParetoNbd } from '../clv/paretonbd.ts';
import { summarize, type TimeUnit } from '../clv/summary.ts';
import { registerWorkforceCommands } from './workforce.ts';

/** Reads config or exits with the list of problems: the one place bad configuration is reported. */
function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`hoorn: ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

/** Runs a task against the database without the HTTP server (migrate, seed, user create). */
async function withPlatform<T>(work: (p: Awaited<ReturnType<typeof createPlatform>>) => Promise<T>): Promise<T> {
  const config = configOrExit();
  const platform = await createPlatform(config, { log: pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel }) });
  try {
    return await work(platform);
  } finally {
    await platform.close();
  }
}

const program = new Command()
  .name('hoorn')
  .description('Hoorn, the omnichannel Customer Management Center')
  .showHelpAfterError();

program
  .command('start')
  .description('Run the Hoorn server (migrates the database and seeds the demo workspace on first start)')
  .action(async () => {
    const running = await startHoorn(configOrExit());
    process.stdout.write(`Hoorn runs at ${running.url}  (API docs at ${running.url}/docs)\n`);
    const shutdown = async () => {
      await running.stop();
      process.exit(0);
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });

program
  .command('migrate')
  .description('Apply pending database migrations and exit')
  .action(async () => {
    await withPlatform(async (p) => {
      const status = await p.database.migrationStatus();
      process.stdout.write(`Database (${p.database.kind}) is at migration ${status.applied} of ${status.known}.\n`);
    });
  });

program
  .command('seed')
  .description('Add sample data')
  .requiredOption('--demo', 'the demo workspace with agents, a supervisor and an admin')
  .action(async () => {
    await withPlatform(async (p) => {
      const result = await seedDemo(p);
      process.stdout.write(`${result.created ? 'Created' : 'Already present:'} ${formatCredentials(result)}\n`);
    });
  });

const parseRole = (value: string): Role => {
  if (!(roles as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${roles.join(', ')}`);
  return value as Role;
};

const user = program.command('user').description('Manage users');
user
  .command('create')
  .description('Create a user in a workspace; prints a generated password unless --password is given')
  .requiredOption('--workspace <slug>', 'workspace slug', 'demo')
  .requiredOption('--email <email>', 'email address, used to log in')
  .requiredOption('--name <name>', 'display name')
  .addOption(new Option('--role <role>', 'role').choices(roles).default('agent').argParser(parseRole))
  .option('--password <password>', 'password (at least 10 characters)')
  .action(async (opts: { workspace: string; email: string; name: string; role: Role; password?: string }) => {
    await withPlatform(async (p) => {
      const workspace = await findWorkspaceBySlug(p.db, opts.workspace);
      if (!workspace) throw new AppError(404, 'not_found', `No workspace "${opts.workspace}"`);
      const password = opts.password ?? randomBytes(12).toString('base64url');
      if (password.length < 10) throw new AppError(400, 'weak_password', 'The password must be at least 10 characters');
      const created = await createUser(p, workspace.id, { email: opts.email, name: opts.name, role: opts.role, password }, 'system:cli');
      process.stdout.write(`Created ${created.role} ${created.email} in ${workspace.slug}${opts.password ? '' : ` with password ${password}`}\n`);
    });
  });

const clv = program.command('clv').description('Customer lifetime value (BG/NBD and Gamma-Gamma)');
clv
  .command('fit')
  .description('Fit BG/NBD and Gamma-Gamma by maximum likelihood; prints the parameters (JSON with --json). No database.')
  .option('--transactions <file>', 'CSV with customer_id,date,amount (date YYYY-MM-DD)')
  .option('--calibration-end <date>', 'last day of the calibration period, YYYY-MM-DD (with --transactions)')
  .addOption(new Option('--time-unit <unit>', 'time unit of recency and T').choices(['day', 'week']).default('day'))
  .option('--summary <file>', 'CSV with ID,frequency,recency,T and optionally monetary_value')
  .option('--pareto', 'also fit Pareto/NBD (a second purchase model, to compare by log-likelihood)')
  .option('--json', 'print only JSON on stdout')
  .action((opts: { transactions?: string; calibrationEnd?: string; timeUnit: TimeUnit; summary?: string; pareto?: boolean; json?: boolean }) => {
    if (Boolean(opts.transactions) === Boolean(opts.summary)) throw new InvalidArgumentError('give exactly one of --transactions and --summary');
    let customers;
    if (opts.transactions) {
      if (!opts.calibrationEnd) throw new InvalidArgumentError('--transactions needs --calibration-end YYYY-MM-DD');
      customers = summarize(readTransactionsCsv(opts.transactions), opts.calibrationEnd, opts.timeUnit);
    } else {
      customers = readSummaryCsv(opts.summary!);
    }
    // Progress on stderr (shown when stderr is a terminal); stdout carries only the result.
    const bar = new cliProgress.SingleBar(
      { stream: process.stderr, format: 'clv fit {model} | iteration {value} | -log-likelihood per customer {ll}', hideCursor: false, clearOnComplete: true },
      cliProgress.Presets.legacy,
    );
    let started = false;
    const fit: ClvFit = fitClvModels(customers, {
      onProgress: (model, iteration, value) => {
        if (!started) {
          bar.start(Infinity, 0, { model, ll: '' });
          started = true;
        }
        if (iteration % 10 === 0) bar.update(iteration, { model, ll: value.toFixed(6) });
      },
    });
    const pareto = opts.pareto
      ? fitParetoNbd(prepareParetoNbd(customers), {
          onIteration: (iteration, value) => {
            if (!started) {
              bar.start(Infinity, 0, { model: 'paretoNbd', ll: '' });
              started = true;
            }
            if (iteration % 10 === 0) bar.update(iteration, { model: 'paretoNbd', ll: value.toFixed(6) });
          },
        })
      : null;
    if (started) bar.stop();
    const { customers: ggCustomers, ...gammaGamma } = fit.gammaGamma ?? { customers: 0 };
    const paretoNbd = pareto ? { ...pareto.params, logLikelihood: pareto.logLikelihood } : undefined;
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ bgnbd: fit.bgnbd, gammaGamma: fit.gammaGamma ? gammaGamma : null, ...(paretoNbd ? { paretoNbd } : {}), customers: fit.customers })}\n`);
      return;
    }
    const f = (v: number) => v.toPrecision(6);
    const b = fit.bgnbd;
    process.stdout.write(`${fit.customers} customers\nBG/NBD       r ${f(b.r)}  alpha ${f(b.alpha)}  a ${f(b.a)}  b ${f(b.b)}  log-likelihood ${b.logLikelihood.toFixed(2)}\n`);
    const g = fit.gammaGamma;
    if (paretoNbd) process.stdout.write(`Pareto/NBD   r ${f(paretoNbd.r)}  alpha ${f(paretoNbd.alpha)}  s ${f(paretoNbd.s)}  beta ${f(paretoNbd.beta)}  log-likelihood ${paretoNbd.logLikelihood.toFixed(2)}\n`);
    process.stdout.write(g ? `Gamma-Gamma  p ${f(g.p)}  q ${f(g.q)}  v ${f(g.v)}  log-likelihood ${g.logLikelihood.toFixed(2)}  (${ggCustomers} customers with repeat spend)\n` : 'Gamma-Gamma  not fitted (no spend column or no repeat spend)\n');
  });

const orders = program.command('orders').description("Customers' orders (the data lifetime value is fitted on)");
orders
  .command('import')
  .description('Import orders from CSV (customer_id|customer_email|customer_key, order_id, date, amount, currency); idempotent on order_id. Exits 2 when some lines were refused.')
  .requiredOption('--workspace <slug>', 'workspace slug')
  .requiredOption('--file <file>', 'CSV file with a header line')
  .option('--json', 'print the report as JSON on stdout')
  .action(async (opts: { workspace: string; file: string; json?: boolean }) => {
    const csv = fs.readFileSync(opts.file, 'utf8');
    const report = await withPlatform(async (p) => {
      const workspace = await findWorkspaceBySlug(p.db, opts.workspace);
      if (!workspace) throw new AppError(404, 'not_found', `No workspace "${opts.workspace}"`);
      // Progress on stderr; stdout carries only the report.
      const bar = new cliProgress.SingleBar({ stream: process.stderr, format: 'orders import | {bar} | {value}/{total} orders', hideCursor: false }, cliProgress.Presets.shades_classic);
      let started = false;
      const result = await importOrdersCsv(p, workspace.id, csv, (done, total) => {
        if (!started) bar.start(total, 0);
        started = true;
        bar.update(done);
      });
      if (started) bar.stop();
      return result;
    });
    if (opts.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else {
      process.stdout.write(`Imported ${report.imported} orders, skipped ${report.skipped} already present, ${report.errors.length} lines refused.\n`);
      for (const e of report.errors) process.stdout.write(`${opts.file}:${e.line}: ${e.message}\n`);
    }
    if (report.errors.length > 0) process.exitCode = 2;
  });

registerWorkforceCommands(program, { withPlatform });

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`hoorn: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
