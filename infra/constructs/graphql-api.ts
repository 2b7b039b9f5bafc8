// The AppSync GraphQL API: schema.graphql, Cognito user pool sign-in by default and IAM beside it (trusted back
// ends, and the functions' publishBlobResult), AppSync's request limits, field errors logged with retention.
// No API key: nothing in the API is for callers without an identity (docs/architecture.md says why).
import { RemovalPolicy } from 'aws-cdk-lib';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { schemaPath } from '../paths.ts';
import { acknowledge } from './nag.ts';

export interface GraphqlApiProps {
  name: string;
  userPool: cognito.IUserPool;
  /** The API's environment variables (ctx.env): resolvers/lib/api-environment.ts. */
  environmentVariables: Record<string, string>;
  queryDepthLimit: number;
  resolverCountLimit: number;
  introspection: boolean;
  xray: boolean;
  logRetention: logs.RetentionDays;
  removalPolicy: RemovalPolicy;
}

export class GraphqlApi extends Construct {
  readonly api: appsync.GraphqlApi;
  /** wss://…appsync-realtime-api…/graphql, where clients subscribe to labelsReady. */
  readonly realtimeUrl: string;

  constructor(scope: Construct, id: string, props: GraphqlApiProps) {
    super(scope, id);

    this.api = new appsync.GraphqlApi(this, 'Api', {
      name: props.name,
      definition: appsync.Definition.fromFile(schemaPath),
      authorizationConfig: {
        defaultAuthorization: {
          authorizationType: appsync.AuthorizationType.USER_POOL,
          userPoolConfig: { userPool: props.userPool, defaultAction: appsync.UserPoolDefaultAction.ALLOW },
        },
        additionalAuthorizationModes: [{ authorizationType: appsync.AuthorizationType.IAM }],
      },
      queryDepthLimit: props.queryDepthLimit,
      resolverCountLimit: props.resolverCountLimit,
      introspectionConfig: props.introspection ? appsync.IntrospectionConfig.ENABLED : appsync.IntrospectionConfig.DISABLED,
      xrayEnabled: props.xray,
      environmentVariables: props.environmentVariables,
    });

    const cfnApi = this.api.node.defaultChild as appsync.CfnGraphQLApi;
    this.realtimeUrl = cfnApi.attrRealtimeUrl;
    cfnApi.logConfig = this.createLogging(props);
    acknowledge(
      this.api,
      'AwsSolutions-ASC3',
      'Field errors are logged (fieldLogLevel ERROR) with a role that writes to this API log group only; verbose content ' +
        'stays excluded because it would write request headers (user pool tokens, SigV4 signatures) into the log',
    );
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
