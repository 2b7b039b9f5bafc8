// The Lambda functions of functions/manifest.ts, one NodejsFunction each: Node.js on arm64, bundled locally by
// esbuild (ESM, minified, source maps), each with its own log group and a role whose statements are exactly the
// manifest's permissions (plus writing to its own log group), its environment exactly the settings it declares,
// and its event source mapping when a queue triggers it. Nothing here names a function: the manifest does.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Permission, ResourceName } from '../../domain/resources.ts';
import { environmentFor, type SettingValues } from '../../functions/commons/config.ts';
import { FUNCTION_NAMES, FUNCTIONS, type FunctionName, type FunctionSpec, type Trigger } from '../../functions/manifest.ts';
import { functionEntryPath, lockFilePath, repoRoot } from '../paths.ts';
import { acknowledge, resourceFinding } from './nag.ts';

/** The runtime every function runs on. */
export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X;
export const BUNDLE_TARGET = 'node24';

/** ESM bundles have no `require`; a CommonJS dependency that requires a Node built-in needs one. */
export const REQUIRE_BANNER =
  "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);";

/**
 * Lambda passes credentials in environment variables, the first link of the SDK's default provider
 * chain. The other links are loaded with `import()` only when that one fails, which never happens in
 * Lambda: leaving them out of the bundles saves about 90 KB per function (and its parse time at cold
 * start). Were one ever reached, the import would fail with "Cannot find package".
 */
export const UNUSED_CREDENTIAL_PROVIDERS = [
  '@aws-sdk/credential-provider-http',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-login',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/nested-clients',
  '@aws-sdk/token-providers',
  '@smithy/credential-provider-imds',
];

/** How a queue trigger is sized (functions/queue/upload-queue.ts). */
export interface QueueTrigger {
  queue: sqs.IQueue;
  batchSize: number;
  maxConcurrency: number;
}

/** Why a statement of the manifest names more than one resource, for the IAM5 acknowledgement beside it. */
const WILDCARD_REASONS: Partial<Record<ResourceName, string>> = {
  uploadObjects: 'The objects of this stage: their keys are blob ids, made at run time under the stage prefix',
  '*': 'rekognition:DetectLabels has no resource-level permissions: IAM accepts only "*" for it',
};

export interface FunctionsProps {
  /** The values of the settings the stack knows; the others keep their defaults (functions/commons/config.ts). */
  settings: SettingValues;
  /** The ARN of each resource the manifest names. */
  resources: Record<ResourceName, string>;
  /** The queues that trigger functions, with their mapping's sizes. */
  queues: Record<Extract<Trigger, { kind: 'queue' }>['queue'], QueueTrigger>;
  logRetention: logs.RetentionDays;
  removalPolicy: RemovalPolicy;
  xray: boolean;
}

export class Functions extends Construct {
  private readonly byName = new Map<FunctionName, NodejsFunction>();

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    for (const name of FUNCTION_NAMES) {
      this.byName.set(name, this.createFunction(name, FUNCTIONS[name], props));
    }
  }

  /** The names of functions/manifest.ts, in its order. */
  get names(): FunctionName[] {
    return [...this.byName.keys()];
  }

  get all(): NodejsFunction[] {
    return [...this.byName.values()];
  }

  /** The function of functions/<name>.ts. */
  get(name: string): NodejsFunction {
    const fn = this.byName.get(name as FunctionName);
    if (!fn) {
      throw new Error(`functions/manifest.ts has no function "${name}"`);
    }
    return fn;
  }

  private createFunction(name: FunctionName, spec: FunctionSpec, props: FunctionsProps): NodejsFunction {
    const id = pascalCase(name);
    const logGroup = new logs.LogGroup(this, `${id}Logs`, { retention: props.logRetention, removalPolicy: props.removalPolicy });
    // No managed policy (AWSLambdaBasicExecutionRole writes to every log group): exactly the manifest's statements.
    const role = new iam.Role(this, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs functions/${name}.ts`,
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
    );
    for (const permission of spec.permissions) {
      role.addToPrincipalPolicy(this.statement(permission, props.resources));
    }
    this.acknowledgeWildcards(role, spec.permissions, props.resources);
    if (props.xray) {
      acknowledge(role, 'AwsSolutions-IAM5', 'Tracing: xray:PutTraceSegments and xray:PutTelemetryRecords have no resource-level permissions', ['Resource::*']);
    }

    const fn = new NodejsFunction(this, id, {
      entry: functionEntryPath(name),
      handler: 'handler',
      description: spec.description,
      runtime: FUNCTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      timeout: Duration.seconds(spec.timeoutSeconds),
      memorySize: spec.memoryMb,
      role,
      logGroup,
      tracing: props.xray ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      environment: {
        ...environmentFor(name, spec.settings, props.settings, 'the stack'),
        POWERTOOLS_SERVICE_NAME: name,
        // No --enable-source-maps: it added 4-53 ms to every cold import, a quarter of process-upload's (BENCHMARKS.md).
      },
      projectRoot: repoRoot,
      depsLockFilePath: lockFilePath,
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: BUNDLE_TARGET,
        mainFields: ['module', 'main'],
        minify: true,
        // No map in the asset: without --enable-source-maps the runtime never reads it (see docs/deploy.md).
        sourceMap: false,
        banner: REQUIRE_BANNER,
        // The SDK is bundled: the versions of package-lock.json run, not whatever the runtime ships.
        externalModules: UNUSED_CREDENTIAL_PROVIDERS,
        logLevel: LogLevel.WARNING,
      },
    });
    if (spec.trigger.kind === 'queue') {
      const trigger = props.queues[spec.trigger.queue];
      // Not SqsEventSource: it grants itself (sqs:GetQueueUrl included); the manifest already holds what the mapping needs.
      fn.addEventSourceMapping('Queue', {
        eventSourceArn: trigger.queue.queueArn,
        batchSize: trigger.batchSize,
        maxConcurrency: trigger.maxConcurrency,
        reportBatchItemFailures: true,
      });
    }
    return fn;
  }

  private statement(permission: Permission, resources: Record<ResourceName, string>): iam.PolicyStatement {
    return new iam.PolicyStatement({ actions: [...permission.actions].sort(), resources: [resources[permission.resource]] });
  }

  private acknowledgeWildcards(role: iam.Role, permissions: readonly Permission[], resources: Record<ResourceName, string>): void {
    for (const permission of permissions) {
      const reason = WILDCARD_REASONS[permission.resource];
      if (reason) {
        acknowledge(role, 'AwsSolutions-IAM5', reason, [resourceFinding(role, resources[permission.resource])]);
      }
    }
  }
}

function pascalCase(kebab: string): string {
  return kebab
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}
