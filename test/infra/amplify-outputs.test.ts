import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { amplifyOutputs, clientSettingsFromStackOutputs } from '../../infra/amplify-outputs.ts';
import { repoRoot } from '../../infra/paths.ts';

const DEPLOYED = {
  'ImageLabels-dev': {
    GraphqlUrl: 'https://abc.appsync-api.eu-west-1.amazonaws.com/graphql',
    Region: 'eu-west-1',
    UserPoolId: 'eu-west-1_AbCdEf123',
    UserPoolClientId: '1example23456789',
    ApiId: 'abc',
  },
};

describe('amplify_outputs.json', () => {
  it("holds what Amplify Gen 2's format names: auth, data with user pools by default, and no custom endpoint for AWS", () => {
    const outputs = amplifyOutputs(clientSettingsFromStackOutputs(DEPLOYED));

    expect(outputs).toMatchObject({
      version: expect.any(String),
      auth: { aws_region: 'eu-west-1', user_pool_id: 'eu-west-1_AbCdEf123', user_pool_client_id: '1example23456789', username_attributes: ['email'] },
      data: {
        url: DEPLOYED['ImageLabels-dev'].GraphqlUrl,
        aws_region: 'eu-west-1',
        default_authorization_type: 'AMAZON_COGNITO_USER_POOLS',
        authorization_types: ['AWS_IAM'],
      },
    });
    expect(outputs.custom).toBeUndefined();
  });

  it('carries a local user pool endpoint in custom.userPoolEndpoint', () => {
    const outputs = amplifyOutputs({ ...clientSettingsFromStackOutputs(DEPLOYED), userPoolEndpoint: 'http://127.0.0.1:4571' });

    expect(outputs.custom).toEqual({ userPoolEndpoint: 'http://127.0.0.1:4571' });
  });

  it.each([
    [{}, /no ImageLabels-<stage> stack/],
    [{ 'ImageLabels-dev': DEPLOYED['ImageLabels-dev'], 'ImageLabels-prod': DEPLOYED['ImageLabels-dev'] }, /several stacks/],
    [{ 'ImageLabels-dev': { GraphqlUrl: 'https://x/graphql' } }, /no Region, UserPoolId, UserPoolClientId output/],
  ])('refuses an outputs file it cannot use (%j)', (file, message) => {
    expect(() => clientSettingsFromStackOutputs(file)).toThrow(message);
  });

  it('is written by npm run amplify-outputs from the file cdk deploy --outputs-file saved', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'amplify-outputs-'));
    try {
      await writeFile(join(dir, 'cdk-outputs.json'), JSON.stringify(DEPLOYED));
      const out = join(dir, 'amplify_outputs.json');

      await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/amplify-outputs.ts', join(dir, 'cdk-outputs.json'), '--out', out], { cwd: repoRoot });

      expect(JSON.parse(await readFile(out, 'utf8'))).toEqual(amplifyOutputs(clientSettingsFromStackOutputs(DEPLOYED)));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
