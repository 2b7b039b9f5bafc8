import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CREDENTIALS, PASSWORD, REGION, signUp, srpSignIn, startTestPool, tokensOf, USER_POOL_ID, type TestPool,
} from './support/pool.ts';

const exec = promisify(execFile);
const hasAwsCli = spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0;
if (!hasAwsCli) console.warn('aws-cli.test.ts: skipped, the AWS CLI is not installed on this machine');

describe.skipIf(!hasAwsCli)('making an admin with the AWS CLI, as in the cloud', () => {
  let pool: TestPool;

  beforeAll(async () => {
    pool = await startTestPool();
    await signUp(pool.server.endpoint, 'alice@example.com');
  });

  afterAll(() => pool.remove());

  // The CLI runs in another process: asynchronously, so this process goes on serving it.
  function aws(...args: string[]) {
    return exec('aws', ['cognito-idp', ...args, '--endpoint-url', pool.server.endpoint, '--output', 'json'], {
      encoding: 'utf8',
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
        AWS_DEFAULT_REGION: REGION,
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      },
    });
  }

  it('admin-add-user-to-group puts admins into the next tokens', async () => {
    await aws('admin-add-user-to-group', '--user-pool-id', USER_POOL_ID, '--username', 'alice@example.com', '--group-name', 'admins');
    const listed = JSON.parse((await aws('admin-list-groups-for-user', '--user-pool-id', USER_POOL_ID, '--username', 'alice@example.com')).stdout) as {
      Groups: Array<{ GroupName: string }>;
    };
    expect(listed.Groups.map((group) => group.GroupName)).toEqual(['admins']);
    const tokens = tokensOf((await srpSignIn(pool.server.endpoint, 'alice@example.com', PASSWORD)).answer);
    expect(decodeJwt(tokens.AccessToken)['cognito:groups']).toEqual(['admins']);
  });

  it('reports an unknown user as the CLI reports Cognito\'s errors', async () => {
    await expect(aws('admin-add-user-to-group', '--user-pool-id', USER_POOL_ID, '--username', 'nobody@example.com', '--group-name', 'admins'))
      .rejects.toThrow(/UserNotFoundException.*User does not exist\./s);
  });
});
