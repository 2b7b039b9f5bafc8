import { describe, expect, it } from 'vitest';
import { ConfigError, environmentFor, loadConfig, SETTINGS, type SettingName } from '../../../functions/commons/config.ts';

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

function problemsOf(action: () => unknown): readonly string[] {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) {
      return error.problems;
    }
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults when only the required variables are set', () => {
    // Arrange
    const env = { TABLE_NAME: 'blobs', BUCKET_NAME: 'uploads' };

    // Act
    const config = loadConfig(env, ['stage', 'tableName', 'bucketName', 'callbackAllowHttpLoopback', 'callbackMaxAttempts',
      'callbackTimeoutMs', 's3ForcePathStyle', 'processingLeaseSeconds', 'logLevel']);

    // Assert
    expect(config).toEqual({
      stage: 'dev',
      tableName: 'blobs',
      bucketName: 'uploads',
      callbackAllowHttpLoopback: false,
      callbackMaxAttempts: 5,
      callbackTimeoutMs: 5000,
      s3ForcePathStyle: false,
      processingLeaseSeconds: 120,
      logLevel: 'INFO',
    });
  });

  it('reads every variable the functions understand', () => {
    const env = {
      STAGE: 'prod',
      TABLE_NAME: 't',
      BUCKET_NAME: 'b',
      APPSYNC_GRAPHQL_URL: 'https://example.appsync-api.eu-west-1.amazonaws.com/graphql',
      AWS_REGION: 'eu-west-1',
      WEBHOOK_SECRET: SECRET,
      CALLBACK_ALLOW_HTTP_LOOPBACK: 'true',
      CALLBACK_MAX_ATTEMPTS: '3',
      CALLBACK_TIMEOUT_MS: '2500',
      S3_FORCE_PATH_STYLE: 'TRUE',
      PROCESSING_LEASE_SECONDS: '60',
      UPLOAD_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/uploads',
      UPLOAD_QUEUE_MAX_RECEIVE_COUNT: '4',
      SDK_MAX_SOCKETS: '200',
      LOG_LEVEL: 'debug',
    };

    const config = loadConfig(env, Object.keys(SETTINGS) as SettingName[]);

    expect(config).toEqual({
      stage: 'prod',
      tableName: 't',
      bucketName: 'b',
      appsyncGraphqlUrl: 'https://example.appsync-api.eu-west-1.amazonaws.com/graphql',
      region: 'eu-west-1',
      webhookSecret: { kind: 'value', secret: SECRET },
      callbackAllowHttpLoopback: true,
      callbackMaxAttempts: 3,
      callbackTimeoutMs: 2500,
      s3ForcePathStyle: true,
      processingLeaseSeconds: 60,
      uploadQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/uploads',
      uploadQueueMaxReceiveCount: 4,
      sdkMaxSockets: 200,
      logLevel: 'DEBUG',
    });
  });

  it('takes the webhook secret from Secrets Manager when given an ARN', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:webhook-AbCdEf';

    const config = loadConfig({ WEBHOOK_SECRET_ARN: arn }, ['webhookSecret']);

    expect(config.webhookSecret).toEqual({ kind: 'secretsManager', arn });
  });

  it('lists every missing required variable in one error', () => {
    const problems = problemsOf(() => loadConfig({}, ['tableName', 'bucketName', 'appsyncGraphqlUrl', 'region', 'webhookSecret']));

    expect(problems).toEqual([
      expect.stringMatching(/^TABLE_NAME is missing/),
      expect.stringMatching(/^BUCKET_NAME is missing/),
      expect.stringMatching(/^APPSYNC_GRAPHQL_URL is missing/),
      expect.stringMatching(/^AWS_REGION is missing/),
      expect.stringMatching(/^WEBHOOK_SECRET or WEBHOOK_SECRET_ARN is missing/),
    ]);
  });

  it.each([
    ['CALLBACK_MAX_ATTEMPTS', 'five', /CALLBACK_MAX_ATTEMPTS must be an integer from 1 to 20, got "five"/],
    ['CALLBACK_MAX_ATTEMPTS', '0', /CALLBACK_MAX_ATTEMPTS must be an integer from 1 to 20/],
    ['CALLBACK_TIMEOUT_MS', '1.5', /CALLBACK_TIMEOUT_MS must be an integer/],
    ['PROCESSING_LEASE_SECONDS', '-1', /PROCESSING_LEASE_SECONDS must be an integer/],
    ['S3_FORCE_PATH_STYLE', 'yes', /S3_FORCE_PATH_STYLE must be "true" or "false", got "yes"/],
    ['CALLBACK_ALLOW_HTTP_LOOPBACK', '1', /CALLBACK_ALLOW_HTTP_LOOPBACK must be "true" or "false"/],
    ['STAGE', 'dev/../x', /STAGE must be letters, digits/],
    ['LOG_LEVEL', 'LOUD', /LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR, CRITICAL, SILENT/],
    ['APPSYNC_GRAPHQL_URL', 'not a url', /APPSYNC_GRAPHQL_URL must be an http\(s\) URL/],
    ['WEBHOOK_SECRET_ARN', 'arn:aws:s3:::bucket', /WEBHOOK_SECRET_ARN must be a Secrets Manager secret ARN/],
  ])('refuses %s=%j with a message that names the variable', (name, value, message) => {
    const setting = (Object.keys(SETTINGS) as SettingName[]).find((key) => SETTINGS[key].variables.includes(name))!;
    const problems = problemsOf(() => loadConfig({ [name]: value }, [setting]));

    expect(problems).toEqual([expect.stringMatching(message)]);
  });

  it('refuses a malformed webhook secret without echoing it', () => {
    const problems = problemsOf(() => loadConfig({ WEBHOOK_SECRET: 'whsec_short!' }, ['webhookSecret']));

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/WEBHOOK_SECRET must be whsec_ followed by base64/);
    expect(problems[0]).not.toContain('short!');
  });

  it('refuses both a secret and a secret ARN', () => {
    const env = { WEBHOOK_SECRET: SECRET, WEBHOOK_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:x' };

    const problems = problemsOf(() => loadConfig(env, ['webhookSecret']));

    expect(problems).toEqual(['WEBHOOK_SECRET and WEBHOOK_SECRET_ARN are both set: set only one']);
  });

  it('reports invalid and missing variables together, in a message meant for a person', () => {
    const action = () => loadConfig({ CALLBACK_MAX_ATTEMPTS: 'many' }, ['callbackMaxAttempts', 'tableName']);

    expect(action).toThrowError(
      /Invalid Lambda configuration \(environment variables\):\n {2}- CALLBACK_MAX_ATTEMPTS must be .*\n {2}- TABLE_NAME is missing/,
    );
  });

  it('treats blank values as absent', () => {
    const config = loadConfig({ TABLE_NAME: 'blobs', STAGE: '  ', CALLBACK_MAX_ATTEMPTS: '' }, ['tableName', 'stage', 'callbackMaxAttempts']);

    expect(config.stage).toBe('dev');
    expect(config.callbackMaxAttempts).toBe(5);
  });

  it('reads only the declared settings, and ignores the variables of the others', () => {
    const config = loadConfig({ BUCKET_NAME: 'uploads', CALLBACK_MAX_ATTEMPTS: 'not even a number' }, ['bucketName']);

    expect(config).toEqual({ bucketName: 'uploads' });
  });
});

