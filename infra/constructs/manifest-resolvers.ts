// Data sources and resolvers, made by walking resolvers/manifest.ts: the list the local cloud reads too.
// Code comes from the bundles of `npm run build` (dist/resolvers/<code>.js), runtime APPSYNC_JS 1.0.0.
// Each data source's role may do exactly what the manifest says: a DynamoDB data source its declared actions, a
// Lambda data source invoke its function (the L2 data sources would grant every table action, the table's every
// index, and every version of the function).
import * as appsync from 'aws-cdk-lib/aws-appsync';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { ResourceName } from '../../domain/resources.ts';
import {
  dataSources as dataSourceSpecs,
  resolvers as resolverSpecs,
  type DataSourceName,
  type DataSourceSpec,
  type PipelineStep,
  type ResolverSpec,
} from '../../resolvers/manifest.ts';
import { resolverBundlePath } from '../paths.ts';

export interface ManifestResolversProps {
  api: appsync.GraphqlApi;
  /** Tables by the name the manifest gives them (`{ kind: 'DYNAMODB', table }`). */
  tables: Record<string, dynamodb.ITable>;
  /** The ARN of each resource a data source's permissions name. */
  resources: Record<ResourceName, string>;
  /** The function of functions/<handler>.ts, for `{ kind: 'LAMBDA', handler }`. */
  functionFor: (handler: string) => lambda.IFunction;
}

const RUNTIME = appsync.FunctionRuntime.JS_1_0_0;

export class ManifestResolvers extends Construct {
  readonly dataSources = new Map<DataSourceName, appsync.BaseDataSource>();
  readonly resolvers = new Map<string, appsync.Resolver>();

  constructor(scope: Construct, id: string, private readonly props: ManifestResolversProps) {
    super(scope, id);
    for (const [name, spec] of Object.entries(dataSourceSpecs) as [DataSourceName, DataSourceSpec][]) {
      this.dataSources.set(name, this.createDataSource(name, spec));
    }
    for (const spec of resolverSpecs) {
      this.resolvers.set(`${spec.typeName}.${spec.fieldName}`, this.createResolver(spec));
    }
  }

  private createDataSource(name: DataSourceName, spec: DataSourceSpec): appsync.BaseDataSource {
    const { api } = this.props;
    switch (spec.kind) {
      case 'DYNAMODB': {
        const table = this.props.tables[spec.table];
        if (!table) {
          throw new Error(`data source ${name}: no table "${spec.table}"`);
        }
        const role = this.serviceRole(name);
        for (const permission of spec.permissions) {
          role.addToPrincipalPolicy(
            new iam.PolicyStatement({ actions: [...permission.actions].sort(), resources: [this.props.resources[permission.resource]] }),
          );
        }
        return new ExactDataSource(api, name, role, {
          type: 'AMAZON_DYNAMODB',
          dynamoDbConfig: { tableName: table.tableName, awsRegion: table.env.region },
        });
      }
      case 'LAMBDA': {
        const fn = this.props.functionFor(spec.handler);
        const role = this.serviceRole(name);
        // AppSync invokes the unqualified function: no version or alias needs to be allowed.
        role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }));
        return new ExactDataSource(api, name, role, { type: 'AWS_LAMBDA', lambdaConfig: { lambdaFunctionArn: fn.functionArn } });
      }
      case 'NONE':
        return api.addNoneDataSource(name);
    }
  }

  private serviceRole(name: string): iam.Role {
    return new iam.Role(this, `${name}Role`, {
      assumedBy: new iam.ServicePrincipal('appsync.amazonaws.com'),
      description: `AppSync data source ${name}`,
    });
  }

  private createResolver(spec: ResolverSpec): appsync.Resolver {
    const id = `${spec.typeName}.${spec.fieldName}`;
    const common = {
      typeName: spec.typeName,
      fieldName: spec.fieldName,
      code: code(spec.code),
      runtime: RUNTIME,
    };
    if (spec.kind === 'UNIT') {
      return new appsync.Resolver(this, id, {
        ...common,
        api: this.props.api,
        dataSource: this.dataSource(spec.dataSource),
      });
    }
    return new appsync.Resolver(this, id, {
      ...common,
      api: this.props.api,
      pipelineConfig: spec.steps.map((step) => this.createFunction(id, step)),
    });
  }

  private createFunction(resolverId: string, step: PipelineStep): appsync.AppsyncFunction {
    return new appsync.AppsyncFunction(this, `${resolverId}.${step.name}`, {
      api: this.props.api,
      name: step.name,
      dataSource: this.dataSource(step.dataSource),
      code: code(step.code),
      runtime: RUNTIME,
    });
  }

  private dataSource(name: DataSourceName): appsync.BaseDataSource {
    const dataSource = this.dataSources.get(name);
    if (!dataSource) {
      throw new Error(`the manifest names an unknown data source "${name}"`);
    }
    return dataSource;
  }
}

function code(name: string): appsync.Code {
  return appsync.Code.fromAsset(resolverBundlePath(name));
}

/** A data source whose role is given, with nothing granted beside what the caller adds. */
// Made in the API's scope, as api.add*DataSource makes them, so that their logical ids stay those of deployed stacks.
class ExactDataSource extends appsync.BackedDataSource {
  constructor(api: appsync.GraphqlApi, name: string, role: iam.IRole, config: appsync.ExtendedDataSourceProps) {
    super(api, name, { api, name, serviceRole: role }, config);
  }
}
