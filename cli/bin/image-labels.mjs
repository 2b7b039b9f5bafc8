#!/usr/bin/env node
// Launcher for the `image-labels` command: the CLI is TypeScript, run through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../main.ts');
