// The key that signs callback webhooks (Standard Webhooks).
//
// Secrets Manager generates the value: 48 characters drawn uniformly from the base64 alphabet
// (A-Z a-z 0-9 + /), i.e. the base64 text of 36 random bytes, stored WITHOUT the `whsec_` prefix
// (the generator cannot add a fixed prefix to a plain string). `new Webhook(secret)` of the
// `standardwebhooks` package accepts it as is, and so does a receiver given `whsec_` + the value.
import { RemovalPolicy } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge } from './nag.ts';

export interface WebhookSecretProps {
  stage: string;
  removalPolicy: RemovalPolicy;
}

/** Every printable ASCII punctuation character except the two that base64 uses. */
const NOT_BASE64 = '!"#$%&\'()*,-.:;<=>?@[\\]^_`{|}~';

export const WEBHOOK_SECRET_LENGTH = 48;

export class WebhookSecret extends Construct {
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: WebhookSecretProps) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: `Standard Webhooks signing key of the image-labels ${props.stage} callbacks (base64, no whsec_ prefix)`,
      generateSecretString: {
        passwordLength: WEBHOOK_SECRET_LENGTH,
        excludeCharacters: NOT_BASE64,
        includeSpace: false,
        // Forcing one character of each kind would bias the bytes; the alphabet is what matters.
        requireEachIncludedType: false,
      },
      removalPolicy: props.removalPolicy,
    });
    acknowledge(
      this.secret,
      'AwsSolutions-SMG4',
      'Receivers verify webhooks with this key: a scheduled rotation would break them. Rotate by hand (docs/deploy.md): ' +
        'the functions read the new value within 5 minutes (Powertools Parameters, maxAge 300 s)',
    );
  }
}
