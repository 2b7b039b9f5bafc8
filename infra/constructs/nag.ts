// cdk-nag (AwsSolutions) acknowledgements, made beside the construct they are about. A finding that names a resource
// (IAM5's `Resource::…`) is acknowledged for that resource only, in cdk-nag's own notation of the ARN.
import { type App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** Acknowledges `rule` on `scope` (and what it contains); with `findings`, only those findings of it. */
export function acknowledge(scope: IConstruct, rule: string, reason: string, findings?: readonly string[]): void {
  for (const id of findings === undefined ? [rule] : findings.map((finding) => `${rule}[${finding}]`)) {
    Validations.of(scope).acknowledge({ id, reason });
  }
}

/** IAM5's finding for a resource ARN: `Resource::<Bucket1234.Arn>/dev/*`. */
export function resourceFinding(scope: IConstruct, arn: string): string {
  return `Resource::${flatten(Stack.of(scope).resolve(arn))}`;
}

/** CloudFormation intrinsics as cdk-nag writes them in finding ids. */
function flatten(node: unknown): string {
  if (typeof node === 'string') {
    return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  }
  const value = (node ?? {}) as Record<string, unknown>;
  if (Array.isArray(value['Fn::Join'])) {
    const [delimiter, items] = value['Fn::Join'] as [string, unknown[]];
    return items.map(flatten).join(delimiter);
  }
  if (Array.isArray(value['Fn::GetAtt'])) {
    const [resource, attribute] = value['Fn::GetAtt'] as [unknown, unknown];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  if (value.Ref !== undefined) {
    return `<${flatten(value.Ref)}>`;
  }
  return JSON.stringify(node);
}

/** cdk-nag's AwsSolutions pack as a validation plugin: a finding neither fixed nor acknowledged fails the synthesis. */
export function addNagChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}
