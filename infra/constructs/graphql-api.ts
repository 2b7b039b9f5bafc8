// The AppSync GraphQL API: schema.graphql, API key by default and IAM (for the processing function's
// publishBlobResult), field errors logged to a log group with retention.
import { Duration, Expiration, RemovalPolicy } from 'aws-cdk-lib';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { schemaPath } from '../paths.ts';

export interface GraphqlApiProps {
  name: string;
  apiKeyExpirationDays: number;
  xray: boolean;
  logRetention: logs.RetentionDays;
  removalPolicy: RemovalPolicy;
}

export class GraphqlApi extends Construct {
  readonly api: appsync.GraphqlApi;
  /** The default API key resource: its id is an output, its value is not. */
  readonly apiKey: appsync.CfnApiKey;
  /** wss://…appsync-realtime-api…/graphql, where clients subscribe to labelsReady. */
  readonly realtimeUrl: string;

  constructor(scope: Construct, id: string, props: GraphqlApiProps) {
    super(scope, id);

    this.api = new appsync.GraphqlApi(this, 'Api', {
      name: props.name,
      definition: appsync.Definition.fromFile(schemaPath),
      authorizationConfig: {
        defaultAuthorization: {
          authorizationType: appsync.AuthorizationType.API_KEY,
          apiKeyConfig: {
            name: 'default',
            description: 'Clients of the image-labels API',
            // Counted from synthesis: every deploy moves the expiry forward.
            expires: Expiration.after(Duration.days(props.apiKeyExpirationDays)),
          },
        },
        additionalAuthorizationModes: [{ authorizationType: appsync.AuthorizationType.IAM }],
      },
      xrayEnabled: props.xray,
      // Read by resolvers as ctx.env: callbacks must be https to public addresses in the cloud
      // (the local cloud sets it to 'true' so that a receiver on the developer's machine works).
      environmentVariables: { CALLBACK_ALLOW_HTTP_LOOPBACK: 'false' },
    });
    const apiKey = this.api.node.children.find(
      (child): child is appsync.CfnApiKey => child instanceof appsync.CfnApiKey,
    );
    if (!apiKey) {
      throw new Error('GraphqlApi made no API key for the API_KEY authorization mode');
    }
    this.apiKey = apiKey;

    const cfnApi = this.api.node.defaultChild as appsync.CfnGraphQLApi;
    this.realtimeUrl = cfnApi.attrRealtimeUrl;
    cfnApi.logConfig = this.createLogging(props);
  }

  /**
   * The L2 `logConfig` would add a LogRetention custom resource (logs:PutRetentionPolicy on every
   * log group) and a role with AWSAppSyncPushToCloudWatchLogs (any log group). Instead: the log
   * group AppSync writes to, created with its retention, and a role that may write to it only.
   */
  private createLogging(props: GraphqlApiProps): appsync.CfnGraphQLApi.LogConfigProperty {
    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/appsync/apis/${this.api.apiId}`,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    const role = new iam.Role(this, 'LogsRole', {
      assumedBy: new iam.ServicePrincipal('appsync.amazonaws.com'),
      description: 'AppSync writes the API log',
    });
    logGroup.grantWrite(role);
    return {
      cloudWatchLogsRoleArn: role.roleArn,
      fieldLogLevel: appsync.FieldLogLevel.ERROR,
      excludeVerboseContent: true,
    };
  }
}
