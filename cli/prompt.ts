// Questions for `login` when a flag is left out: only on a terminal (a script gets an error naming the flag).
import input from '@inquirer/input';
import password from '@inquirer/password';

export class NoTerminalError extends Error {
  readonly code = 'MissingOption';
}

function requireTerminal(what: string): void {
  if (!process.stdin.isTTY) throw new NoTerminalError(`${what} was not given, and there is no terminal to ask on: pass it as a flag`);
}

export async function ask(question: string): Promise<string> {
  requireTerminal(question);
  return (await input({ message: question, required: true })).trim();
}

export async function askSecret(question: string): Promise<string> {
  requireTerminal(question);
  return password({ message: question, mask: '*' });
}
