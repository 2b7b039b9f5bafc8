// amplify_outputs.json in Amplify Gen 2's outputs format: what a client app needs to sign users in and call the API
// (`Amplify.configure(outputs)`). Written by `npm start` for the local cloud and by scripts/amplify-outputs.ts from a
// deployed stack's outputs. The format has no field for a Cognito endpoint other than AWS's, so the local user pool's
// endpoint goes in `custom.userPoolEndpoint` (Amplify takes it as Auth.Cognito.userPoolEndpoint).
import { ADMINS_GROUP } from '../domain/blob.ts';

export interface ClientSettings {
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  graphqlUrl: string;
  /** The local user pool's endpoint; absent for AWS's own. */
  userPoolEndpoint?: string;
}

export interface AmplifyOutputs {
  version: string;
  auth: {
    aws_region: string;
    user_pool_id: string;
    user_pool_client_id: string;
    username_attributes: string[];
    standard_required_attributes: string[];
    user_verification_types: string[];
    password_policy: {
      min_length: number;
      require_numbers: boolean;
      require_lowercase: boolean;
      require_uppercase: boolean;
      require_symbols: boolean;
    };
    groups: Array<Record<string, { precedence: number }>>;
  };
  data: {
    url: string;
    aws_region: string;
    default_authorization_type: 'AMAZON_COGNITO_USER_POOLS';
    authorization_types: string[];
  };
  custom?: { userPoolEndpoint: string };
}

export const AMPLIFY_OUTPUTS_FILE = 'amplify_outputs.json';

export function amplifyOutputs(settings: ClientSettings): AmplifyOutputs {
  const outputs: AmplifyOutputs = {
    version: '1.4',
    auth: {
      aws_region: settings.region,
      user_pool_id: settings.userPoolId,
      user_pool_client_id: settings.userPoolClientId,
      username_attributes: ['email'],
      standard_required_attributes: ['email'],
      user_verification_types: ['email'],
      // As infra/constructs/users.ts sets the pool's policy.
      password_policy: { min_length: 8, require_numbers: true, require_lowercase: true, require_uppercase: true, require_symbols: true },
      groups: [{ [ADMINS_GROUP]: { precedence: 0 } }],
    },
    data: {
      url: settings.graphqlUrl,
      aws_region: settings.region,
      default_authorization_type: 'AMAZON_COGNITO_USER_POOLS',
      authorization_types: ['AWS_IAM'],
    },
  };
  if (settings.userPoolEndpoint) {
    outputs.custom = { userPoolEndpoint: settings.userPoolEndpoint };
  }
  return outputs;
}

/** The stack's CfnOutputs (`cdk deploy --outputs-file out.json` writes `{ "<stack name>": { ... } }`). */
export interface StackOutputs {
  GraphqlUrl?: string;
  Region?: string;
  UserPoolId?: string;
  UserPoolClientId?: string;
}

/** Reads the client settings from `cdk deploy --outputs-file` JSON; `stackName` picks one when it holds several. */
export function clientSettingsFromStackOutputs(file: Record<string, StackOutputs>, stackName?: string): ClientSettings {
  const names = Object.keys(file).filter((name) => name.startsWith('ImageLabels-'));
  const name = stackName ?? (names.length === 1 ? names[0] : undefined);
  if (name === undefined || !file[name]) {
    throw new Error(
      names.length === 0
        ? 'the outputs file holds no ImageLabels-<stage> stack: write it with `npx cdk deploy --outputs-file <file>`'
        : `the outputs file holds several stacks (${names.join(', ')}): name one with --stack`,
    );
  }
  const outputs = file[name];
  const missing = (['GraphqlUrl', 'Region', 'UserPoolId', 'UserPoolClientId'] as const).filter((key) => !outputs[key]);
  if (missing.length > 0) {
    throw new Error(`stack ${name} has no ${missing.join(', ')} output: deploy this version of the stack first`);
  }
  return {
    graphqlUrl: outputs.GraphqlUrl!,
    region: outputs.Region!,
    userPoolId: outputs.UserPoolId!,
    userPoolClientId: outputs.UserPoolClientId!,
  };
}
