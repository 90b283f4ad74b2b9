#!/usr/bin/env node
import { runCli } from './run-cli.js'

// The bin only sets the exit code; `runCli` does the work and is what tests call.
process.exitCode = await runCli(process.argv.slice(2))
