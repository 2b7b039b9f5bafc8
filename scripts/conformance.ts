// npm run conformance [-- --aws] [-- --only <text>]
// Runs the APPSYNC_JS conformance cases (test/conformance/cases) through the local runtime and reports how many
// answer as AWS recorded or documented. With --aws, and AWS credentials in the environment, the same cases also
// go through AppSync's EvaluateCode API: the report then shows, per case, where AppSync's answer differs from
// the expectation or from the local answer, and AppSync's answer in the form a case records it.
import { AppSyncClient, EvaluateCodeCommand } from '@aws-sdk/client-appsync';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { ConformanceCase, Expectation } from '../test/conformance/case.ts';
import { conformanceCases } from '../test/conformance/cases/index.ts';
import { compareAnswer, type EvaluateAnswer } from '../test/conformance/check.ts';
import { runLocally } from '../test/conformance/run-local.ts';

interface Options {
  aws: boolean;
  only: string | undefined;
}

function parseOptions(argv: readonly string[]): Options {
  const only = argv.indexOf('--only');
  return { aws: argv.includes('--aws'), only: only >= 0 ? argv[only + 1] : undefined };
}

/** Credentials from the environment, the shared config files, SSO or a web identity. The EC2 instance metadata
 * service is not asked unless AWS_EC2_METADATA_DISABLED=false says so: on a laptop it only times out. */
async function hasCredentials(): Promise<boolean> {
  process.env.AWS_EC2_METADATA_DISABLED ??= 'true';
  try {
    await defaultProvider()();
    return true;
  } catch {
    return false;
  }
}

/** AppSync's answer for one case, as EvaluateCode gives it. */
async function evaluateOnAppSync(client: AppSyncClient, testCase: ConformanceCase): Promise<EvaluateAnswer> {
  const out = await client.send(
    new EvaluateCodeCommand({
      runtime: { name: 'APPSYNC_JS', runtimeVersion: '1.0.0' },
      code: testCase.code,
      context: JSON.stringify(testCase.context ?? {}),
      function: testCase.function ?? 'request',
    }),
  );
  return out.error ? { error: { message: out.error.message ?? '' } } : { evaluationResult: out.evaluationResult ?? 'null' };
}

/** AppSync's answer as the expectation a case would record. */
function asExpectation(answer: EvaluateAnswer): Expectation {
  if (answer.error) return { error: answer.error.message };
  return { result: JSON.parse(answer.evaluationResult ?? 'null') as unknown };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const cases = conformanceCases.filter((c) => !options.only || c.name.includes(options.only));
  let client: AppSyncClient | undefined;
  if (options.aws) {
    if (await hasCredentials()) {
      client = new AppSyncClient({ region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1' });
    } else {
      console.log('conformance: no AWS credentials found, so AppSync is not asked: running the local half only.');
    }
  }

  let localMatches = 0;
  let awsAsked = 0;
  let awsMatches = 0;
  for (const testCase of cases) {
    const local = runLocally(testCase);
    if (local.match) localMatches += 1;
    else console.log(`local  ✗ ${testCase.name}\n         ${local.diff}\n         source: ${testCase.source}`);
    if (!client) continue;
    // EvaluateCode runs on AppSync's clock: a case with a fixed clock is compared there only by its pattern.
    if (testCase.now !== undefined && !('resultMatches' in testCase.expect)) {
      console.log(`aws    - ${testCase.name} (depends on the clock: not compared)`);
      continue;
    }
    awsAsked += 1;
    const answer = await evaluateOnAppSync(client, testCase);
    const remote = compareAnswer(testCase, answer);
    if (remote.match) awsMatches += 1;
    else {
      console.log(`aws    ✗ ${testCase.name}\n         ${remote.diff}\n         AppSync's answer as a case records it: ${JSON.stringify(asExpectation(answer))}`);
    }
  }
  const percent = (n: number, of: number) => (of === 0 ? '-' : `${((100 * n) / of).toFixed(1)} %`);
  console.log(`conformance: local runtime ${localMatches}/${cases.length} cases as AWS answers (${percent(localMatches, cases.length)})`);
  if (client) console.log(`conformance: AppSync EvaluateCode ${awsMatches}/${awsAsked} cases as expected (${percent(awsMatches, awsAsked)})`);
  if (localMatches < cases.length || (client && awsMatches < awsAsked)) process.exitCode = 1;
}

await main();
