import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { repoRoot, schemaPath } from '../../infra/paths.ts';
import { dataSources, resolvers } from '../../resolvers/manifest.ts';
import { synthesize } from './synthesize.ts';

const { app, stack, template } = synthesize();
const apiId = stack.getLogicalId(stack.api.node.defaultChild as CfnElement);

interface CfnResource {
  Type: string;
  Properties: Record<string, unknown>;
}

/** Logical id from `{ "Fn::GetAtt": [id, attribute] }`. */
function getAttTarget(value: unknown): string {
  const getAtt = (value as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
  if (!getAtt) {
    throw new Error(`not a Fn::GetAtt: ${JSON.stringify(value)}`);
  }
  return getAtt[0];
}

function resource(logicalId: string): CfnResource {
  return template.toJSON().Resources[logicalId] as CfnResource;
}

function resolverOf(typeName: string, fieldName: string): CfnResource {
  const found = Object.values(
    template.findResources('AWS::AppSync::Resolver', { Properties: { TypeName: typeName, FieldName: fieldName } }),
  ) as CfnResource[];
  expect(found).toHaveLength(1);
  return found[0];
}

/** The staged code of a resolver or function, read back from the cloud assembly. */
function deployedCode(properties: Record<string, unknown>): string {
  const location = JSON.stringify(properties.CodeS3Location);
  const hash = /\/([0-9a-f]{64})\.js/.exec(location)?.[1];
  if (!hash) {
    throw new Error(`no asset hash in ${location}`);
  }
  return readFileSync(path.join(app.outdir, `asset.${hash}.js`), 'utf8');
}

function bundle(code: string): string {
  return readFileSync(path.join(repoRoot, 'dist', 'resolvers', `${code}.js`), 'utf8');
}

const unitResolvers = resolvers.flatMap((spec) => (spec.kind === 'UNIT' ? [spec] : []));
const pipelineResolvers = resolvers.flatMap((spec) => (spec.kind === 'PIPELINE' ? [spec] : []));

describe('the GraphQL API', () => {
  it('authorizes users of the user pool by default and IAM as an additional mode, with no API key', () => {
    const pool = stack.getLogicalId(stack.users.userPool.node.defaultChild as CfnElement);

    template.hasResourceProperties('AWS::AppSync::GraphQLApi', {
      AuthenticationType: 'AMAZON_COGNITO_USER_POOLS',
      UserPoolConfig: { UserPoolId: { Ref: pool }, DefaultAction: 'ALLOW', AwsRegion: 'eu-west-1' },
      AdditionalAuthenticationProviders: [{ AuthenticationType: 'AWS_IAM' }],
    });
    template.resourceCountIs('AWS::AppSync::ApiKey', 0);
  });

  it('bounds every request: query depth and resolver count', () => {
    template.hasResourceProperties('AWS::AppSync::GraphQLApi', { QueryDepthLimit: 10, ResolverCountLimit: 100, IntrospectionConfig: 'DISABLED' });
  });

  it('tells resolvers the table, the upload quota, and that callbacks must be https to public addresses', () => {
    const table = stack.getLogicalId(stack.table.node.defaultChild as CfnElement);

    template.hasResourceProperties('AWS::AppSync::GraphQLApi', {
      EnvironmentVariables: { CALLBACK_ALLOW_HTTP_LOOPBACK: 'false', UPLOAD_QUOTA_PER_DAY: '500', BLOBS_TABLE_NAME: { Ref: table } },
    });
  });

  it('names the roles of the functions granted publishBlobResult, and only those, as who may publish', () => {
    const api = Object.values(template.findResources('AWS::AppSync::GraphQLApi'))[0] as { Properties: { EnvironmentVariables: Record<string, unknown> } };
    const roleOf = (name: string) => stack.getLogicalId(stack.functions.get(name).role!.node.defaultChild as CfnElement);

    const publishers = JSON.stringify(api.Properties.EnvironmentVariables.PUBLISHER_PRINCIPALS);

    expect(publishers).toContain(':assumed-role/');
    const named = ['process-upload', 'announce-deletion', 'deliver-callback', 'presign-upload', 'presign-image', 'delete-object']
      .filter((name) => publishers.includes(`"${roleOf(name)}"`));
    expect(named.sort()).toEqual(['announce-deletion', 'process-upload']);
  });

  it('has a firewall unless the stage is disposable, and a disposable one answers introspection', () => {
    const { template: disposable } = synthesize({ context: { disposable: 'true' } });

    template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    disposable.resourceCountIs('AWS::WAFv2::WebACL', 0);
    disposable.hasResourceProperties('AWS::AppSync::GraphQLApi', { IntrospectionConfig: 'ENABLED' });
  });

  it('deploys schema.graphql as it is', () => {
    template.hasResourceProperties('AWS::AppSync::GraphQLSchema', {
      ApiId: { 'Fn::GetAtt': [apiId, 'ApiId'] },
      Definition: readFileSync(schemaPath, 'utf8'),
    });
  });


  it('logs field errors to its own log group, kept 30 days, through a role that may write only there', () => {
    const api = resource(apiId);
    const logConfig = api.Properties.LogConfig as Record<string, unknown>;
    const roleId = getAttTarget(logConfig.CloudWatchLogsRoleArn);

    expect(logConfig).toMatchObject({ FieldLogLevel: 'ERROR', ExcludeVerboseContent: true });
    expect(api.Properties.XrayEnabled).toBe(false);
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: { 'Fn::Join': ['', ['/aws/appsync/apis/', { 'Fn::GetAtt': [apiId, 'ApiId'] }]] },
      RetentionInDays: 30,
    });
    expect(resource(roleId).Properties.ManagedPolicyArns).toBeUndefined();
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: roleId }],
      PolicyDocument: {
        Statement: [
          { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: Match.anyValue() },
        ],
      },
    });
  });

  it.each(Object.entries(dataSources))('has the data source %s of the manifest', (name, spec) => {
    const type = { DYNAMODB: 'AMAZON_DYNAMODB', LAMBDA: 'AWS_LAMBDA', NONE: 'NONE' }[spec.kind];

    template.hasResourceProperties('AWS::AppSync::DataSource', { Name: name, Type: type });
  });

  it('points Lambda data sources at the function of their handler file', () => {
    for (const [name, spec] of Object.entries(dataSources)) {
      if (spec.kind !== 'LAMBDA') continue;
      const fn = stack.getLogicalId(stack.functions.get(spec.handler).node.defaultChild as CfnElement);

      template.hasResourceProperties('AWS::AppSync::DataSource', {
        Name: name,
        LambdaConfig: { LambdaFunctionArn: { 'Fn::GetAtt': [fn, 'Arn'] } },
      });
    }
  });

  it('points the DynamoDB data source at the blobs table', () => {
    const table = stack.getLogicalId(stack.table.node.defaultChild as CfnElement);

    template.hasResourceProperties('AWS::AppSync::DataSource', {
      Type: 'AMAZON_DYNAMODB',
      DynamoDBConfig: { TableName: { Ref: table } },
    });
  });

  it('has exactly the resolvers and pipeline functions of the manifest', () => {
    const steps = pipelineResolvers.flatMap((spec) => spec.steps);

    template.resourceCountIs('AWS::AppSync::Resolver', resolvers.length);
    template.resourceCountIs('AWS::AppSync::FunctionConfiguration', steps.length);
  });

  it.each(resolvers.map((spec) => [`${spec.typeName}.${spec.fieldName}`, spec] as const))(
    'resolves %s with its bundle on APPSYNC_JS 1.0.0',
    (_field, spec) => {
      const resolver = resolverOf(spec.typeName, spec.fieldName);

      expect(resolver.Properties).toMatchObject({
        Kind: spec.kind,
        Runtime: { Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' },
      });
      expect(deployedCode(resolver.Properties)).toBe(bundle(spec.code));
    },
  );

  it.each(unitResolvers.map((spec) => [`${spec.typeName}.${spec.fieldName}`, spec] as const))(
    'resolves the unit field %s through its data source',
    (_field, spec) => {
      const resolver = resolverOf(spec.typeName, spec.fieldName);

      expect(resolver.Properties.DataSourceName).toBe(spec.dataSource);
    },
  );

  it.each(pipelineResolvers.map((spec) => [`${spec.typeName}.${spec.fieldName}`, spec] as const))(
    'runs the steps of the pipeline %s in order, each with its bundle and data source',
    (_field, spec) => {
      const resolver = resolverOf(spec.typeName, spec.fieldName);
      const functionIds = (resolver.Properties.PipelineConfig as { Functions: unknown[] }).Functions.map(getAttTarget);
      const functions = functionIds.map(resource);

      expect(functions.map((fn) => fn.Properties.Name)).toEqual(spec.steps.map((step) => step.name));
      spec.steps.forEach((step, index) => {
        const fn = functions[index].Properties;
        expect(fn.Runtime).toEqual({ Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' });
        expect(fn.DataSourceName).toBe(step.dataSource);
        expect(deployedCode(fn)).toBe(bundle(step.code));
      });
    },
  );

  it('outputs what a client needs: the GraphQL and realtime URLs, the region, the user pool and its client', () => {
    const pool = stack.getLogicalId(stack.users.userPool.node.defaultChild as CfnElement);
    const client = stack.getLogicalId(stack.users.client.node.defaultChild as CfnElement);

    template.hasOutput('GraphqlUrl', { Value: { 'Fn::GetAtt': [apiId, 'GraphQLUrl'] } });
    template.hasOutput('RealtimeUrl', { Value: { 'Fn::GetAtt': [apiId, 'RealtimeUrl'] } });
    template.hasOutput('Region', { Value: { Ref: 'AWS::Region' } });
    template.hasOutput('UserPoolId', { Value: { Ref: pool } });
    template.hasOutput('UserPoolClientId', { Value: { Ref: client } });
  });
});

describe('the user pool', () => {
  it('signs people in with their email, which it verifies, under a strong password policy', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 8, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true }) },
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
    });
  });

  it('has an app client without secret for SRP, password and refresh sign-in, revocable tokens, no user enumeration', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: Match.arrayEquals(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
    });
  });

  it('has the group admins, whose members read every blob', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admins' });
  });
});
