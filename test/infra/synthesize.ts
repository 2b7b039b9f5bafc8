// Synthesizes the stack as `cdk synth` would (cdk.json's feature flags, context from the caller, cdk-nag's
// AwsSolutions pack: a finding neither fixed nor acknowledged fails the synthesis, and so the test).
// Bundling the Lambdas with esbuild takes seconds per function: only tests about the bundles ask for it.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readStackConfig } from '../../infra/config.ts';
import { addNagChecks } from '../../infra/constructs/nag.ts';
import { ImageLabelsStack } from '../../infra/image-labels-stack.ts';
import { repoRoot } from '../../infra/paths.ts';
import { resolvers } from '../../resolvers/manifest.ts';

export interface Synthesized {
  app: App;
  stack: ImageLabelsStack;
  template: Template;
}

export interface SynthesizeOptions {
  context?: Record<string, unknown>;
  /** Run esbuild for every function (slow); otherwise the Lambda code is a placeholder asset. */
  bundle?: boolean;
}

export function synthesize({ context = {}, bundle = false }: SynthesizeOptions = {}): Synthesized {
  ensureResolverBundles();
  const cdkJson = JSON.parse(readFileSync(path.join(repoRoot, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  const app = new App({
    context: { ...cdkJson.context, ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }), ...context },
  });
  const config = readStackConfig(app.node);
  const stack = new ImageLabelsStack(app, `ImageLabels-${config.stage}`, {
    config,
    env: { account: '123456789012', region: 'eu-west-1' },
  });
  addNagChecks(app);
  return { app, stack, template: Template.fromStack(stack) };
}

/** The stack deploys dist/resolvers/*.js: build them when a test runs without `npm run build` first. */
function ensureResolverBundles(): void {
  const codes = resolvers.flatMap((spec) => [
    spec.code,
    ...(spec.kind === 'PIPELINE' ? spec.steps.map((step) => step.code) : []),
  ]);
  const missing = codes.some((code) => !existsSync(path.join(repoRoot, 'dist', 'resolvers', `${code}.js`)));
  if (missing) {
    execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'ignore' });
  }
}
