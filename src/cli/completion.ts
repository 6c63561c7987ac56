/**
 * `acs-metrics completion bash|zsh|fish|pwsh` prints a completion script; the script calls back into
 * the hidden `acs-metrics __complete -- WORDS...` (the words typed so far, the last one being
 * completed), which prints one candidate per line, read from the commander tree --help shows:
 * commands, options, and the values the commands attach to options and arguments (option-values.ts):
 * metric aliases, outputs, aggregations, dimensions, --fail-on lifecycles and, after --operation, the
 * operations of the metric given by -m.
 */
import type { Command, Option } from 'commander';
import { EXIT, UsageError } from '../errors.js';
import type { Register } from './register.js';
import { offerArgument, valuesOf } from './option-values.js';

export const SHELLS = ['bash', 'zsh', 'fish', 'pwsh'] as const;

const SCRIPTS: Record<(typeof SHELLS)[number], string> = {
  bash: `# acs-metrics completion for bash: eval "$(acs-metrics completion bash)" in ~/.bashrc
_acs_metrics() {
  local IFS=$'\\n'
  COMPREPLY=( $(acs-metrics __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) )
}
complete -o default -F _acs_metrics acs-metrics
`,
  zsh: `#compdef acs-metrics
# acs-metrics completion for zsh: eval "$(acs-metrics completion zsh)" in ~/.zshrc (after compinit)
_acs_metrics() {
  local -a candidates
  candidates=("\${(@f)$(acs-metrics __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  compadd -a candidates
}
compdef _acs_metrics acs-metrics
`,
  fish: `# acs-metrics completion for fish: acs-metrics completion fish > ~/.config/fish/completions/acs-metrics.fish
complete -c acs-metrics -f -a '(acs-metrics __complete -- (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null)'
`,
  pwsh: `# acs-metrics completion for PowerShell: acs-metrics completion pwsh | Out-String | Invoke-Expression (in $PROFILE)
Register-ArgumentCompleter -Native -CommandName acs-metrics -ScriptBlock {
  param($wordToComplete, $commandAst, $cursorPosition)
  $words = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() })
  if ($wordToComplete -eq '') { $words += '' }
  acs-metrics __complete -- @words 2>$null | ForEach-Object {
    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
  }
}
`,
};

/**
 * The program as --help sees it: the same root (program.ts), every command of commands.ts and this
 * one, with the same options. A command added to commands.ts is completed without any change here.
 */
async function programTree(): Promise<Command> {
  const [{ COMMAND_LOADERS }, { newProgram }] = await Promise.all([import('./commands.js'), import('./program.js')]);
  const program = newProgram();
  const registers = await Promise.all(COMMAND_LOADERS.map(([, load]) => load()));
  for (const register of [...registers, registerCompletion]) register(program, () => async () => {});
  return program;
}

const longNames = (options: readonly Option[]): string[] => options.flatMap((o) => (o.long ? [o.long] : []));
const findOption = (cmd: Command, flag: string | undefined): Option | undefined =>
  flag === undefined || !flag.startsWith('-') ? undefined : cmd.options.find((o) => o.long === flag || o.short === flag);

/** How many positional arguments the words after the command hold (option values skipped). */
function positionals(cmd: Command, words: readonly string[]): number {
  let n = 0;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!w.startsWith('-')) n++;
    else if (!w.includes('=') && findOption(cmd, w)?.required) i++;
  }
  return n;
}

/**
 * The candidates for the last word, given the words before it: the commands and global options, a
 * command's options as its --help lists them, the values attached to an option (option-values.ts),
 * or to the positional argument being typed.
 */
export async function complete(words: readonly string[]): Promise<string[]> {
  const cur = words[words.length - 1] ?? '';
  const before = words.slice(0, -1);
  const program = await programTree();
  const help = program.createHelp();
  const at = before.findIndex((w) => !w.startsWith('-'));
  const cmd = at === -1 ? undefined : program.commands.find((c) => c.name() === before[at]);
  let candidates: readonly string[];
  if (at === -1) candidates = [...help.visibleCommands(program).map((c) => c.name()), ...longNames(help.visibleOptions(program))];
  else if (cmd === undefined) candidates = [];
  else {
    const option = findOption(cmd, before[before.length - 1]);
    if (option !== undefined && (option.required || option.optional)) {
      // A comma list (--metric chat,sms, --split-by operation,statuscode): the value after the last comma.
      const done = cur.slice(0, cur.lastIndexOf(',') + 1);
      candidates = (valuesOf(option, before) ?? []).map((v) => done + v);
    } else if (cur.startsWith('-')) candidates = longNames(help.visibleOptions(cmd));
    else {
      const argument = cmd.registeredArguments[positionals(cmd, before.slice(at + 1))];
      candidates = argument === undefined ? [] : (valuesOf(argument, before) ?? []);
    }
  }
  const lower = cur.toLowerCase();
  return candidates.filter((c) => c.toLowerCase().startsWith(lower));
}

export const registerCompletion: Register = (program, action) => {
  const completion = program
    .command('completion')
    .description('print a shell completion script: bash, zsh, fish or pwsh')
    .argument('<shell>', SHELLS.join(', '));
  offerArgument(completion, 0, SHELLS);
  completion
    .addHelpText(
      'after',
      '\nInstall:\n  bash: eval "$(acs-metrics completion bash)"    (in ~/.bashrc)\n  zsh:  eval "$(acs-metrics completion zsh)"     (in ~/.zshrc, after compinit)\n  fish: acs-metrics completion fish > ~/.config/fish/completions/acs-metrics.fish\n  pwsh: acs-metrics completion pwsh | Out-String | Invoke-Expression    (in $PROFILE)',
    )
    .action(
      action(async (args, _opts, ctx) => {
        const shell = (args[0] ?? '').toLowerCase();
        const script = (SCRIPTS as Record<string, string>)[shell === 'powershell' ? 'pwsh' : shell];
        if (script === undefined) throw new UsageError(`unknown shell "${args[0]}": expected one of ${SHELLS.join(', ')}`);
        ctx.io.stdout.write(script);
        return EXIT.OK;
      }),
    );
  program
    .command('__complete', { hidden: true })
    .argument('[words...]')
    .helpOption(false)
    .action(
      action(async (args, _opts, ctx) => {
        const found = await complete(args);
        ctx.io.stdout.write(found.map((c) => `${c}\n`).join(''));
        return EXIT.OK;
      }),
    );
};
