// CDK entry point: `npx cdk synth -c stage=dev` (cdk.json runs this file with tsx).
import { App, Tags } from 'aws-cdk-lib';
import { readStackConfig } from './config.ts';
import { ImageLabelsStack } from './image-labels-stack.ts';

const app = new App();
const config = readStackConfig(app.node);

const stack = new ImageLabelsStack(app, `ImageLabels-${config.stage}`, {
  config,
  description: `Image labelling GraphQL API (${config.stage})`,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
Tags.of(stack).add('service', 'image-labels');
Tags.of(stack).add('stage', config.stage);
