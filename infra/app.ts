// CDK entry point: `npx cdk synth -c stage=dev` (cdk.json runs this file with tsx).
// The stack is environment-agnostic: its ARNs come from CloudFormation (attributes, pseudo parameters), so one
// template deploys to any account and region. cdk-nag's AwsSolutions pack checks it on every synthesis.
import { App, Tags } from 'aws-cdk-lib';
import { readStackConfig, StackConfigError, type StackConfig } from './config.ts';
import { addNagChecks } from './constructs/nag.ts';
import { ImageLabelsStack } from './image-labels-stack.ts';

const app = new App();
let config: StackConfig;
try {
  config = readStackConfig(app.node);
} catch (error) {
  if (!(error instanceof StackConfigError)) {
    throw error;
  }
  // A setting the stack cannot use is the deployer's to fix: one line, no stack trace.
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

const stack = new ImageLabelsStack(app, `ImageLabels-${config.stage}`, {
  config,
  description: `Image labelling GraphQL API (${config.stage})`,
});
Tags.of(stack).add('service', 'image-labels');
Tags.of(stack).add('stage', config.stage);
addNagChecks(app);
