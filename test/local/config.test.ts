import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PORTS, loadOrCreateSecrets, parseStartCommand } from '../../local/config.ts';

describe('local cloud configuration', () => {
  it('starts with the documented defaults', () => {
    // Act
    const command = parseStartCommand([], {});

    // Assert
    expect(command).toEqual({
      kind: 'start',
      settings: {
        dataDir: resolve('.data'),
        host: '127.0.0.1',
        ports: { graphql: 20002, graphqlHttps: 20003, cognito: 4571, s3: 4569, dynamodb: 4567, rekognition: 4570, sqs: 4572 },
        uploadQuotaPerDay: 500,
        amplifyOutputsPath: resolve('amplify_outputs.json'),
        labellerWorkers: undefined,
        ttlSweepSeconds: 30,
        rekognitionTps: undefined,
        processingLeaseSeconds: 120,
        logFormat: undefined,
        logLevel: 'info',
      },
    });
  });

  it('lets environment variables override the defaults and flags override both', () => {
    // Act
    const command = parseStartCommand(['--port', '3000', '--data-dir', '/tmp/cloud', '--upload-quota', '7'], {
      PORT: '4000',
      S3_PORT: '5000',
      COGNITO_PORT: '5001',
      DATA_DIR: '/tmp/other',
      LOG_FORMAT: 'json',
      UPLOAD_QUOTA_PER_DAY: '9',
      AMPLIFY_OUTPUTS: '/tmp/outputs.json',
    });

    // Assert
    expect(command.kind === 'start' && command.settings).toMatchObject({
      dataDir: '/tmp/cloud',
      ports: { ...DEFAULT_PORTS, graphql: 3000, s3: 5000, cognito: 5001 },
      uploadQuotaPerDay: 7,
      amplifyOutputsPath: '/tmp/outputs.json',
      logFormat: 'json',
    });
  });

  it('holds Rekognition to a quota and shortens the processing lease when asked', () => {
    const command = parseStartCommand(['--rekognition-tps', '5'], { PROCESSING_LEASE_SECONDS: '75' });

    expect(command.kind === 'start' && command.settings).toMatchObject({ rekognitionTps: 5, processingLeaseSeconds: 75 });
  });

  it.each([
    [['--rekognition-tps', '0'], /Rekognition TPS must be an integer from 1/],
    [['--processing-lease-seconds', '59'], /processing lease seconds must be an integer from 60/],
    [['--port', 'http'], /--port must be an integer/],
    [['--s3-port', '70000'], /--s3-port must be an integer from 0 to 65535/],
    [['--log-format', 'xml'], /log format must be pretty or json/],
    [['--upload-quota', '0'], /upload quota must be an integer from 1/],
    [['--unknown'], /Unknown option/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseStartCommand(argv, {})).toThrow(message);
  });

  it('answers --help with the usage', () => {
    expect(parseStartCommand(['--help'], {})).toMatchObject({ kind: 'help', text: expect.stringContaining('--data-dir') });
  });

  it('generates the user pool ids and the webhook secret once and keeps them in the data directory', async () => {
    // Arrange
    const dataDir = await mkdtemp(join(tmpdir(), 'local-config-'));

    // Act
    const first = await loadOrCreateSecrets(dataDir);
    const second = await loadOrCreateSecrets(dataDir);

    // Assert
    const { created: _first, ...kept } = first;
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(first.userPoolId).toMatch(/^us-east-1_[A-Za-z0-9]{9}$/);
    expect(first.userPoolClientId).toMatch(/^[a-z0-9]{26}$/);
    expect(first.webhookSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(second).toEqual({ ...kept, created: false });
    expect(JSON.parse(await readFile(join(dataDir, 'local-cloud.json'), 'utf8'))).toEqual(kept);
    expect((await stat(join(dataDir, 'local-cloud.json'))).mode & 0o777).toBe(0o600);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps the webhook secret of a data directory from before users, and adds a user pool to it', async () => {
    // Arrange
    const dataDir = await mkdtemp(join(tmpdir(), 'local-config-'));
    const webhookSecret = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
    await writeFile(join(dataDir, 'local-cloud.json'), JSON.stringify({ apiKey: 'da2-abcdefghijklmnopqrstuvwxyz', webhookSecret }));

    // Act
    const secrets = await loadOrCreateSecrets(dataDir);

    // Assert
    expect(secrets).toMatchObject({ webhookSecret, created: false, userPoolId: expect.stringMatching(/^us-east-1_/) });
    expect(await loadOrCreateSecrets(dataDir)).toEqual(secrets);
    await rm(dataDir, { recursive: true, force: true });
  });
});
