// Who may do what in the synthesized stack: each function's role and each data source's role hold exactly the
// statements their manifest declares (plus a function's own log group), with ARNs from CloudFormation, never a region
// or account written at synthesis.
import type { CfnElement } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import type { Permission, ResourceName } from '../../domain/resources.ts';
import { FUNCTION_NAMES, FUNCTIONS } from '../../functions/manifest.ts';
import { dataSources } from '../../resolvers/manifest.ts';
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
  Properties: { Policies?: { PolicyDocument: { Statement: Statement[] } }[]; ManagedPolicyArns?: unknown };
}

const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
const policies = Object.entries(template.findResources('AWS::IAM::Policy')) as [string, PolicyResource][];
const roles = template.findResources('AWS::IAM::Role') as Record<string, RoleResource>;
/** Every statement of the stack: policy resources and policies inline in roles. */
const allStatements: Statement[] = [
  ...policies.flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement),
  ...Object.values(roles).flatMap((role) => (role.Properties.Policies ?? []).flatMap((policy) => policy.PolicyDocument.Statement)),
];
const logicalId = (element: { node: { defaultChild?: unknown } }): string =>
  stack.getLogicalId(element.node.defaultChild as CfnElement);
const getAtt = (id: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [id, attribute] });

/** What each symbolic resource must be in the template. */
const expectedArn: Record<ResourceName, unknown> = {
  uploadObjects: { 'Fn::Join': ['', [getAtt(logicalId(stack.bucket)), '/dev/*']] },
  blobsTable: getAtt(logicalId(stack.table)),
  blobsByOwnerIndex: { 'Fn::Join': ['', [getAtt(logicalId(stack.table)), '/index/byOwner']] },
  uploadQueue: getAtt(logicalId(stack.uploadQueue.queue)),
  webhookSecret: { Ref: logicalId(stack.webhookSecret) },
  'Mutation.publishBlobResult': { 'Fn::Join': ['', [getAtt(logicalId(stack.api)), '/types/Mutation/fields/publishBlobResult']] },
  '*': '*',
};

const actionsOf = (statement: Statement): string[] => [statement.Action].flat();

/** The statements of the policies attached to a role, actions sorted. */
function statementsOfRole(roleId: string): Statement[] {
  return policies
    .filter(([, policy]) => policy.Properties.Roles.some((ref) => ref.Ref === roleId))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement)
    .map((statement) => ({ ...statement, Action: actionsOf(statement).sort() }));
}

const expectedStatement = (permission: Permission): Statement => ({
  Effect: 'Allow',
  Action: [...permission.actions].sort(),
  Resource: expectedArn[permission.resource],
});

describe('the permissions', () => {
  it.each(FUNCTION_NAMES)('give %s exactly the statements of its manifest entry, and its own log group', (name) => {
    const fn = stack.functions.get(name);
    const roleId = stack.getLogicalId(fn.role?.node.defaultChild as CfnElement);
    const logs: Statement = {
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: getAtt(stack.getLogicalId(fn.logGroup.node.defaultChild as CfnElement)),
    };

    const statements = statementsOfRole(roleId);

    expect(statements).toHaveLength(FUNCTIONS[name].permissions.length + 1);
    expect(statements).toEqual(expect.arrayContaining([logs, ...FUNCTIONS[name].permissions.map(expectedStatement)]));
    expect(roles[roleId].Properties.ManagedPolicyArns).toBeUndefined();
  });

  it.each(Object.entries(dataSources).filter(([, spec]) => spec.kind === 'DYNAMODB'))(
    'give the DynamoDB data source %s exactly the statements of resolvers/manifest.ts',
    (name, spec) => {
      const dataSource = Object.values(resources).find((resource) => resource.Type === 'AWS::AppSync::DataSource' && resource.Properties.Name === name)!;
      const roleId = (dataSource.Properties.ServiceRoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const permissions = spec.kind === 'DYNAMODB' ? spec.permissions : [];

      expect(statementsOfRole(roleId)).toEqual(permissions.map(expectedStatement));
    },
  );

  it.each(Object.entries(dataSources).filter(([, spec]) => spec.kind === 'LAMBDA'))(
    'let the Lambda data source %s invoke its function, unqualified, and nothing else',
    (name, spec) => {
      const dataSource = Object.values(resources).find((resource) => resource.Type === 'AWS::AppSync::DataSource' && resource.Properties.Name === name)!;
      const roleId = (dataSource.Properties.ServiceRoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const handler = spec.kind === 'LAMBDA' ? spec.handler : '';

      expect(statementsOfRole(roleId)).toEqual([
        { Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: getAtt(logicalId(stack.functions.get(handler))) },
      ]);
    },
  );

  it('never allow every action of a service', () => {
    const actions = allStatements.flatMap(actionsOf);

    expect(actions.filter((action) => action === '*' || action.endsWith(':*'))).toEqual([]);
  });

  it('allow resource * only for actions without resource-level permissions', () => {
    const unscoped = allStatements.filter((statement) => [statement.Resource].flat().includes('*')).flatMap(actionsOf);

    expect([...new Set(unscoped)]).toEqual(['rekognition:DetectLabels']);
  });

  it('write no region or account into an ARN (the template deploys anywhere)', () => {
    const text = JSON.stringify(allStatements);

    expect(text).not.toContain('eu-west-1');
    expect(text).not.toContain('123456789012');
  });

  it('let AppSync invoke exactly the functions that the resolver manifest names as data sources', () => {
    const invoked = allStatements.filter((statement) => actionsOf(statement).includes('lambda:InvokeFunction')).map((statement) => JSON.stringify(statement.Resource));
    const named = Object.values(dataSources).flatMap((spec) => (spec.kind === 'LAMBDA' ? [spec.handler] : []));

    for (const name of FUNCTION_NAMES) {
      const id = `"${logicalId(stack.functions.get(name))}"`;
      expect(invoked.some((resource) => resource.includes(id))).toBe(named.includes(name));
    }
  });
});
