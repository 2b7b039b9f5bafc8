// One NodejsFunction per handler file under functions/: Node.js 22 on arm64, bundled locally by esbuild
// (ESM, minified, source maps), each with its own log group and a role that may only write to it.
// What else a function may do is granted by the stack, next to the resource it touches.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { functionEntryPath, lockFilePath, repoRoot } from '../paths.ts';

interface FunctionSettings {
  description: string;
  timeout: Duration;
  memorySize: number;
}

const SETTINGS: Record<string, FunctionSettings> = {
  'presign-upload': {
    description: 'Signs the S3 PUT URL of a new blob',
    timeout: Duration.seconds(10),
    memorySize: 256,
  },
  'presign-image': {
    description: 'Signs the short-lived S3 GET URL of a blob image for its owner',
    timeout: Duration.seconds(10),
    memorySize: 256,
  },
  'delete-object': {
    description: 'Deletes the uploaded object of a blob',
    timeout: Duration.seconds(10),
    memorySize: 256,
  },
  // AppSync waits at most 30 s for a data source; the retries with backoff fit in it.
  'deliver-callback': {
    description: 'Sends the result webhook of a blob again',
    timeout: Duration.seconds(30),
    memorySize: 256,
  },
  // DetectLabels, the publish mutation and the first callback delivery, on every S3 upload.
  'process-upload': {
    description: 'Labels an uploaded image and publishes the result',
    timeout: Duration.seconds(60),
    memorySize: 512,
  },
};

const DEFAULT_SETTINGS: Omit<FunctionSettings, 'description'> = { timeout: Duration.seconds(10), memorySize: 256 };

/** ESM bundles have no `require`; a CommonJS dependency that requires a Node built-in needs one. */
const REQUIRE_BANNER =
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

export interface FunctionsProps {
  /** File names under functions/ without extension. */
  handlers: string[];
  /** Settings every function reads (functions/commons/config.ts); the stack adds each one's own. */
  environment: Record<string, string>;
  logRetention: logs.RetentionDays;
  removalPolicy: RemovalPolicy;
  xray: boolean;
}

export class Functions extends Construct {
  private readonly byHandler = new Map<string, NodejsFunction>();

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    for (const handler of new Set(props.handlers)) {
      this.byHandler.set(handler, this.createFunction(handler, props));
    }
  }

  /** The handler file names, functions/<handler>.ts. */
  get handlers(): string[] {
    return [...this.byHandler.keys()];
  }

  get all(): NodejsFunction[] {
    return [...this.byHandler.values()];
  }

  /** The function of functions/<handler>.ts. */
  get(handler: string): NodejsFunction {
    const fn = this.byHandler.get(handler);
    if (!fn) {
      throw new Error(`no function for handler "${handler}"`);
    }
    return fn;
  }

  private createFunction(handler: string, props: FunctionsProps): NodejsFunction {
    const id = pascalCase(handler);
    const settings = SETTINGS[handler] ?? { ...DEFAULT_SETTINGS, description: `functions/${handler}.ts` };

    const logGroup = new logs.LogGroup(this, `${id}Logs`, {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    // Instead of AWSLambdaBasicExecutionRole (logs on every group): this function's group only.
    const role = new iam.Role(this, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs functions/${handler}.ts`,
    });
    logGroup.grantWrite(role);

    return new NodejsFunction(this, id, {
      entry: functionEntryPath(handler),
      handler: 'handler',
      description: settings.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: settings.timeout,
      memorySize: settings.memorySize,
      role,
      logGroup,
      tracing: props.xray ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      environment: { ...props.environment, POWERTOOLS_SERVICE_NAME: handler, NODE_OPTIONS: '--enable-source-maps' },
      projectRoot: repoRoot,
      depsLockFilePath: lockFilePath,
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        banner: REQUIRE_BANNER,
        // The SDK is bundled: the versions of package-lock.json run, not whatever the runtime ships.
        externalModules: UNUSED_CREDENTIAL_PROVIDERS,
        logLevel: LogLevel.WARNING,
      },
    });
  }
}

function pascalCase(kebab: string): string {
  return kebab
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}
