// Prints the plain closing line of a vitest JSON report ("N passed, N failed, N skipped")
// and fails when the run executed no test at all.
import { readFileSync } from 'node:fs'

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const skipped = report.numPendingTests + report.numTodoTests
console.log(`${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`)
if (report.numTotalTests === 0 || report.numFailedTests > 0) process.exit(1)
