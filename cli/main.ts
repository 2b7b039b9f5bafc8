// `image-labels`: the image-labelling API from a terminal, built on @image-labels/client.
//   image-labels login --email E --password P [--signup]     sign in (SRP) and keep the tokens
//   image-labels label <files or folders…> [--json]           label images, a progress bar per file
//   image-labels status <id> | list | delete <id> | listen <id>
// Reads ./amplify_outputs.json unless --config names another file (`npm start` writes the local cloud's).
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import {
  createClient,
  ImageLabelsError,
  isQuotaExceeded,
  isTooManyRequests,
  readAmplifyOutputs,
  userPoolAuth,
  type ApiConfig,
  type ImageLabelsClient,
} from '@image-labels/client';
import type { Output } from './commands.ts';
import { InputError } from './files.ts';
import { configDirectory } from './token-store.ts';
import type { UserPoolSession } from './user-pool.ts';

const output: Output = {
  write: (text) => void process.stdout.write(text),
  note: (text) => void process.stderr.write(text),
};

/** Ctrl-C cancels what runs (labelImage deletes the blobs it created); a second one exits at once. */
const interrupt = new AbortController();
process.on('SIGINT', () => {
  if (interrupt.signal.aborted) process.exit(130);
  process.stderr.write('\nCancelling… (Ctrl-C again to quit at once)\n');
  interrupt.abort();
});

class CliError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

function integer(min: number, max: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) throw new InvalidArgumentError(`Expected an integer from ${min} to ${max}.`);
    return parsed;
  };
}

function confidence(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0 || parsed > 100) throw new InvalidArgumentError('Expected a number from 0 to 100.');
  return parsed;
}

interface Connection {
  config: ApiConfig;
  session: UserPoolSession;
  client: ImageLabelsClient;
}

async function connect(configFile: string): Promise<Connection> {
  const config = await readAmplifyOutputs(configFile).catch((error: unknown) => {
    if (error instanceof ImageLabelsError && error.code === 'ConfigNotFound') {
      throw new CliError('ConfigNotFound', `${error.message}\nStart the local cloud (npm start) in this folder, or name the API's amplify_outputs.json with --config.`);
    }
    throw error;
  });
  if (!config.userPool) throw new CliError('InvalidConfig', `${configFile} names no user pool (auth section): the CLI signs users in`);
  // Amplify, the prompts and the progress bars load only for the commands that use them: --help answers at once.
  const { userPoolSession } = await import('./user-pool.ts');
  const session = userPoolSession(config.userPool, configDirectory());
  const client = createClient({
    ...config,
    auth: userPoolAuth(async ({ forceRefresh }) => {
      const token = await session.idToken(forceRefresh);
      if (!token) throw new CliError('NotSignedIn', 'Not signed in: run `image-labels login` first');
      return token;
    }),
  });
  return { config, session, client };
}

const program = new Command()
  .name('image-labels')
  .description('Label images through the image-labels GraphQL API.')
  .option('--config <file>', 'the API\'s client configuration', 'amplify_outputs.json')
  .showHelpAfterError()
  // Usage errors exit 2 (below), as other commands' do; subcommands inherit this.
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });

const configOf = (command: Command): string => String(command.optsWithGlobals().config);

program.command('login')
  .description('sign in with the user pool (SRP) and keep the tokens; --signup creates the user first')
  .option('--email <email>', 'asked when left out')
  .option('--password <password>', 'asked (hidden) when left out')
  .option('--signup', 'create the user first')
  .option('--code <code>', 'the confirmation code a deployed user pool emailed (asked when needed)')
  .action(async (options: { email?: string; password?: string; signup?: boolean; code?: string }, command: Command) => {
    const { session } = await connect(configOf(command));
    const { ask, askSecret } = await import('./prompt.ts');
    const email = options.email ?? (await ask('Email'));
    const password = options.password ?? (await askSecret('Password'));
    const user = await session.login({
      email,
      password,
      signUp: options.signup === true,
      askCode: async (destination) => options.code ?? ask(`Confirmation code${destination ? ` (sent to ${destination})` : ''}`),
    });
    output.write(`Signed in as ${user.email}${options.signup ? ' (new user)' : ''}.\n`);
    output.note(`Tokens kept in ${user.tokenFile}; they are refreshed as they expire.\n`);
  });

