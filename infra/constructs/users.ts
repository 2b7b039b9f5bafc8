// The user pool: people sign in with their email; a web or mobile app uses the client (no secret: it runs on the
// user's device) with SRP, password or refresh-token sign-in; members of `admins` may read every blob.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ADMINS_GROUP } from '../../domain/blob.ts';
import { acknowledge } from './nag.ts';

export interface UsersProps {
  stage: string;
  removalPolicy: RemovalPolicy;
}

export class Users extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props: UsersProps) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'Pool', {
      userPoolName: `image-labels-${props.stage}`,
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: { minLength: 8, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      deletionProtection: props.removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy: props.removalPolicy,
    });
    acknowledge(this.userPool, 'AwsSolutions-COG2',
      'A second factor is not required to label images: sign-in is email and password (SRP), abuse is bounded by the ' +
        'per-user upload quota and the WAF rate rule. Require it (mfa: REQUIRED) before storing anything sensitive');
    acknowledge(this.userPool, 'AwsSolutions-COG8',
      'Threat protection (the Plus feature plan) is billed per monthly active user; the Essentials plan with the quota and ' +
        'the WAF rate rule fits this API. Switch featurePlan to PLUS when compromised-credential checks are wanted');
    this.client = this.userPool.addClient('WebClient', {
      userPoolClientName: 'web',
      generateSecret: false,
      authFlows: { userSrp: true, userPassword: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });
    new cognito.CfnUserPoolGroup(this, 'Admins', {
      userPoolId: this.userPool.userPoolId,
      groupName: ADMINS_GROUP,
      description: 'May read and list every blob',
    });
  }
}
