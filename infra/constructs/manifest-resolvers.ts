// Data sources and resolvers, made by walking resolvers/manifest.ts: the list the local cloud reads too.
// Code comes from the bundles of `npm run build` (dist/resolvers/<code>.js), runtime APPSYNC_JS 1.0.0.
import * as appsync from 'aws-cdk-lib/aws-appsync';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
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
        return api.addDynamoDbDataSource(name, table);
      }
      case 'LAMBDA':
        return api.addLambdaDataSource(name, this.props.functionFor(spec.handler));
      case 'NONE':
        return api.addNoneDataSource(name);
    }
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
