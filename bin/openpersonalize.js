#!/usr/bin/env node
// Runs the compiled CLI (npm run build makes dist/). During development: node --import tsx src/main/cli.ts
import '../dist/src/main/cli.js';
