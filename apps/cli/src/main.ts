// `corsmesh`: see cli.ts. The only place the CLI reads its environment.
import { runCli } from './cli.js';

process.exitCode = await runCli(process.argv.slice(2), process.env, {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