program.command('logout')
  .description('sign out and forget the tokens')
  .action(async (_options: unknown, command: Command) => {
    const { session } = await connect(configOf(command));
    await session.logout();
    output.write('Signed out.\n');
  });

program.command('label')
  .description('label images (files, or the .jpg/.jpeg/.png files under folders); exit 0 when every one is LABELLED')
  .argument('<paths...>', 'files or folders')
  .option('--json', 'print the blobs as a JSON array (each with its file)')
  .addOption(new Option('--min-confidence <n>', 'labels below this confidence are left out (0-100; default 55)').argParser(confidence))
  .addOption(new Option('--max-labels <n>', 'at most this many labels (1-1000; default 20)').argParser(integer(1, 1000)))
  .addOption(new Option('--concurrency <n>', 'files labelled at once').argParser(integer(1, 32)).default(4))
  .option('--callback-url <url>', 'also POST each result there (signed webhook)')
  .action(async (paths: string[], options: { json?: boolean; minConfidence?: number; maxLabels?: number; concurrency: number; callbackUrl?: string }, command: Command) => {
    const { expandInputs } = await import('./files.ts');
    const files = await expandInputs(paths);
    const { client } = await connect(configOf(command));
    const { labelFiles, succeeded, summary } = await import('./label.ts');
    const started = Date.now();
    const results = await labelFiles(client, files, {
      minConfidence: options.minConfidence,
      maxLabels: options.maxLabels,
      callbackUrl: options.callbackUrl,
      concurrency: options.concurrency,
      signal: interrupt.signal,
    });
    if (options.json) {
      output.write(`${JSON.stringify(results.flatMap(({ file, blob }) => (blob ? [{ file, ...blob }] : [])), null, 2)}\n`);
    }
    output.note(`${summary(results, Date.now() - started)}\n`);
    process.exitCode = interrupt.signal.aborted ? 130 : succeeded(results) ? 0 : 1;
  });

program.command('status')
  .description("a blob's status, labels and error")
  .argument('<id>')
  .option('--json', 'print the blob as JSON')
  .action(async (id: string, options: { json?: boolean }, command: Command) => {
    const { client } = await connect(configOf(command));
    const { status } = await import('./commands.ts');
    process.exitCode = await status(client, id, { json: options.json === true }, output);
  });

program.command('list')
  .description('your blobs, newest first')
  .addOption(new Option('--limit <n>', 'blobs per page (1-100)').argParser(integer(1, 100)).default(20))
  .option('--all', 'every page')
  .option('--json', 'print the blobs as a JSON array')
  .action(async (options: { limit: number; all?: boolean; json?: boolean }, command: Command) => {
    const { client } = await connect(configOf(command));
    const { list } = await import('./commands.ts');
    process.exitCode = await list(client, { limit: options.limit, all: options.all === true, json: options.json === true }, output);
  });

program.command('delete')
  .description('delete a blob: its image and its record')
  .argument('<id>')
  .option('--json', 'print the deleted blob as JSON')
  .action(async (id: string, options: { json?: boolean }, command: Command) => {
    const { client } = await connect(configOf(command));
    const { remove } = await import('./commands.ts');
    process.exitCode = await remove(client, id, { json: options.json === true }, output);
  });

program.command('listen')
  .description("wait for a blob's result over the labelsReady subscription")
  .argument('<id>')
  .option('--json', 'print the blob as JSON')
  .action(async (id: string, options: { json?: boolean }, command: Command) => {
    const { client } = await connect(configOf(command));
    const { listen } = await import('./commands.ts');
    process.exitCode = await listen(client, id, { json: options.json === true, signal: interrupt.signal }, output);
  });

/** One line for people: the stable code first, then what it means and what to do. */
function describeFailure(error: unknown): string {
  if (isQuotaExceeded(error)) return `QuotaExceeded: ${error.message} (limit ${error.info.limit} per day, resets at ${error.info.resetsAt})`;
  if (isTooManyRequests(error)) return `TooManyRequests: ${error.message} (try again in ${error.info.retryAfterSeconds} s)`;
  if (error instanceof InputError) return error.message;
  if (error instanceof Error && error.name === 'AbortError') return 'Cancelled';
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return `${error.code}: ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander has printed the usage or the help already.
    process.exit(error.exitCode === 0 ? 0 : 2);
  }
  process.stderr.write(`image-labels: ${describeFailure(error)}\n`);
  process.exitCode = interrupt.signal.aborted ? 130 : 1;
}
