// `npm start`: builds what is out of date, runs the local cloud until Ctrl-C or SIGTERM, then shuts it down cleanly
// (data kept). `--help` answers before anything is built or loaded.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LocalCloud } from './cloud.ts';
import { parseStartCommand, USAGE } from './config.ts';

const BUILD_SCRIPT = fileURLToPath(new URL('../scripts/build.ts', import.meta.url));

/** `npm run build`: each step only when its inputs changed (a second start builds nothing). */
function buildIfNeeded(): void {
  const build = spawnSync(process.execPath, ['--import', 'tsx', BUILD_SCRIPT], { stdio: 'inherit' });
  if (build.status !== 0) {
    process.stderr.write('npm start: the build failed (see above)\n');
    process.exit(build.status ?? 1);
  }
}

function banner(cloud: LocalCloud, startedInMs: number, colour: boolean): string {
  const bold = (text: string) => (colour ? `\u001b[1m${text}\u001b[0m` : text);
  const dim = (text: string) => (colour ? `\u001b[2m${text}\u001b[0m` : text);
  const rows: Array<[string, string]> = [
    ['GraphQL', cloud.graphqlUrl],
    ['Realtime', cloud.realtimeUrl],
    ['GraphQL (TLS)', cloud.httpsGraphqlUrl],
    ['Realtime (TLS)', cloud.wssRealtimeUrl],
    ['Demo page', cloud.demoPageUrl],
    ['GraphiQL', cloud.graphiqlUrl],
    ['User pool', `${cloud.userPool.endpoint}  pool ${cloud.userPool.id}  client ${cloud.userPool.clientId}`],
    ['Client config', cloud.amplifyOutputsPath ?? '(not written)'],
    ['Certificate', cloud.certificatePath],
    ['Webhook secret', cloud.webhookSecret],
    ['S3', `${cloud.s3Endpoint}  bucket ${cloud.bucket}`],
    ['DynamoDB', `${cloud.dynamodbEndpoint}  table ${cloud.table}`],
    ['Rekognition', cloud.rekognitionEndpoint],
    ['SQS', `${cloud.sqsEndpoint}  uploads at most ${cloud.maxConcurrency} at a time`],
    ['Credentials', `${cloud.credentials.accessKeyId} / ${cloud.credentials.secretAccessKey}  (region ${cloud.region})`],
    ['Data', cloud.dataDir],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  return [
    '',
    bold(`  Local cloud ready in ${(startedInMs / 1000).toFixed(1)} s`),
    ...rows.map(([name, value]) => `  ${dim(name.padEnd(width))}  ${value}`),
    '',
    bold('  Sign in'),
    `  Open the demo page and sign up (local sign-ups are confirmed at once), or get a token for curl:`,
    `    export API=${cloud.graphqlUrl}`,
    `    export TOKEN=$(npm run -s token -- --email you@example.com --password 'Passw0rd!' --signup)`,
    `    curl -s $API -H "authorization: $TOKEN" -H 'content-type: application/json' -d '{"query":"{ blobs { items { id status } } }"}'`,
    `  CLI (reads ./amplify_outputs.json):`,
    `    npx image-labels login --signup --email you@example.com --password 'Passw0rd!'`,
    `    npx image-labels label photo.jpg`,
    `  Amplify: Amplify.configure(outputs) with Auth.Cognito.userPoolEndpoint = outputs.custom.userPoolEndpoint (README).`,
    '',
    dim('  Ctrl-C stops it; the data stays in the data directory.'),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  let command;
  try {
    command = parseStartCommand(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (command.kind === 'help') {
    process.stdout.write(command.text);
    return;
  }
  const { settings } = command;
  buildIfNeeded();
  // Loaded after the build: the cloud reads the resolver bundles and the generated types.
  const [{ startLocalCloud }, { createLogStream }] = await Promise.all([import('./cloud.ts'), import('./log.ts')]);
  const logs = createLogStream({ format: settings.logFormat, level: settings.logLevel });
  // The handlers' JSON logs (Powertools, on stdout) join the same stream, with their component.
  const releaseConsole = logs.captureConsole();
  const log = logs.logger('local');
  // Process warnings (the AWS SDK's Node version notice, deprecations) as one line in the same stream.
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    logs.logger('node').warn(warning.message.replace(/\s*\n+\s*/g, ' ').trim(), { warning: warning.name });
  });

  let cloud: LocalCloud;
  try {
    cloud = await startLocalCloud({
      dataDir: settings.dataDir,
      host: settings.host,
      ports: settings.ports,
      labellerWorkers: settings.labellerWorkers,
      ttlSweepSeconds: settings.ttlSweepSeconds,
      uploadQuotaPerDay: settings.uploadQuotaPerDay,
      amplifyOutputsPath: settings.amplifyOutputsPath,
      rekognitionTps: settings.rekognitionTps,
      processingLeaseSeconds: settings.processingLeaseSeconds,
      logStream: logs,
    });
  } catch (error) {
    log.error('the local cloud did not start', { error });
    releaseConsole();
    process.exit(1);
  }

  const startedInMs = Date.now() - startedAt;
  // The banner is for people, with or without a terminal (colours only on one).
  process.stdout.write(banner(cloud, startedInMs, logs.format === 'pretty' && process.stdout.isTTY === true) + '\n');
  if (logs.format !== 'pretty') {
    // One JSON line that tools can read, with everything the banner shows.
    log.info('ready', {
      startedInMs,
      graphqlUrl: cloud.graphqlUrl,
      realtimeUrl: cloud.realtimeUrl,
      httpsGraphqlUrl: cloud.httpsGraphqlUrl,
      wssRealtimeUrl: cloud.wssRealtimeUrl,
      region: cloud.region,
      userPoolId: cloud.userPool.id,
      userPoolClientId: cloud.userPool.clientId,
      userPoolEndpoint: cloud.userPool.endpoint,
      amplifyOutputsPath: cloud.amplifyOutputsPath,
      demoPageUrl: cloud.demoPageUrl,
      graphiqlUrl: cloud.graphiqlUrl,
      certificatePath: cloud.certificatePath,
      webhookSecret: cloud.webhookSecret,
      s3Endpoint: cloud.s3Endpoint,
      dynamodbEndpoint: cloud.dynamodbEndpoint,
      rekognitionEndpoint: cloud.rekognitionEndpoint,
      sqsEndpoint: cloud.sqsEndpoint,
      uploadQueueUrl: cloud.uploadQueueUrl,
      deadLetterQueueUrl: cloud.deadLetterQueueUrl,
      maxConcurrency: cloud.maxConcurrency,
      dataDir: cloud.dataDir,
    });
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn('second signal: exiting without a clean shutdown', { signal });
      process.exit(130);
    }
    stopping = true;
    log.info('shutting down', { signal });
    cloud.close().then(
      () => {
        log.info('stopped; data kept', { dataDir: cloud.dataDir });
        releaseConsole();
        process.exit(0);
      },
      (error: unknown) => {
        log.error('shutdown failed', { error });
        releaseConsole();
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('SIGHUP', stop);
  // `npm start` runs `sh -c "node …"` under npm: a SIGTERM to npm may end npm or the shell and not this process,
  // which is then handed to init. Noticing the new parent stops us as the signal would have.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent && !stopping) {
      stop('SIGTERM');
    }
  }, 500).unref();
}

await main();
