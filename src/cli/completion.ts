/**
 * `acs-metrics completion bash|zsh|fish|pwsh` prints a completion script; the script calls back into
 * the hidden `acs-metrics __complete -- WORDS...` (the words typed so far, the last one being
 * completed), which prints one candidate per line: commands, options, metric aliases, outputs,
 * aggregations, dimensions and, after --operation, the operations of the metric given by -m.
 */
import { Command } from 'commander';
import { AGGREGATIONS } from '../catalog/aggregations.js';
import { METRICS } from '../catalog/metrics.js';
import { resolveMetric } from '../catalog/resolve.js';
import { EXIT, UsageError } from '../errors.js';
import type { Register } from './register.js';

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

const OUTPUTS: Record<string, readonly string[]> = { query: ['table', 'chart', 'json', 'csv', 'tsv', 'yaml'], check: ['text', 'json', 'yaml'] };

/** Every command's visible long options, read from the commands' own definitions. */
async function commandOptions(): Promise<Map<string, string[]>> {
  const { COMMAND_LOADERS } = await import('./commands.js');
  const program = new Command();
  const registers = await Promise.all(COMMAND_LOADERS.map(([, load]) => load()));
  for (const register of registers) register(program, () => async () => {});
  const out = new Map<string, string[]>();
  for (const cmd of program.commands) {
    const visible = cmd.options.filter((o) => !o.hidden);
    out.set(cmd.name(), visible.flatMap((o) => (o.long ? [o.long] : [])));
  }
  return out;
}

/** The candidates for the last word, given the words before it. */
export async function complete(words: readonly string[]): Promise<string[]> {
  const cur = words[words.length - 1] ?? '';
  const before = words.slice(0, -1);
  const command = before.find((w) => !w.startsWith('-'));
  const prev = before[before.length - 1];
  const metricWord = before.findIndex((w) => w === '-m' || w === '--metric' || w === '--metrics');
  const metric = (() => {
    try {
      return metricWord >= 0 && before[metricWord + 1] ? resolveMetric(before[metricWord + 1]!) : undefined;
    } catch {
      return undefined;
    }
  })();
  let candidates: string[];
  if (command === undefined) candidates = ['catalog', 'query', 'check', 'definitions', 'completion', '--help', '--version', '--no-color'];
  else if (command === 'completion') candidates = before.length === 1 ? [...SHELLS] : [];
  else if (prev === '-m' || prev === '--metric' || prev === '--metrics' || (command === 'catalog' && !cur.startsWith('-') && prev === 'catalog')) {
    candidates = METRICS.map((m) => m.alias);
  } else if (prev === '--operation') {
    const names = (metric ? [metric] : METRICS).flatMap((m) => m.operations.map((o) => o.name));
    candidates = [...new Set(names)];
  } else if (prev === '-o' || prev === '--output') candidates = [...(OUTPUTS[command] ?? [])];
  else if (prev === '-a' || prev === '--aggregation') candidates = AGGREGATIONS.map((a) => a.label);
  else if (prev === '--split-by' || prev === '--dimension') candidates = [...(metric ?? METRICS[0]!).dimensions.map((d) => d.name), 'none'];
  else if (prev === '--status-class') candidates = ['2xx', '4xx', '5xx'];
  else if (cur.startsWith('-')) candidates = [...((await commandOptions()).get(command) ?? []), '--help'];
  else candidates = [];
  const lower = cur.toLowerCase();
  return candidates.filter((c) => c.toLowerCase().startsWith(lower));
}

export const registerCompletion: Register = (program, action) => {
  program
    .command('completion')
    .description('print a shell completion script: bash, zsh, fish or pwsh')
    .argument('<shell>', SHELLS.join(', '))
    .addHelpText('after', '\nInstall:\n  bash: eval "$(acs-metrics completion bash)"    (in ~/.bashrc)\n  zsh:  eval "$(acs-metrics completion zsh)"     (in ~/.zshrc, after compinit)\n  fish: acs-metrics completion fish > ~/.config/fish/completions/acs-metrics.fish\n  pwsh: acs-metrics completion pwsh | Out-String | Invoke-Expression    (in $PROFILE)')
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
