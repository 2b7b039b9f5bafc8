#!/usr/bin/env node
// Launcher for the `detect-labels-local` command: the CLI is TypeScript, run through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../cli.ts');