describe('environmentFor', () => {
  it('sets the variables of the declared settings that have a value, and no others', () => {
    const environment = environmentFor('f', ['tableName', 'stage', 'callbackMaxAttempts'], {
      tableName: 'blobs',
      stage: 'prod',
      bucketName: 'not declared',
    }, 'the test');

    expect(environment).toEqual({ TABLE_NAME: 'blobs', STAGE: 'prod' });
  });

  it('writes a secret from Secrets Manager as its ARN, and leaves AWS_REGION to the Lambda runtime', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:webhook-AbCdEf';

    const environment = environmentFor('f', ['webhookSecret', 'region'], { webhookSecret: { kind: 'secretsManager', arn }, region: 'eu-west-1' }, 'the test');

    expect(environment).toEqual({ WEBHOOK_SECRET_ARN: arn });
  });

  it('refuses a required setting the deployment has no value for, naming the function and the variable', () => {
    expect(() => environmentFor('process-upload', ['tableName'], {}, 'the stack')).toThrow(
      'process-upload declares the setting tableName (TABLE_NAME), which the stack gives no value',
    );
  });

  it('writes what loadConfig reads back', () => {
    const values = { stage: 'prod', tableName: 't', callbackAllowHttpLoopback: true, callbackTimeoutMs: 2500, logLevel: 'DEBUG' } as const;
    const settings = Object.keys(values) as SettingName[];

    expect(loadConfig(environmentFor('f', settings, values, 'the test'), settings)).toEqual(values);
  });
});

describe('the settings', () => {
  it('are each listed in the README\'s configuration table', async () => {
    const { readFile } = await import('node:fs/promises');
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');

    const variables = Object.values(SETTINGS).flatMap((setting) => setting.variables);

    expect(variables.filter((variable) => !readme.includes(`\`${variable}\``))).toEqual([]);
  });
});
