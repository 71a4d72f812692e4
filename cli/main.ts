import { globalHelp, UsageError, type Command } from './command.ts';
import { campaignCreate, campaignList, campaignShow } from './commands/campaign.ts';
import { recipientsAdd } from './commands/recipients.ts';
import { score } from './commands/score.ts';
import { themes } from './commands/themes.ts';
import { processIo, type Io } from './io.ts';

/**
 * `npsloop`: the marketing CLI over the admin HTTP API. Exit codes: 0 done, 1 the API or the
 * data said no (one line on stderr), 2 the command line itself was wrong.
 */

export const commands: readonly Command[] = [campaignCreate, campaignShow, campaignList, recipientsAdd, score, themes];

const groups = [...new Set(commands.filter((c) => c.name.includes(' ')).map((c) => c.name.split(' ')[0] ?? ''))];

const topHelp = `Usage: npsloop COMMAND [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(16)} ${c.summary}`).join('\n')}

Run npsloop COMMAND --help for a command's options.

${globalHelp}`;

const groupHelp = (group: string) => `Usage: npsloop ${group} COMMAND [options]

Commands:
${commands
  .filter((c) => c.name.startsWith(`${group} `))
  .map((c) => `  ${c.name.padEnd(16)} ${c.summary}`)
  .join('\n')}

${globalHelp}`;

// Global options that take a value, so the value is not mistaken for a command word.
const valueOptions = new Set(['--api-url', '--api-key']);
const isHelp = (arg: string) => arg === '--help' || arg === '-h';

type Route = { kind: 'command'; command: Command; args: string[] } | { kind: 'help'; text: string };

/**
 * Finds the command in the words of the command line. Options may come before, between or
 * after the words; every option goes to the command's own parser.
 */
export const route = (argv: readonly string[]): Route => {
  const words: string[] = [];
  const args: string[] = [];
  let wantsHelp = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const complete = words.length > 0 && commands.some((c) => c.name === words.join(' '));
    if (complete || arg === '--') {
      args.push(...argv.slice(i));
      break;
    }
    if (arg.startsWith('-')) {
      if (isHelp(arg)) wantsHelp = true;
      args.push(arg);
      if (valueOptions.has(arg) && i + 1 < argv.length) args.push(argv[++i] ?? '');
      continue;
    }
    if (words.length === 0 && arg === 'help') {
      wantsHelp = true;
      continue;
    }
    words.push(arg);
    if (words.length === 1 && !groups.includes(arg) && !commands.some((c) => c.name === arg)) {
      throw new UsageError(`unknown command "${arg}" (commands: ${[...groups, ...commands.filter((c) => !c.name.includes(' ')).map((c) => c.name)].join(', ')})`);
    }
  }
  const name = words.join(' ');
  const command = commands.find((c) => c.name === name);
  if (command) return { kind: 'command', command, args: wantsHelp && !args.some(isHelp) ? [...args, '--help'] : args };
  const group = words[0];
  if (group === undefined) {
    if (wantsHelp) return { kind: 'help', text: topHelp };
    throw new UsageError('a command is needed');
  }
  if (words.length === 1 && wantsHelp) return { kind: 'help', text: groupHelp(group) };
  const verbs = commands.filter((c) => c.name.startsWith(`${group} `)).map((c) => c.name.slice(group.length + 1));
  throw words.length === 1
    ? new UsageError(`${group} needs a command: ${verbs.join(', ')}`, group)
    : new UsageError(`unknown command "${name}" (${group} commands: ${verbs.join(', ')})`, group);
};

/** Runs one command line and returns the exit code; never throws. */
export const main = async (argv: readonly string[], io: Io = processIo()): Promise<number> => {
  try {
    const found = route(argv);
    if (found.kind === 'help') {
      io.stdout.write(`${found.text}\n`);
      return 0;
    }
    await found.command.run(found.args, io);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`npsloop: ${error.message} (see npsloop ${error.command ? `${error.command} ` : ''}--help)\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`npsloop: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    // The stack is for whoever debugs the CLI, not for the user.
    if (io.env.NPSLOOP_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return 1;
  }
};
