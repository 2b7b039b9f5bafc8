// The Standard Webhooks signing secret: from WEBHOOK_SECRET directly, or read once from Secrets Manager
// (WEBHOOK_SECRET_ARN) and kept for the life of the container. The stack's generated secret holds the base64 key
// without the `whsec_` prefix (Secrets Manager's generator cannot add one; see docs/deploy.md): the prefix is
// added when missing, so a secret stored as `whsec_<base64>` works too.
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { isWebhookSecret, type WebhookSecretSource } from '../commons/config.ts';
import { DomainError, fromAwsError } from '../commons/errors.ts';

export type SecretProvider = () => Promise<string>;

const WHSEC_PREFIX = 'whsec_';

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
  const stored = value?.trim() ?? '';
  const secret = stored.startsWith(WHSEC_PREFIX) ? stored : `${WHSEC_PREFIX}${stored}`;
  if (!isWebhookSecret(secret)) {
    throw new DomainError('InternalError', 'The webhook secret in Secrets Manager is not base64 (optionally prefixed whsec_)');
  }
  return secret;
}
