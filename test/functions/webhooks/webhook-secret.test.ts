import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SECRET_MAX_AGE_SECONDS, webhookSecretProvider } from '../../../functions/webhooks/webhook-secret.ts';

const SECRET = `whsec_${Buffer.alloc(32, 2).toString('base64')}`;
const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:webhook-AbCdEf';
const secretsManager = mockClient(SecretsManagerClient);
const client = () => new SecretsManagerClient({ region: 'eu-west-1' });

describe('webhookSecretProvider', () => {
  beforeEach(() => {
    secretsManager.reset();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers the configured secret without calling Secrets Manager', async () => {
    const secret = webhookSecretProvider({ kind: 'value', secret: SECRET }, client);

    await expect(secret()).resolves.toBe(SECRET);
    expect(secretsManager.calls()).toHaveLength(0);
  });

  it('reads the secret from Secrets Manager once and keeps it while it is fresh', async () => {
    secretsManager.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: `${SECRET}\n` });
    const secret = webhookSecretProvider({ kind: 'secretsManager', arn: ARN }, client);

    const [first, second] = [await secret(), await secret()];

    expect([first, second]).toEqual([SECRET, SECRET]);
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('picks up a rotated secret once the kept one is older than its maximum age', async () => {
    // Arrange
    vi.useFakeTimers({ toFake: ['Date'] });
    const rotated = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    secretsManager.on(GetSecretValueCommand).resolvesOnce({ SecretString: SECRET }).resolves({ SecretString: rotated });
    const secret = webhookSecretProvider({ kind: 'secretsManager', arn: ARN }, client);
    const first = await secret();

    // Act
    vi.advanceTimersByTime((SECRET_MAX_AGE_SECONDS - 1) * 1000);
    const stillFresh = await secret();
    vi.advanceTimersByTime(2000);
    const afterRotation = await secret();

    // Assert
    expect([first, stillFresh, afterRotation]).toEqual([SECRET, SECRET, rotated]);
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('tries again after a failed read', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }))
      .resolves({ SecretString: SECRET });
    const secret = webhookSecretProvider({ kind: 'secretsManager', arn: ARN }, client);

    await expect(secret()).rejects.toMatchObject({ code: 'DependencyUnavailable' });
    await expect(secret()).resolves.toBe(SECRET);
  });

  it('adds the whsec_ prefix to a generated secret stored without it', async () => {
    const generated = Buffer.alloc(36, 4).toString('base64');
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: generated });
    const secret = webhookSecretProvider({ kind: 'secretsManager', arn: ARN }, client);

    await expect(secret()).resolves.toBe(`whsec_${generated}`);
  });

  it('refuses a stored value that is not a base64 key', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: 'hunter2!' });
    const secret = webhookSecretProvider({ kind: 'secretsManager', arn: ARN }, client);

    await expect(secret()).rejects.toThrow(/not base64/);
  });
});
