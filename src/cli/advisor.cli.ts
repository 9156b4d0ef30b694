/**
 * Advisor accounts from the command line, for the first steps and for operators without an admin
 * token:
 *
 *   npm run advisor -- create --email a@b.de --name "A B" [--role advisor|admin]
 *   npm run advisor -- list [--json]
 *   npm run advisor -- disable --email a@b.de
 *   npm run advisor -- enable --email a@b.de
 *
 * (In the container image: `node dist/cli/advisor.cli.js …`.) The password comes from the
 * environment variable ADVISOR_PASSWORD or is read from stdin (without echo on a terminal), never
 * from an argument, which would end up in the shell history and the process list.
 *
 * With MONGODB_URI set it works on MongoDB, next to a running service. The embedded store has one writer: while the service runs on the same DATA_DIR the CLI refuses
 * (the store's lock file), and the API does the same job.
 */
import { AdvisorAccounts, CLI_ACTOR, DuplicateEmailError, LastAdminError, MIN_PASSWORD_LENGTH } from '../advisors/accounts';
import { AuditLog } from '../advisors/audit';
import { loadConfig } from '../config/config';
import { EmbeddedStore } from '../storage/embedded/embedded-store';
import { StoreLockedError } from '../storage/embedded/lock';
import { MongoStore } from '../storage/mongodb/mongo-store';
import { StoreUnavailableError, type AdvisorRole, type Store } from '../storage/store';
import { z } from 'zod';

/** An operator at a terminal waits this long for MongoDB before being told it is not there. */
const MONGODB_CONNECT_TIMEOUT_MS = 10_000;

const USAGE = `usage: npm run advisor -- <command> [options]
  create  --email <email> --name <name> [--role advisor|admin]   password from ADVISOR_PASSWORD or stdin
  list    [--json]
  disable --email <email>
  enable  --email <email>`;

class UsageError extends Error {}

export async function runCli(argv: string[], env: NodeJS.ProcessEnv, io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream; stdin: NodeJS.ReadStream }): Promise<number> {
  const [command, ...rest] = argv;
  let options: Record<string, string | true>;
  try {
    if (!command || !['create', 'list', 'disable', 'enable'].includes(command)) throw new UsageError(command ? `unknown command: ${command}` : 'no command given');
    options = parseOptions(rest);
  } catch (error) {
    io.err.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }

  const config = loadConfig(env);

  // Validate everything and read the password before taking the lock: a prompt must not hold DATA_DIR.
  let password: string | undefined;
  if (command === 'create') {
    if (typeof options.email !== 'string' || typeof options.name !== 'string') return usage(io, 'create needs --email and --name');
    if (options.role !== undefined && options.role !== 'advisor' && options.role !== 'admin') return usage(io, '--role must be advisor or admin');
    if (!z.string().email().safeParse(options.email.trim()).success) return usage(io, '--email must be an email address');
    if (!options.name.trim() || options.name.length > 100) return usage(io, '--name must be 1–100 characters');
    password = env.ADVISOR_PASSWORD || (await readPassword(io));
    if (password.length < MIN_PASSWORD_LENGTH) {
      io.err.write(`The password must have at least ${MIN_PASSWORD_LENGTH} characters.\n`);
      return 1;
    }
  }
  if ((command === 'disable' || command === 'enable') && typeof options.email !== 'string') return usage(io, `${command} needs --email`);

  let store: Store;
  try {
    store = config.MONGODB_URI
      ? await MongoStore.connect(config.MONGODB_URI, { retentionDays: config.RETENTION_DAYS, timeoutMs: MONGODB_CONNECT_TIMEOUT_MS })
      : new EmbeddedStore(config.DATA_DIR, { fsync: true });
  } catch (error) {
    if (error instanceof StoreUnavailableError) {
      io.err.write(`MongoDB did not answer within ${MONGODB_CONNECT_TIMEOUT_MS / 1000} s (MONGODB_URI). Nothing was changed.\n`);
      return 1;
    }
    if (error instanceof StoreLockedError) {
      io.err.write(
        `The service is running on ${config.DATA_DIR}${error.pid ? ` (pid ${error.pid})` : ''}; the embedded store allows one writer at a time.\n` +
          'Use the API instead (POST /api/v1/advisors, PATCH /api/v1/advisors/:id with an admin token), or stop the service first.\n',
      );
      return 1;
    }
    throw error;
  }

  try {
    const accounts = new AdvisorAccounts(store.advisors, new AuditLog(store.audit));
    switch (command) {
      case 'create': {
        const role = (options.role ?? 'advisor') as AdvisorRole;
        try {
          const advisor = await accounts.create({ email: (options.email as string).trim(), name: (options.name as string).trim(), password: password!, role }, CLI_ACTOR);
          io.out.write(`created ${advisor.role} ${advisor.email} (${advisor.id})\n`);
          return 0;
        } catch (error) {
          if (error instanceof DuplicateEmailError) {
            io.err.write(`An advisor with the email ${(options.email as string).toLowerCase()} already exists.\n`);
            return 1;
          }
          throw error;
        }
      }
      case 'list': {
        const advisors = await store.advisors.list();
        if (options.json) {
          io.out.write(`${JSON.stringify(advisors.map(({ passwordHash: _hash, ...rest }) => rest), null, 2)}\n`);
        } else {
          for (const a of advisors) io.out.write(`${a.id}\t${a.email}\t${a.name}\t${a.role}\t${a.disabled ? 'disabled' : 'active'}\n`);
          if (advisors.length === 0) io.err.write('no advisor accounts yet\n');
        }
        return 0;
      }
      default: {
        const advisor = await store.advisors.getByEmail(options.email as string);
        if (!advisor) {
          io.err.write(`No advisor with the email ${(options.email as string).toLowerCase()}.\n`);
          return 1;
        }
        try {
          await accounts.update(advisor.id, { disabled: command === 'disable' }, CLI_ACTOR);
        } catch (error) {
          if (error instanceof LastAdminError) {
            io.err.write(`${error.message}\n`);
            return 1;
          }
          throw error;
        }
        io.out.write(`${command}d ${advisor.email}\n`);
        return 0;
      }
    }
  } finally {
    await store.close();
  }
}

