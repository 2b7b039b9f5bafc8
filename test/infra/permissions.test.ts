import type { CfnElement } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { synthesize } from './synthesize.ts';

const { stack, template } = synthesize();

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

interface PolicyResource {
  Properties: { Roles: { Ref: string }[]; PolicyDocument: { Statement: Statement[] } };
}

interface RoleResource {
  Properties: { Policies?: { PolicyDocument: { Statement: Statement[] } }[] };
}

const policies = Object.entries(template.findResources('AWS::IAM::Policy')) as [string, PolicyResource][];
const roles = Object.values(template.findResources('AWS::IAM::Role')) as RoleResource[];
/** Every statement of the stack: policy resources and policies inline in roles. */
const allStatements: Statement[] = [
  ...policies.flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement),
  ...roles.flatMap((role) => (role.Properties.Policies ?? []).flatMap((policy) => policy.PolicyDocument.Statement)),
];
const logicalId = (element: { node: { defaultChild?: unknown } }): string =>
  stack.getLogicalId(element.node.defaultChild as CfnElement);
const bucket = logicalId(stack.bucket);
const table = logicalId(stack.table);
const secret = logicalId(stack.webhookSecret);

const actionsOf = (statement: Statement): string[] => [statement.Action].flat();

/** Every Allow statement of the policies attached to a function's role, actions sorted. */
function statementsOf(handler: string): Statement[] {
  const fn = stack.functions.get(handler);
  const role = stack.getLogicalId(fn.role?.node.defaultChild as CfnElement);
  return policies
    .filter(([, policy]) => policy.Properties.Roles.some((ref) => ref.Ref === role))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement)
    .map((statement) => ({ ...statement, Action: actionsOf(statement).sort() }));
}

/** The actions a function may perform on resources that mention the given logical id. */
function actionsOn(handler: string, target: string): string[] {
  return statementsOf(handler)
    .filter((statement) => JSON.stringify(statement.Resource).includes(`"${target}"`))
    .flatMap(actionsOf)
    .sort();
}

const tableReadWrite = [
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DeleteItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:UpdateItem',
];
const secretRead = ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'];
const stageObjects = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/dev/*']] };

describe('the permissions', () => {
  it('never allow every action of a service', () => {
    const actions = allStatements.flatMap(actionsOf);

    expect(actions.filter((action) => action === '*' || action.endsWith(':*'))).toEqual([]);
  });

  it('allow resource * only for rekognition:DetectLabels, which has no resource-level permissions', () => {
    const unscoped = allStatements.filter((statement) => [statement.Resource].flat().includes('*'));

    expect(unscoped.map(actionsOf)).toEqual([['rekognition:DetectLabels']]);
  });

  it('give no function role a managed policy', () => {
    for (const fn of stack.functions.all) {
      const role = template.toJSON().Resources[stack.getLogicalId(fn.role?.node.defaultChild as CfnElement)];
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('let the processing function read the stage objects, label them, update the table, publish and sign', () => {
    const statements = statementsOf('process-upload');

    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Allow', Action: ['s3:GetObject'], Resource: stageObjects }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Allow', Action: ['rekognition:DetectLabels'], Resource: '*' }),
    );
    expect(actionsOn('process-upload', bucket)).toEqual(['s3:GetObject']);
    expect(actionsOn('process-upload', table)).toEqual(tableReadWrite);
    expect(actionsOn('process-upload', secret)).toEqual(secretRead);
  });

  it.each(['process-upload', 'announce-deletion'])('let only the functions that publish results (%s) call a mutation with IAM, and only publishBlobResult', (handler) => {
    const graphql = allStatements.filter((statement) => actionsOf(statement).includes('appsync:GraphQL'));
    const apiId = logicalId(stack.api);

    expect(graphql).toHaveLength(2);
    expect(statementsOf(handler)).toContainEqual(
      expect.objectContaining({
        Action: ['appsync:GraphQL'],
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:aws:appsync:eu-west-1:123456789012:apis/',
              { 'Fn::GetAtt': [apiId, 'ApiId'] },
              '/types/Mutation/fields/publishBlobResult',
            ],
          ],
        },
      }),
    );
  });

  it('let the presign function put stage objects and nothing else', () => {
    const statements = statementsOf('presign-upload').filter(
      (statement) => !actionsOf(statement)[0].startsWith('logs:'),
    );

    expect(statements).toEqual([expect.objectContaining({ Effect: 'Allow', Resource: stageObjects })]);
    expect(actionsOf(statements[0])).toContain('s3:PutObject');
    expect(actionsOn('presign-upload', table)).toEqual([]);
  });

  it('let the image URL function read stage objects and nothing else', () => {
    const statements = statementsOf('presign-image').filter(
      (statement) => !actionsOf(statement)[0].startsWith('logs:'),
    );

    expect(statements).toEqual([
      expect.objectContaining({ Effect: 'Allow', Action: ['s3:GetObject'], Resource: stageObjects }),
    ]);
    expect(actionsOn('presign-image', table)).toEqual([]);
  });

  it('let the delete function delete stage objects and nothing else', () => {
    const statements = statementsOf('delete-object').filter(
      (statement) => !actionsOf(statement)[0].startsWith('logs:'),
    );

    expect(statements).toEqual([
      expect.objectContaining({ Effect: 'Allow', Action: ['s3:DeleteObject*'], Resource: stageObjects }),
    ]);
  });

  it('let the callback function use the table and the signing key, and not the bucket', () => {
    expect(actionsOn('deliver-callback', table)).toEqual(tableReadWrite);
    expect(actionsOn('deliver-callback', secret)).toEqual(secretRead);
    expect(actionsOn('deliver-callback', bucket)).toEqual([]);
  });

  it('let each function write only to its own log group', () => {
    for (const handler of stack.functions.handlers) {
      const fn = stack.functions.get(handler);
      const logs = statementsOf(handler).filter((statement) => actionsOf(statement)[0].startsWith('logs:'));
      const logGroup = stack.getLogicalId(fn.logGroup.node.defaultChild as CfnElement);

      expect(logs).toEqual([
        expect.objectContaining({
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [logGroup, 'Arn'] },
        }),
      ]);
    }
  });

  it('let AppSync invoke each Lambda data source function and nothing else', () => {
    const invokes = allStatements.filter((statement) => actionsOf(statement).includes('lambda:InvokeFunction'));
    const invoked = invokes.map((statement) => JSON.stringify(statement.Resource));

    expect(invokes.every((statement) => actionsOf(statement).length === 1)).toBe(true);
    for (const handler of ['presign-upload', 'presign-image', 'delete-object', 'deliver-callback']) {
      expect(invoked.some((resource) => resource.includes(`"${logicalId(stack.functions.get(handler))}"`))).toBe(true);
    }
    expect(invoked.some((resource) => resource.includes(`"${logicalId(stack.functions.get('process-upload'))}"`))).toBe(
      false,
    );
  });
});
