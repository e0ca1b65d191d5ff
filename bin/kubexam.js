#!/usr/bin/env node
// Entry point of the `kubexam` command: the CLI is TypeScript, run through tsx so that
// lab authors' custom graders (grader: ./grader.ts) load the same way without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../server/cli/main.ts');