function usage(io: { err: NodeJS.WritableStream }, message: string): number {
  io.err.write(`${message}\n${USAGE}\n`);
  return 2;
}

function parseOptions(args: string[]): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (let i = 0; i < args.length; i++) {
    const match = /^--([a-z]+)(?:=(.*))?$/.exec(args[i]);
    if (!match) throw new UsageError(`unexpected argument: ${args[i]}`);
    const [, key, inline] = match;
    if (key === 'password') throw new UsageError('--password is not accepted (it would land in the shell history): use ADVISOR_PASSWORD or stdin');
    if (inline !== undefined) out[key] = inline;
    else if (key === 'json') out[key] = true;
    else if (i + 1 < args.length) out[key] = args[++i];
    else throw new UsageError(`--${key} needs a value`);
  }
  return out;
}

/** On a terminal: prompt on stderr and read without echo. Otherwise: the first line of stdin. */
async function readPassword(io: { err: NodeJS.WritableStream; stdin: NodeJS.ReadStream }): Promise<string> {
  const stdin = io.stdin;
  if (stdin.isTTY) {
    io.err.write('Password (not shown): ');
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    return new Promise((resolve, reject) => {
      let value = '';
      const onData = (chunk: string) => {
        for (const ch of chunk) {
          if (ch === '\r' || ch === '\n' || ch === '\u0004') {
            done();
            return resolve(value);
          }
          if (ch === '\u0003') {
            done();
            return reject(new Error('cancelled'));
          }
          if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
          else value += ch;
        }
      };
      const done = () => {
        stdin.off('data', onData);
        stdin.setRawMode(false);
        stdin.pause();
        io.err.write('\n');
      };
      stdin.on('data', onData);
    });
  }
  let input = '';
  stdin.setEncoding('utf8');
  for await (const chunk of stdin) {
    input += chunk as string;
    if (input.includes('\n')) break;
  }
  return input.split(/\r?\n/)[0];
}

if (require.main === module) {
  runCli(process.argv.slice(2), process.env, { out: process.stdout, err: process.stderr, stdin: process.stdin })
    .then((code) => process.exit(code))
    .catch((error: Error) => {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    });
}
