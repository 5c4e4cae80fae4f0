#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so the resolver works before anything is built.
import { register } from 'tsx/esm/api';

register();
await import('../src/infra.cli.ts');
