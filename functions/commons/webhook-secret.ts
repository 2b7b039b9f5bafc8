// The Standard Webhooks signing secret: from WEBHOOK_SECRET directly, or read once from Secrets Manager
// (WEBHOOK_SECRET_ARN; the secret string is the `whsec_...` value) and kept for the life of the container.
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { isWebhookSecret, type WebhookSecretSource } from './config.ts';
import { DomainError, fromAwsError } from './errors.ts';

export type SecretProvider = () => Promise<string>;

export function webhookSecretProvider(source: WebhookSecretSource, client: () => SecretsManagerClient): SecretProvider {
  if (source.kind === 'value') {
    return () => Promise.resolve(source.secret);
  }
  let cached: Promise<string> | undefined;
  return () => {
    cached ??= fetchSecret(client(), source.arn).catch((error: unknown) => {
      cached = undefined; // The next delivery tries again.
      throw error;
    });
    return cached;
  };
}

async function fetchSecret(client: SecretsManagerClient, arn: string): Promise<string> {
  let value: string | undefined;
  try {
    ({ SecretString: value } = await client.send(new GetSecretValueCommand({ SecretId: arn })));
  } catch (error) {
    throw fromAwsError('Secrets Manager', error);
  }
  const secret = value?.trim();
  if (secret === undefined || !isWebhookSecret(secret)) {
    throw new DomainError('InternalError', 'The webhook secret in Secrets Manager is not a whsec_<base64> string');
  }
  return secret;
}
