// The Standard Webhooks signing secret: from WEBHOOK_SECRET directly, or read from Secrets Manager
// (WEBHOOK_SECRET_ARN) through Powertools Parameters, which keeps it for SECRET_MAX_AGE_SECONDS: a rotated secret
// is picked up within that time, without a call per delivery. The stack's generated secret holds the base64 key
// without the `whsec_` prefix (Secrets Manager's generator cannot add one; see docs/deploy.md): the prefix is
// added when missing, so a secret stored as `whsec_<base64>` works too.
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { isWebhookSecret, type WebhookSecretSource } from '../commons/config.ts';
import { DomainError, fromAwsError } from '../commons/errors.ts';

export type SecretProvider = () => Promise<string>;

/** How long a secret read from Secrets Manager is used before it is read again. */
export const SECRET_MAX_AGE_SECONDS = 300;

const WHSEC_PREFIX = 'whsec_';

export function webhookSecretProvider(
  source: WebhookSecretSource,
  client: () => SecretsManagerClient,
  maxAgeSeconds: number = SECRET_MAX_AGE_SECONDS,
): SecretProvider {
  if (source.kind === 'value') {
    return () => Promise.resolve(source.secret);
  }
  let provider: SecretsProvider | undefined;
  return async () => {
    provider ??= new SecretsProvider({ awsSdkV3Client: client() });
    let value: unknown;
    try {
      value = await provider.get(source.arn, { maxAge: maxAgeSeconds });
    } catch (error) {
      // Powertools wraps the SDK's error; its cause says whether trying again may help.
      throw fromAwsError('Secrets Manager', (error as { cause?: unknown }).cause ?? error);
    }
    return webhookSecretOf(value);
  };
}

function webhookSecretOf(value: unknown): string {
  const stored = typeof value === 'string' ? value.trim() : '';
  const secret = stored.startsWith(WHSEC_PREFIX) ? stored : `${WHSEC_PREFIX}${stored}`;
  if (!isWebhookSecret(secret)) {
    throw new DomainError('InternalError', 'The webhook secret in Secrets Manager is not base64 (optionally prefixed whsec_)');
  }
  return secret;
}
